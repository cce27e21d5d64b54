"""Production settings: everything in settings.py, behind HTTPS, with a real secret and no defaults trusted.

DJANGO_SETTINGS_MODULE=selfassess.web.settings_production
SELFASSESS_SECRET_KEY=...  SELFASSESS_ALLOWED_HOSTS=selfassess.example.org  DATABASE_URL=postgres://...
"""

from __future__ import annotations

import os

from selfassess.web.settings import *  # noqa: F403

SECRET_KEY = os.environ["SELFASSESS_SECRET_KEY"]  # required: there is no safe default
DEBUG = False
SECURE_SSL_REDIRECT = os.environ.get("SELFASSESS_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000  # two years
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
