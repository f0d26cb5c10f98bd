"""Every route of the URL configuration is either opened by the page scan
(tests/browser/test_look_and_language.py) or exempted with a reason (ADR 0131)."""

from __future__ import annotations

from tests.browser.site_map import EXEMPT, exemption, scanned_names
from tests.security.probes import all_endpoints


def test_every_route_is_scanned_or_exempted_with_a_reason():
    endpoints = all_endpoints()
    scanned = scanned_names()
    missing = [
        f"{e.ident} ({e.route})"
        for e in endpoints
        if e.ident not in scanned and not exemption(e.ident, e.route)
    ]
    assert not missing, "routes neither scanned nor exempted: " + ", ".join(missing)
    idents = {e.ident for e in endpoints}
    stale = sorted((set(EXEMPT) | scanned) - idents)
    assert not stale, f"scan/exemption entries for routes that no longer exist: {stale}"
    assert not scanned & set(EXEMPT), "a route is both scanned and exempted"
