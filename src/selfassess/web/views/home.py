"""Where a signed-in person starts, and signing in."""

from __future__ import annotations

from django.contrib.auth import views as auth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from selfassess.web.models import Coordinator


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        if request.user.is_staff:
            return redirect("national_rounds")
        if Coordinator.objects.filter(user=request.user).exists():
            return redirect("trust_dashboard")
    return render(request, "home.html")


class SignIn(auth.LoginView):
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True
