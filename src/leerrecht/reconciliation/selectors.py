"""Read side of reconciliation."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from leerrecht.reconciliation.matching.listio import Table, mapping_suggest, table_read
from leerrecht.reconciliation.models import (
    ListImport,
    ListRecord,
    MatchProposal,
    Reconciliation,
    ReconciliationTask,
    SourceMapping,
)
from leerrecht.reconciliation.query import tasks_for_user


def mapping_for_import(*, list_import: ListImport) -> tuple[Table, dict[str, str], bool]:
    """(table, mapping, remembered): the remembered mapping of this source, else a suggestion."""
    table = table_read(bytes(list_import.content), list_import.filename)
    saved = SourceMapping.objects.filter(
        organisation=list_import.organisation,
        source_name=list_import.source_name,
        kind=list_import.kind,
    ).first()
    if saved is not None:
        mapping = {f: h for f, h in saved.mapping.items() if h in table.headers}
        return table, mapping, True
    return table, mapping_suggest(table.headers, list_import.kind), False


#: The result page's row groups, in the order of its tabs (a 1M x 1M comparison has
#: hundreds of thousands of rows: one group is shown at a time, a page at a time).
RESULT_GROUPS = ("conflicts", "only_a", "only_b", "matched")


def reconciliation_groups(*, reconciliation: Reconciliation) -> dict:
    """The result groups: matched, conflicting status, only in A, only in B (querysets, in
    list order), duplicates inside each list, and the row-level problems of both imports."""
    proposals = reconciliation.proposals.select_related("record_a", "record_b").order_by("pk")
    matched = proposals.filter(
        review__in=(MatchProposal.Review.AUTO, MatchProposal.Review.CONFIRMED)
    )
    summary = reconciliation.summary or {}
    dup_pairs = [
        (side, dup, orig)
        for side in ("a", "b")
        for dup, orig in summary.get(f"duplicate_records_{side}", [])
    ]
    lines = dict(
        ListRecord.objects.filter(
            pk__in=[pk for _s, d, o in dup_pairs for pk in (d, o)]
        ).values_list("pk", "line")
    )

    def only(side: str, list_import):
        return (
            ListRecord.objects.filter(list_import=list_import)
            .exclude(pk__in=matched.values(f"record_{side}_id"))
            .exclude(pk__in=[d for s, d, _o in dup_pairs if s == side])
            .order_by("line", "pk")
        )

    sources = {"a": reconciliation.list_a, "b": reconciliation.list_b}
    return {
        "matched": matched.filter(status_conflict=False),
        "conflicts": matched.filter(status_conflict=True),
        "only_a": only("a", reconciliation.list_a),
        "only_b": only("b", reconciliation.list_b),
        "duplicates": [
            {"file": sources[s].filename, "line": lines.get(d), "same_as": lines.get(o)}
            for s, d, o in dup_pairs
        ],
        "problems": [
            {"file": li.filename, "line": line, "column": column, "reason": reason}
            for li in (reconciliation.list_a, reconciliation.list_b)
            for line, column, reason in (li.problems or [])
        ],
    }


def reconciliation_tasks_for_user(user) -> QuerySet[ReconciliationTask]:
    """Open reconciliation tasks for the worklist: assigned to `user`, or unassigned in the
    user's organisation."""
    return (
        tasks_for_user(user)
        .filter(state=ReconciliationTask.State.OPEN)
        .filter(Q(assignee=user) | Q(assignee__isnull=True))
        .order_by("due_date", "id")
    )


def student_ids_of_records(*, records) -> list[int]:
    """The registry children that list rows name by BSN: for the audit entry of a page that
    shows those rows, so a subject-access search by child finds it (docs/adr/0103)."""
    from leerrecht.registry.models import Student

    bsns = {r.bsn for r in records if r is not None and r.bsn}
    if not bsns:
        return []
    return list(Student.objects.filter(bsn__in=bsns).values_list("pk", flat=True))
