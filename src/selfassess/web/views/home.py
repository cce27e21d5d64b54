"""Where a signed-in person starts, and signing in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from selfassess.text import EMAIL_LENGTH, problem_with
from selfassess.web.models import Coordinator
from selfassess.web.security import address_throttled


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        if request.user.is_staff:
            return redirect("national_rounds")
        if Coordinator.objects.filter(user=request.user).exists():
            return redirect("trust_dashboard")
    return render(request, "home.html")


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter the e-mail address and password of your account; the password must match exactly",
    }

    def clean_username(self) -> str:
        """Refused before anything is looked up or recorded: Django's form does not hold the user name to the
        column's length, and django-axes records every failed name (PostgreSQL refuses one too long for it).
        Accounts are named by e-mail address in lower case (services.rounds), so any case signs in."""
        username: str = self.cleaned_data["username"].strip()
        problem = problem_with(username, "e-mail address", EMAIL_LENGTH)
        if problem:
            raise ValidationError(problem[:1].upper() + problem[1:])
        return username.lower()


class SignIn(auth.LoginView):
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True
    authentication_form = SignInForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if address_throttled(request):
            return render(request, "accounts/locked.html", {"address": True}, status=429)
        response: HttpResponse = super().post(request, *args, **kwargs)
        return response
