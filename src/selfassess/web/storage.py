"""The storage settings for an S3-compatible bucket, from the environment (settings.py reads them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

S3_VARIABLES = ("SELFASSESS_S3_ENDPOINT_URL", "SELFASSESS_S3_REGION", "SELFASSESS_S3_PREFIX")


def s3_storage(bucket: str, env: Mapping[str, str]) -> dict[str, Any]:
    """django-storages' S3 backend for `bucket`. Files are private (links to them are never handed out: the
    service reads them and serves them itself), and a file saved under a name already used replaces it."""
    from botocore.config import Config

    if bool(env.get("AWS_ACCESS_KEY_ID")) != bool(env.get("AWS_SECRET_ACCESS_KEY")):
        raise ImproperlyConfigured("Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither (a role).")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env.get("SELFASSESS_S3_ENDPOINT_URL") or None,
            "region_name": env.get("SELFASSESS_S3_REGION") or None,
            "location": env.get("SELFASSESS_S3_PREFIX", "").strip("/"),
            "default_acl": None,
            "file_overwrite": True,
            "querystring_auth": True,
            "max_memory_size": 8 * 1024 * 1024,  # a larger file read from the bucket waits on disk, not in memory
            # A bucket that cannot be reached fails in seconds (a server's start-up check says so), not minutes.
            "client_config": Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}),
        },
    }


def no_bucket_named(env: Mapping[str, str]) -> None:
    """Bucket settings given without a bucket are a mistake, said at start-up rather than ignored."""
    given = [name for name in S3_VARIABLES if env.get(name)]
    if given and not env.get("SELFASSESS_S3_BUCKET"):
        raise ImproperlyConfigured(f"{', '.join(given)} set, but no SELFASSESS_S3_BUCKET: name the bucket.")
