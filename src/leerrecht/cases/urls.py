from django.urls import path

from leerrecht.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("alle/", views.case_list, name="case_list"),
    path("dagelijkse-mail/", views.digest_settings, name="digest_settings"),
    path("meldingen/", views.melding_list, name="melding_list"),
    path("meldingen/ziekteverzuim/", views.melding_sickness_new, name="melding_sickness_new"),
    path("meldingen/duo/", views.melding_duo_new, name="melding_duo_new"),
    path("meldingen/duo/export/", views.duo_export, name="duo_export"),
    path("meldingen/duo/antwoord/", views.duo_feedback, name="duo_feedback"),
    path("meldingen/uit-signaal/", views.melding_from_signal, name="melding_from_signal"),
    path("meldingen/<int:pk>/", views.melding_detail, name="melding_detail"),
    path("meldingen/<int:pk>/toestemming/", views.melding_consent, name="melding_consent"),
    path("meldingen/<int:pk>/status/", views.melding_duo_status, name="melding_duo_status"),
    path("meldingen/<int:pk>/casus-openen/", views.case_open, name="case_open"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/wijzigen/", views.case_edit, name="case_edit"),
    path("<int:pk>/fase/", views.case_phase, name="case_phase"),
    path("<int:pk>/status/", views.case_transition, name="case_transition"),
    path("<int:pk>/nieuwe-regels/", views.case_protocol_apply, name="case_protocol_apply"),
    path("<int:pk>/toevoegen/<slug:kind>/", views.case_item_add, name="case_item_add"),
    path(
        "<int:pk>/acties/<int:action_id>/status/",
        views.plan_action_status,
        name="plan_action_status",
    ),
]
