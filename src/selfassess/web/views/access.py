"""Who may see what. Every view says which of these it needs; a route without one fails the access tests."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from selfassess.web.models import Coordinator

View = Callable[..., HttpResponse]


def administrator_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def coordinator_required(view: View) -> View:
    """The view gets the coordinator's own trust; there is no way to name another."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        found = Coordinator.objects.select_related("trust__round").defer("trust__round__framework_source")
        coordinator = found.filter(user=request.user).first()
        if coordinator is None:
            raise PermissionDenied
        return view(request, coordinator.trust, *args, **kwargs)

    return wrapped
