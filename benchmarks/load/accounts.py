"""Load-test accounts: N per role, cloned from the demo accounts (not a test).

Run with the Django settings of the benchmarked database:

    DATABASE_URL=... .venv/bin/python benchmarks/load/accounts.py --per-role 10 --out accounts.json

Each account gets its own confirmed TOTP device (django-otp refuses a code that was already
used on the same device, so concurrent virtual users must not share an account). The JSON
holds username, password, base32 TOTP secret and role for the locustfile.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
from pathlib import Path

ROLES = ("leerplicht", "zorgcoordinator-po", "swv", "beleid")
PASSWORD = "load-test-only-Leerrecht-2026"  # noqa: S105 - a throwaway benchmark database


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-role", type=int, default=10)
    ap.add_argument("--out", default="accounts.json")
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerrecht.config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    User = get_user_model()
    out = []
    for demo in User.objects.filter(username__in=ROLES).order_by("username"):
        for k in range(args.per_role):
            username = f"load-{demo.username}-{k:02d}"
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "role": demo.role,
                    "organisation": demo.organisation,
                    "first_name": "Last",
                    "last_name": f"Test {k}",
                    "is_active": True,
                },
            )
            user.set_password(PASSWORD)
            user.save()
            secret = base64.b32encode(hashlib.sha256(username.encode()).digest()[:20]).decode()
            TOTPDevice.objects.filter(user=user).delete()
            TOTPDevice.objects.create(
                user=user, name="load", confirmed=True, key=base64.b32decode(secret).hex()
            )
            out.append(
                {
                    "username": username,
                    "password": PASSWORD,
                    "secret": secret,
                    "role": demo.username,
                }
            )
    Path(args.out).write_text(json.dumps(out, indent=1))
    print(f"{len(out)} load-test accounts written to {args.out}")


if __name__ == "__main__":
    main()
