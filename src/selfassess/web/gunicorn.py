"""gunicorn settings for the service: `gunicorn -c python:selfassess.web.gunicorn selfassess.web.wsgi`.

Its access log (to standard output) and error log pass the same filter as the service's own log, so no line
shows a respondent's link (/r/<token>/ is written /r/…). Any other gunicorn setting may be given as usual on the
command line. The server refuses to start when report files cannot be kept (`on_starting`).
"""

from typing import Any

accesslog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"hide_links": {"()": "selfassess.web.security.HideLinks"}},
    "formatters": {"plain": {"format": "%(asctime)s [%(process)d] %(message)s"}},
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["hide_links"],
            "formatter": "plain",
        },
        "error": {"class": "logging.StreamHandler", "filters": ["hide_links"], "formatter": "plain"},
    },
    "root": {"level": "INFO", "handlers": ["error"]},
    "loggers": {
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
    },
}


def on_starting(server: Any) -> None:
    """Before any worker: an unreachable bucket or missing credentials stop the server with a clear message,
    rather than a 500 at the first report."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfassess.web.settings")
    django.setup()
    from selfassess.web.services.files import refuse_to_start_without_files

    refuse_to_start_without_files()
