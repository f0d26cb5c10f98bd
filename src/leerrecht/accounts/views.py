"""Sign in with password, then a second factor (TOTP) for roles that see personal data."""

from __future__ import annotations

from django import forms
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from leerrecht.accounts.services import totp_device_get_or_create, totp_qr_svg


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


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


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    device = totp_device_get_or_create(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
                device.confirmed = True
            otp_login(request, device)
            return redirect(request.GET.get("next") or "web:home")
        form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer de nieuwe code."))
    context = {"form": form, "enrolling": not device.confirmed}
    if not device.confirmed:
        context["qr_svg"] = totp_qr_svg(device=device)
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/second_factor.html", context)
