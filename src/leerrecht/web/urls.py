from django.urls import path

from leerrecht.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("gezondheid/", views.health, name="health"),
    path("leerlingen/", views.student_search, name="student_search"),
    path("leerlingen/<int:pk>/", views.student_detail, name="student_detail"),
]
