from django.urls import path

from leerrecht.attendance import views

app_name = "attendance"
urlpatterns = [
    path("", views.signals, name="signals"),
    path("inlezen/", views.upload, name="upload"),
    path("inlezen/<int:pk>/", views.import_detail, name="import_detail"),
    path("inlezen/<int:pk>/voortgang/", views.import_status, name="import_status"),
    path("leerling/<int:pk>/", views.student_overview, name="student_overview"),
]
