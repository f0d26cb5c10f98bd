from django.urls import path

from leerrecht.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("thuiszitters/", views.thuiszitters, name="thuiszitters"),
    path("kwartaaldoelen/", views.kpi, name="kpi"),
    path("jaartelling/", views.telling, name="telling"),
    path("jaartelling/landelijk/", views.telling_national, name="telling_national"),
    path("inspectie/", views.inspectie, name="inspectie"),
    path("schooloverleg/", views.school_list, name="school_list"),
    path("schooloverleg/<int:pk>/", views.school_consultation, name="school_consultation"),
]
