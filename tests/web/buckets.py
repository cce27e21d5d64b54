"""A real S3 API on the loopback for the tests: moto's server, in a thread of the test process, behind a gate
that can hold back uploads (so that a worker can be killed half way through copying a build to the bucket)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

import boto3
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

REGION = "eu-west-2"
logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request in a failing test's output
KEYS = {"AWS_ACCESS_KEY_ID": "test-key-id", "AWS_SECRET_ACCESS_KEY": "test-secret-key"}


class BucketServer:
    def __init__(self) -> None:
        app = DomainDispatcherApplication(create_backend_app)
        self.hold = ""  # uploads of keys beginning with this wait, once one has passed, until released
        self.passed = 0
        self.holding = threading.Event()  # an upload is being held
        self.released = threading.Event()

        def gate(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            if self.hold and environ["REQUEST_METHOD"] == "PUT" and f"/{self.hold}" in environ["PATH_INFO"]:
                self.passed += 1
                if self.passed > 1:
                    self.holding.set()
                    self.released.wait(60)
            result: Iterable[bytes] = app(environ, start_response)
            return result

        self.server = make_server("127.0.0.1", 0, gate, threaded=True, request_handler=MotoRequestHandler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def client(self) -> Any:
        return boto3.client("s3", endpoint_url=self.url, region_name=REGION, **_keys())

    def new_bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        return name

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, bucket: str, key: str) -> bytes:
        data: bytes = self.client().get_object(Bucket=bucket, Key=key)["Body"].read()
        return data

    def hold_uploads(self, prefix: str) -> None:
        self.hold, self.passed = prefix, 0
        self.holding.clear()
        self.released.clear()

    def release(self) -> None:
        self.hold = ""
        self.released.set()

    def stop(self) -> None:
        self.release()
        self.server.shutdown()
        self.thread.join()


def _keys() -> dict[str, str]:
    return {"aws_access_key_id": KEYS["AWS_ACCESS_KEY_ID"], "aws_secret_access_key": KEYS["AWS_SECRET_ACCESS_KEY"]}


def bucket_environment(server: BucketServer, bucket: str) -> dict[str, str]:
    """The environment that keeps a process's files in the bucket."""
    return {
        "SELFASSESS_S3_BUCKET": bucket,
        "SELFASSESS_S3_ENDPOINT_URL": server.url,
        "SELFASSESS_S3_REGION": REGION,
        **KEYS,
    }
