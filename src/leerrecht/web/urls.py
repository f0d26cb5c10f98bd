from django.urls import path

from leerrecht.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("gezondheid/", views.health, name="health"),
]
