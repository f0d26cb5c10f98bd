"""The context of the request or job being handled: its trace id, and the request's one
audit entry while it is being put together (docs/adr/0103)."""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field

# The trace id of the request or job being handled; "" outside one.
current_trace_id: ContextVar[str] = ContextVar("current_trace_id", default="")


@dataclass
class RequestAudit:
    """What is known about the request's one entry while the request runs."""

    declaration: object | None = None  # privacy.audit.Processing
    url_kwargs: dict = field(default_factory=dict)
    action: str = ""
    activity: str = ""
    subject_student_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    fields: list[str] = field(default_factory=list)
    children: list[int] = field(default_factory=list)
    outcome: str = ""
    details: list[str] = field(default_factory=list)

    def add(
        self,
        *,
        action: str = "",
        activity: str = "",
        subject=None,
        subject_student_id: int | None = None,
        obj=None,
        object_type: str = "",
        object_id: str = "",
        fields: Iterable[str] = (),
        children: Iterable[int] = (),
        outcome: str = "",
        detail: str = "",
    ) -> None:
        """Later notes override earlier ones; fields, children and details accumulate."""
        if obj is not None:
            object_type = object_type or obj._meta.label_lower
            object_id = object_id or str(obj.pk)
        subject_id = subject_id_of(subject if subject is not None else obj)
        if subject_student_id is not None:
            subject_id = subject_student_id
        self.action = action or self.action
        self.activity = activity or self.activity
        self.subject_student_id = subject_id if subject_id is not None else self.subject_student_id
        self.object_type = object_type or self.object_type
        self.object_id = str(object_id or self.object_id)
        self.fields += [f for f in fields if f not in self.fields]
        seen = set(self.children)
        for child in children:
            if child is not None and int(child) not in seen:
                seen.add(int(child))
                self.children.append(int(child))
        self.outcome = outcome or self.outcome
        if detail and detail not in self.details:
            self.details.append(detail)


# The request audit of the request being handled (None outside a declared request).
current_request_audit: ContextVar[RequestAudit | None] = ContextVar(
    "current_request_audit", default=None
)


def subject_id_of(subject) -> int | None:
    """The child's id: a Student, an int, or any object with `student_id`."""
    if subject is None:
        return None
    if isinstance(subject, int):
        return subject
    if getattr(subject, "_meta", None) is not None and subject._meta.label_lower == (
        "registry.student"
    ):
        return subject.pk
    return getattr(subject, "student_id", None)
