"""Server-rendered pages of the case workflow, split by sub-domain (worklist, meldingen,
case file). Views are thin: forms in, one service call, domain errors mapped to HTTP by
`_common.domain_error_status`. Each view that touches personal data audits exactly once."""

from leerrecht.cases.views.case_file import (
    case_detail,
    case_edit,
    case_item_add,
    case_phase,
    case_protocol_apply,
    case_transition,
    plan_action_status,
)
from leerrecht.cases.views.meldingen import (
    case_open,
    duo_export,
    duo_feedback,
    melding_consent,
    melding_detail,
    melding_duo_new,
    melding_duo_status,
    melding_from_signal,
    melding_list,
    melding_sickness_new,
)
from leerrecht.cases.views.worklist import case_list, digest_settings, worklist

__all__ = [
    "case_detail",
    "case_edit",
    "case_item_add",
    "case_list",
    "case_open",
    "case_phase",
    "case_protocol_apply",
    "case_transition",
    "digest_settings",
    "duo_export",
    "duo_feedback",
    "melding_consent",
    "melding_detail",
    "melding_duo_new",
    "melding_duo_status",
    "melding_from_signal",
    "melding_list",
    "melding_sickness_new",
    "plan_action_status",
    "worklist",
]
