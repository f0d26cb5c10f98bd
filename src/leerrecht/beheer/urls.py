from django.urls import path

from leerrecht.beheer import views

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
    path("protocollen/", views.protocols, name="protocols"),
    path("protocollen/<slug:name>/", views.protocol_detail, name="protocol_detail"),
]
