from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "leerrecht.jobs"
    label = "jobs"
