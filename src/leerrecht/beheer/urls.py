from django.urls import path

from leerrecht.beheer import views
from leerrecht.protocols import views as studio

app_name = "beheer"
urlpatterns = [
    path("", views.index, name="index"),
    path("gebruikers/", views.users, name="users"),
    path("gebruikers/<int:pk>/", views.user_edit, name="user_edit"),
    path("organisaties/", views.organisations, name="organisations"),
    path("inlezen-en-taken/", views.imports_and_jobs, name="jobs"),
    path("bewaartermijnen/", views.retention, name="retention"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/intrekken/", views.api_token_revoke_view, name="api_token_revoke"),
    path("api-tokens/<int:pk>/vernieuwen/", views.api_token_rotate_view, name="api_token_rotate"),
    path("protocollen/", views.protocols, name="protocols"),
    path("protocollen/<slug:name>/", views.protocol_detail, name="protocol_detail"),
    # The protocol studio (issue 19, docs/adr/0190).
    path("protocollen/<slug:name>/versies/", studio.versions, name="protocol_versions"),
    path(
        "protocollen/<slug:name>/versies/<int:number>/export/",
        studio.export,
        name="protocol_export",
    ),
    path("protocollen/<slug:name>/importeren/", studio.import_version, name="protocol_import"),
    path("protocollen/<slug:name>/concept/", studio.draft, name="protocol_draft"),
    path(
        "protocollen/<slug:name>/concept/nieuw/", studio.draft_create, name="protocol_draft_create"
    ),
    path("protocollen/<slug:name>/publiceren/", studio.publish, name="protocol_publish"),
    path("protocollen/<slug:name>/simuleren/", studio.simulate, name="protocol_simulate"),
    path(
        "protocollen/<slug:name>/simulatie/<int:job_id>/",
        studio.simulation,
        name="protocol_simulation",
    ),
]
