from django.urls import path

from leerrecht.attendance import absence_views, views

app_name = "attendance"
urlpatterns = [
    path("", views.signals, name="signals"),
    path("inlezen/", views.upload, name="upload"),
    path("registraties/", absence_views.absence_upload, name="absence_upload"),
    path("codes/", absence_views.absence_codes, name="absence_codes"),
    path("inlezen/<int:pk>/", views.import_detail, name="import_detail"),
    path("inlezen/<int:pk>/voortgang/", views.import_status, name="import_status"),
    path("leerling/<int:pk>/", views.student_overview, name="student_overview"),
]
