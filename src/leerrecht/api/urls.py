from django.http import HttpRequest
from django.urls import path, re_path

from leerrecht.api.core import finish_response
from leerrecht.api.problems import problem_response
from leerrecht.api.v1 import api

app_name = "api"


def not_found(request: HttpRequest, rest: str = ""):
    """Unknown paths under /api answer in problem+json too, not with an HTML page."""
    return finish_response(
        request, problem_response(request, 404, "Deze resource bestaat niet in de API.")
    )


urlpatterns = [
    path("v1/", api.urls),
    re_path(r"^(?P<rest>.*)$", not_found),
]
