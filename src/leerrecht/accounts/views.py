"""Sign in with password, then a second factor (TOTP) for roles that see personal data.

Sign-in is throttled per typed username and per client address (LoginFailure); messages
are the same for existing and unknown names. Every sign-in attempt, successful or not, is
in the audit log (activity "authenticatie").
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from leerrecht.accounts.services import (
    client_address,
    login_failure_record,
    login_failures_clear,
    login_is_locked,
    totp_device_get_or_create,
    totp_qr_svg,
)
from leerrecht.privacy.models import AuditEvent
from leerrecht.privacy.services import audit_record

INVALID_LOGIN = _(
    "De combinatie van gebruikersnaam en wachtwoord klopt niet. Controleer beide en probeer "
    "het opnieuw."
)
LOCKED = _(
    "Er is te vaak een verkeerd wachtwoord ingevoerd. Probeer het over %(minutes)s minuten "
    "opnieuw of neem contact op met uw functioneel beheerder."
)


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses to even try a password once the name or address is locked out."""

    error_messages = {
        "invalid_login": INVALID_LOGIN,
        # Same text: an inactive account must not be distinguishable from a wrong password.
        "inactive": INVALID_LOGIN,
        "locked": LOCKED,
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        address = client_address(self.request) if self.request is not None else None
        if login_is_locked(username=username, address=address):
            audit_record(
                actor=None,
                username=username,
                action=AuditEvent.Action.LOGIN,
                activity="authenticatie",
                outcome=AuditEvent.Outcome.DENIED,
                detail=f"geblokkeerd (adres {address or 'onbekend'})",
            )
            raise ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LEERRECHT_LOGIN_LOCKOUT_MINUTES},
            )
        try:
            return super().clean()
        except ValidationError:
            login_failure_record(username=username, address=address)
            audit_record(
                actor=None,
                username=username,
                action=AuditEvent.Action.LOGIN,
                activity="authenticatie",
                outcome=AuditEvent.Outcome.DENIED,
                detail=f"wachtwoord onjuist of naam onbekend (adres {address or 'onbekend'})",
            )
            raise


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = ThrottledAuthenticationForm

    def form_valid(self, form):
        user = form.get_user()
        login_failures_clear(username=user.get_username())
        response = super().form_valid(form)
        audit_record(
            actor=user,
            action=AuditEvent.Action.LOGIN,
            activity="authenticatie",
            detail=f"wachtwoord juist (adres {client_address(self.request) or 'onbekend'})",
        )
        return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect("accounts:login")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code uit uw authenticator-app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "utrecht-textbox",
            }
        ),
    )


def _safe_next(request: HttpRequest) -> str | None:
    target = request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    device = totp_device_get_or_create(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # verify_token applies django-otp's own throttling (growing delay after failures).
        if device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
                device.confirmed = True
            otp_login(request, device)
            # A new session key once the second factor is passed (session fixation).
            request.session.cycle_key()
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.LOGIN,
                activity="authenticatie",
                detail="tweede factor juist",
            )
            return redirect(_safe_next(request) or "web:home")
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.LOGIN,
            activity="authenticatie",
            outcome=AuditEvent.Outcome.DENIED,
            detail="tweede factor onjuist",
        )
        form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer de nieuwe code."))
    context = {"form": form, "enrolling": not device.confirmed}
    if not device.confirmed:
        context["qr_svg"] = totp_qr_svg(device=device)
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/second_factor.html", context)
