"""A report whose files were found gone as it was read (a newer build replaced it at that moment, or storage lost
them: `builds.files_gone`) is asked for again: the reader is sent back to the same address, which then serves
the newer build, or says that the report is being made."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from selfassess.web.services.reporting import FilesGone


class AskAgainMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, FilesGone) and request.method in ("GET", "HEAD"):
            return HttpResponseRedirect(request.get_full_path())
        return None
