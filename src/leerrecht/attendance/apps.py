from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "leerrecht.attendance"
    label = "attendance"

    def ready(self) -> None:
        from leerrecht.attendance import jobs  # noqa: F401 - registers the job handler
