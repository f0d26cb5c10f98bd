"""Time and count the SQL queries of each role's main pages, in-process (not a test).

Run against the benchmarked database (see run.sh) to find slow pages and N+1 queries
before or after a Locust run:

    DATABASE_URL=postgres://leerrecht@127.0.0.1:54341/leerrecht \
        .venv/bin/python benchmarks/load/pages.py [--top 3]

Prints per page: wall time (median of 3), number of queries, and the slowest queries.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", type=int, default=2, help="slowest queries shown per page")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--only-dashboard", action="store_true", help="only compute the dashboard's figures once"
    )
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerrecht.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from leerrecht.accounts.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    pages = {
        "leerplicht": ["/casussen/", "/leerlingen/?q=de", "/leerlingen/?q=bakker", "CASE", "PUPIL"],
        "zorgcoordinator-po": ["/casussen/", "/leerlingen/?q=de", "PUPIL"],
        "swv": ["/casussen/"],
        "beleid": ["/cijfers/", "/cijfers/thuiszitters/?format=csv"],
    }
    if args.only_dashboard:
        pages = {"beleid": ["/cijfers/"]}
        args.repeat = 1
    for username, urls in pages.items():
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
        session.save()
        last = {}
        for url in urls:
            if url == "CASE":
                ids = re.findall(r'href="/casussen/(\d+)/"', last.get("/casussen/", ""))
                if not ids:
                    continue
                url = f"/casussen/{ids[0]}/"
            if url == "PUPIL":
                ids = re.findall(r'href="/leerlingen/(\d+)/"', last.get("/leerlingen/?q=de", ""))
                if not ids:
                    continue
                url = f"/leerlingen/{ids[0]}/"
            times = []
            for _ in range(args.repeat):
                queries: list[tuple[float, str]] = []

                def record(execute, sql, params, many, context, queries=queries):
                    t0 = time.perf_counter()
                    try:
                        return execute(sql, params, many, context)
                    finally:
                        queries.append((time.perf_counter() - t0, sql))

                with connection.execute_wrapper(record):
                    t = time.perf_counter()
                    resp = client.get(url)
                    if getattr(resp, "streaming", False):
                        b"".join(resp.streaming_content)
                    times.append(time.perf_counter() - t)
            if not getattr(resp, "streaming", False):
                last[url] = resp.content.decode()
            print(
                f"{username:20s} {url:45s} {resp.status_code} "
                f"{statistics.median(times) * 1000:8.0f} ms  {len(queries):5d} queries "
                f"({sum(q[0] for q in queries) * 1000:.0f} ms in SQL)"
            )
            for spent, sql in sorted(queries, key=lambda q: -q[0])[: args.top]:
                print(f"      {spent * 1000:7.0f} ms  {' '.join(sql.split())[:240]}")


if __name__ == "__main__":
    main()
