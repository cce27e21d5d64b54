"""The service's own pages for 400, 403, 404 and 500, in its style and with a way on. (Django's own are bare
text, and its template-based ones cannot be given the request a Jinja2 page needs.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PAGES = {
    400: ("Sorry, that request could not be understood", "Go back, check what you entered and try again."),
    403: (
        "You cannot see this page",
        "You are signed in as someone who does not have access to it. If you think you should, ask your national "
        "administrator.",
    ),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.",
    ),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you saved before has been lost; what you sent just now may not have been saved.",
    ),
}


def _page(request: HttpRequest, status: int, plain: bool = False) -> HttpResponse:
    title, advice = PAGES[status]
    context = {"title": title, "advice": advice, "plain": plain}
    return render(request, "error_page.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 400)


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 403)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Plain: no account header, which would ask the database (perhaps the very thing that failed) who is signed in.
    return _page(request, 500, plain=True)
