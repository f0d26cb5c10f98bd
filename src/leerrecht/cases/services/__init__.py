"""Write-side of the case workflow, split by sub-domain:

* `services.meldingen`: reports (three doors) and the parents' consent;
* `services.cases`: open, edit, phase, status, and the one writer of case history;
* `services.case_file`: what is added to an open case.

The rules they apply (transitions, consent, default route, error types) live in
`cases/workflow.py`; dates in `cases/deadlines.py`. This package re-exports the public
functions so callers write `from leerrecht.cases.services import case_open`.
"""

from leerrecht.cases.selectors import open_case_of
from leerrecht.cases.services.case_file import (
    contact_add,
    education_share_add,
    enforcement_step_add,
    escalation_record_add,
    medical_note_add,
    offer_add,
    participant_add,
    plan_action_add,
    plan_action_status_set,
    voice_add,
    waiting_list_add,
)
from leerrecht.cases.services.cases import (
    CASE_EDITABLE_FIELDS,
    case_deadlines_refresh,
    case_event_record,
    case_history_dated,
    case_open,
    case_phase_set,
    case_protocol_apply,
    case_status_set,
    case_transition,
    case_update,
    cases_deadlines_refresh,
)
from leerrecht.cases.services.meldingen import (
    consent_record,
    melding_create_duo,
    melding_create_from_signal,
    melding_create_sickness,
    melding_duo_update,
)
from leerrecht.cases.workflow import (
    ALLOWED_TRANSITIONS,
    CaseConflictError,
    CaseError,
    CaseTransitionError,
    ConsentRequiredError,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "CASE_EDITABLE_FIELDS",
    "CaseConflictError",
    "CaseError",
    "CaseTransitionError",
    "ConsentRequiredError",
    "case_deadlines_refresh",
    "case_event_record",
    "case_history_dated",
    "case_open",
    "case_phase_set",
    "case_protocol_apply",
    "case_status_set",
    "case_transition",
    "case_update",
    "cases_deadlines_refresh",
    "consent_record",
    "contact_add",
    "education_share_add",
    "enforcement_step_add",
    "escalation_record_add",
    "medical_note_add",
    "melding_create_duo",
    "melding_create_from_signal",
    "melding_create_sickness",
    "melding_duo_update",
    "offer_add",
    "open_case_of",
    "participant_add",
    "plan_action_add",
    "plan_action_status_set",
    "voice_add",
    "waiting_list_add",
]
