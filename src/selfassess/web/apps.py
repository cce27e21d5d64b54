from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "selfassess.web"
    label = "selfassess"
    verbose_name = "selfassess"

    def ready(self) -> None:
        from selfassess.web import database  # noqa: F401  (registers the SQLite pragmas)
