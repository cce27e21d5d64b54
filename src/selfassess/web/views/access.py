"""Who may see what. Every view says which of these it needs; a route without one fails the access tests."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from selfassess.web.models import Coordinator, Trust

View = Callable[..., HttpResponse]


def administrator_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


WORKING_ON = "working_on_trust"  # the session's note of which of their trusts a coordinator is working on


def coordinated(request: HttpRequest) -> list[Trust]:
    """The trusts the signed-in person coordinates, with their rounds (one query, no framework text)."""
    rows = Coordinator.objects.filter(user=request.user).select_related("trust__round")
    return [c.trust for c in rows.defer("trust__round__framework_source")]


def coordinator_required(view: View) -> View:
    """The view gets the trust the coordinator is working on; there is no way to name another. Someone who
    coordinates several trusts picks one (trust_choose), which their session keeps."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        trusts = coordinated(request)
        if not trusts:
            raise PermissionDenied
        chosen = request.session.get(WORKING_ON)
        trust = next((t for t in trusts if t.pk == chosen), trusts[0] if len(trusts) == 1 else None)
        if trust is None:
            return redirect(reverse("trust_choose"))
        request.coordinated, request.working_on = trusts, trust  # for the header's "working on", when several
        return view(request, trust, *args, **kwargs)

    return wrapped
