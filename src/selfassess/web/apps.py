from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "selfassess.web"
    label = "selfassess"
    verbose_name = "selfassess"

    def ready(self) -> None:
        from selfassess.web import checks, database  # noqa: F401  (the deployment checks; the SQLite pragmas)
