from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from leerrecht.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico on pages without an icon link (e.g. error pages).
    path("favicon.ico", RedirectView.as_view(url=static("leerrecht/favicon.svg"), permanent=True)),
    path("gezondheid/", views.health, name="health"),
    path("leerlingen/", views.student_search, name="student_search"),
    path("leerlingen/<int:pk>/", views.student_detail, name="student_detail"),
]
