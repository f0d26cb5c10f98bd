from django.urls import path

from leerrecht.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<int:pk>/voortgang/", views.job_status, name="job_status"),
]
