"""Which scopes exist, and which roles a token may carry for which kind of organisation."""

from __future__ import annotations

from leerrecht.accounts.models import Role
from leerrecht.privacy.query import role_sees_children
from leerrecht.registry.models import OrganisationKind

# scope -> description (docs/api.md lists these).
SCOPES: dict[str, str] = {
    "students:read": "read students (personal data, scoped by the access model)",
    "attendance:read": "read the status of attendance imports",
    "attendance:write": "upload attendance files",
    "meldingen:read": "read meldingen (personal data)",
    "meldingen:write": "create meldingen (personal data)",
    "signals:read": "read attendance signals (personal data)",
    "cases:read": "read cases and their deadlines (personal data)",
    "figures:read": "read thuiszitter figures (aggregates, small counts suppressed)",
}

# Scopes that return or change personal data of children.
PERSONAL_DATA_SCOPES = frozenset(SCOPES) - {"figures:read"}

# Roles a token may act in, per kind of organisation (the access model of issue 5).
# Care teams are left out: their scope is per invitation to a case, never organisation-wide.
# Operators and privacy officers manage and supervise; they do not process children's data.
TOKEN_ROLES: dict[str, tuple[str, ...]] = {
    OrganisationKind.SCHOOL: (Role.SCHOOL_COORDINATOR, Role.MENTOR),
    OrganisationKind.SWV: (Role.SWV_CONSULTANT,),
    OrganisationKind.LEERPLICHT: (Role.LEERPLICHT_OFFICER, Role.LEERRECHT_CONSULTANT),
    OrganisationKind.JGZ: (Role.YOUTH_DOCTOR,),
    OrganisationKind.MUNICIPALITY: (Role.POLICY, Role.PROCESS_DIRECTOR, Role.LEERRECHT_CONSULTANT),
}


def aggregate_only(*, kind: str, role: str) -> bool:
    """A token whose role sees no individual children at this kind of organisation gets
    no personal-data scope (privacy.query.role_sees_children, the one answer)."""
    return not role_sees_children(role, kind)


def scope_problems(*, kind: str, role: str, scopes: list[str]) -> list[str]:
    """Why this combination cannot be a token (empty when it can)."""
    problems = []
    allowed_roles = TOKEN_ROLES.get(kind, ())
    if role not in allowed_roles:
        allowed = ", ".join(str(r) for r in allowed_roles) or "none"
        problems.append(
            f"role {role!r} is not available for a {kind} organisation (allowed: {allowed})"
        )
    if not scopes:
        problems.append("a token needs at least one scope")
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        problems.append(f"unknown scope(s): {', '.join(unknown)} (known: {', '.join(SCOPES)})")
    if aggregate_only(kind=kind, role=role):
        personal = [s for s in scopes if s in PERSONAL_DATA_SCOPES]
        if personal:
            problems.append(
                f"role {role!r} sees aggregates only; not allowed: {', '.join(personal)}"
            )
    return problems
