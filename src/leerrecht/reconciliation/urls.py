from django.urls import path

from leerrecht.reconciliation import views

app_name = "reconciliation"
urlpatterns = [
    path("", views.home, name="home"),
    path("lijst/<int:pk>/kolommen/", views.mapping, name="mapping"),
    path("vergelijken/", views.compare, name="compare"),
    path("vergelijking/<int:pk>/", views.result, name="result"),
    path("vergelijking/<int:pk>/beoordelen/", views.review, name="review"),
    path("absoluut-verzuim/", views.av_start, name="av_start"),
    path("absoluut-verzuim/<int:pk>/", views.av_result, name="av_result"),
    path("taken/", views.tasks, name="tasks"),
]
