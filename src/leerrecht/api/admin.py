"""Operators create, list and revoke API tokens in the admin (/beheer/)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from leerrecht.accounts.models import Role
from leerrecht.api.models import ApiToken
from leerrecht.api.scopes import SCOPES, scope_problems
from leerrecht.api.services import api_token_create, api_token_revoke


class ApiTokenCreateForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("rechten"),
        choices=[(scope, f"{scope}: {text}") for scope, text in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    role = forms.ChoiceField(label=_("rol"), choices=Role.choices)

    class Meta:
        model = ApiToken
        fields = ["organisation", "name", "role", "scopes", "rate_limit_per_minute"]

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation")
        if organisation is not None and data.get("role"):
            problems = scope_problems(
                kind=organisation.kind, role=data["role"], scopes=data.get("scopes") or []
            )
            if problems:
                raise ValidationError("; ".join(problems))
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "name",
        "organisation",
        "role",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["prefix", "name", "organisation__name"]
    actions = ["revoke_selected"]
    readonly_fields = [
        "organisation", "name", "role", "prefix", "scopes", "account", "created_by",
        "created_at", "revoked_at", "last_used_at",
    ]  # fmt: skip
    fields = [*readonly_fields, "rate_limit_per_minute"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenCreateForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organisation", "name", "role", "scopes", "rate_limit_per_minute"]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the audit log keeps referring to the token's account

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, plaintext = api_token_create(
            organisation=form.cleaned_data["organisation"],
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            scopes=form.cleaned_data["scopes"],
            created_by=request.user,
            rate_limit_per_minute=form.cleaned_data.get("rate_limit_per_minute"),
        )
        obj.pk = token.pk
        messages.warning(
            request,
            _("Bewaar dit token nu; het wordt niet opnieuw getoond: %(token)s")
            % {"token": plaintext},
        )

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @admin.action(description=_("Geselecteerde tokens intrekken"))
    def revoke_selected(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token)
        self.message_user(request, _("%(n)d token(s) ingetrokken.") % {"n": queryset.count()})
