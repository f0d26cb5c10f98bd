from django.urls import path

from leerrecht.privacy import views

app_name = "privacy"
urlpatterns = [
    path("audit/", views.audit_search, name="audit_search"),
    path("inzage/", views.subject_access_lookup, name="subject_access_lookup"),
    path("inzage/<int:student_id>/", views.subject_access, name="subject_access"),
    path("inzage/<int:student_id>/json/", views.subject_access_json, name="subject_access_json"),
    path("inzage/<int:student_id>/pdf/", views.subject_access_pdf_view, name="subject_access_pdf"),
]
