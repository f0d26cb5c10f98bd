from django.urls import path  # noqa: F401 - routes are added as the feature lands

app_name = "cases"
urlpatterns: list = []
