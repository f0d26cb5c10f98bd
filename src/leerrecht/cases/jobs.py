"""The daily digest e-mail: a background job (`cases.digest`) and `leerrecht digest`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from leerrecht.cases.selectors import worklist_for_user
from leerrecht.jobs.services import job_handler


def digest_send(*, today: dt.date | None = None) -> int:
    """E-mail every opted-in user what is due or overdue today. Returns mails sent."""
    today = today or timezone.localdate()
    sent = 0
    users = get_user_model().objects.filter(wants_daily_digest=True, is_active=True)
    for user in users.exclude(email="").order_by("pk"):
        rows = [r for r in worklist_for_user(user, today=today) if r.due_now]
        if not rows:
            continue
        body = render_to_string(
            "cases/digest_email.txt", {"user": user, "rows": rows, "today": today}
        )
        send_mail(
            subject=_("Leerrecht: %(n)s zaken vragen vandaag aandacht") % {"n": len(rows)},
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
        sent += 1
    return sent


@job_handler("cases.digest")
def digest_job(job, progress) -> dict:
    sent = digest_send()
    progress(1, 1, "digest")
    return {"sent": sent}
