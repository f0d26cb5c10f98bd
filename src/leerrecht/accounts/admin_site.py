"""The Django admin for platform operators only, behind the product's one login path.

/beheer/login/ is not a second login: it sends to /account/inloggen/ (same throttling,
lockout, audit) and then to the second factor. Only a platform operator (a superuser that
is not a functional administrator, accounts.services.user_is_platform_operator) with a
verified second factor gets in; everyone else gets a 404, as for any page outside their
scope (docs/adr/0120). Functional administrators work in the beheer workspace pages.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from leerrecht.accounts.services import user_is_platform_operator


class PlatformAdminSite(AdminSite):
    site_header = "Leerrecht platformbeheer"
    site_title = "Leerrecht platformbeheer"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user_is_platform_operator(user) and user.is_verified()

    def login(self, request: HttpRequest, extra_context=None):
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            query = urlencode({"next": target})
            return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")
        if user_is_platform_operator(user) and not user.is_verified():
            query = urlencode({"next": target})
            return HttpResponseRedirect(f"{reverse('accounts:otp')}?{query}")
        if self.has_permission(request):
            return HttpResponseRedirect(target)
        raise Http404
