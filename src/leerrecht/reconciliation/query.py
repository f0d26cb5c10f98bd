"""Who sees which reconciliation data: only the uploader's organisation, and only roles that
may see personal data at all (the same roles as leerrecht.privacy.query.students_for_user)."""

from __future__ import annotations

from django.db.models import QuerySet

from leerrecht.accounts.models import Role
from leerrecht.reconciliation.models import (
    AbsoluteVerzuimCandidate,
    AbsoluteVerzuimRun,
    ListImport,
    MatchProposal,
    Reconciliation,
    ReconciliationTask,
)

_NO_PERSONAL_DATA = {Role.POLICY, Role.OPERATOR, Role.PRIVACY_OFFICER}


def user_may_reconcile(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.organisation_id
        and user.role not in _NO_PERSONAL_DATA
    )


def _org_filter(qs: QuerySet, user, path: str = "organisation") -> QuerySet:
    if not user_may_reconcile(user):
        return qs.none()
    return qs.filter(**{path: user.organisation_id})


def imports_for_user(user) -> QuerySet[ListImport]:
    return _org_filter(ListImport.objects.all(), user)


def reconciliations_for_user(user) -> QuerySet[Reconciliation]:
    return _org_filter(Reconciliation.objects.all(), user)


def proposals_for_user(user) -> QuerySet[MatchProposal]:
    return _org_filter(MatchProposal.objects.all(), user, "reconciliation__organisation")


def av_runs_for_user(user) -> QuerySet[AbsoluteVerzuimRun]:
    return _org_filter(AbsoluteVerzuimRun.objects.all(), user)


def av_candidates_for_user(user) -> QuerySet[AbsoluteVerzuimCandidate]:
    return _org_filter(AbsoluteVerzuimCandidate.objects.all(), user, "run__organisation")


def tasks_for_user(user) -> QuerySet[ReconciliationTask]:
    return _org_filter(ReconciliationTask.objects.all(), user)
