"""/healthz for load balancers, answered before anything else runs.

It comes first among the middleware so that a load balancer asking by the server's own address (not one of
ALLOWED_HOSTS) still gets an answer, and so that no session, cookie or log-in is touched: it says only whether
the database answers, its migrations are applied and a task worker was seen recently (services.health), as
JSON, 200 when all hold and 503 when any does not.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from selfassess.web.services.health import health

PATH = "/healthz"


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        facts = health()
        healthy = all(facts.values())
        body = json.dumps({"status": "ok" if healthy else "unhealthy", "checks": facts}, sort_keys=True)
        response = HttpResponse(body, status=200 if healthy else 503, content_type="application/json")
        response["Cache-Control"] = "no-store"
        return response
