from django.urls import path

from leerrecht.protocols import views

app_name = "protocols"
urlpatterns = [
    path("vergelijken/", views.compare, name="compare"),
    path("vergelijking/<int:job_id>/", views.comparison, name="comparison"),
]
