from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("account/", include("leerrecht.accounts.urls")),
    path("functioneel-beheer/", include("leerrecht.beheer.urls")),
    path("protocollen/", include("leerrecht.protocols.urls")),
    path("privacy/", include("leerrecht.privacy.urls")),
    path("verzuim/", include("leerrecht.attendance.urls")),
    path("casussen/", include("leerrecht.cases.urls")),
    path("cijfers/", include("leerrecht.monitoring.urls")),
    path("lijsten/", include("leerrecht.reconciliation.urls")),
    path("taken/", include("leerrecht.jobs.urls")),
    path("api/", include("leerrecht.api.urls")),
    path("", include("leerrecht.web.urls")),
]
