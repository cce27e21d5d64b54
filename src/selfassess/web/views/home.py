"""Where a signed-in person starts, and signing in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
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


class ForgottenPasswordForm(auth_forms.PasswordResetForm):
    """Django's password-reset form, with two changes: the e-mail is written and sent by a task worker, which
    makes the link itself (so a slow mail server never holds the page, and the task queue never holds a link);
    and a coordinator who never set a password (their first e-mail lost) may ask too."""

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        problem = problem_with(email, "e-mail address", EMAIL_LENGTH)
        if problem:
            raise ValidationError(problem[:1].upper() + problem[1:])
        return email

    def get_users(self, email: str) -> Any:
        return get_user_model().objects.filter(email__iexact=email, is_active=True)

    def save(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        from selfassess.web.tasks import send_password_reset

        site = request.build_absolute_uri("/") if request is not None else ""
        for user in self.get_users(self.cleaned_data["email"]):
            send_password_reset.enqueue(user.pk, site)


class ForgottenPassword(auth.PasswordResetView):
    """Ask for a link to set a new password. The answer is the same whether or not the address has an account,
    so the page tells nobody who has one."""

    template_name = "accounts/forgot_password.html"
    form_class = ForgottenPasswordForm
    success_url = "/forgot-password/sent/"
