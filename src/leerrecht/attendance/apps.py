from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "leerrecht.attendance"
    label = "attendance"
