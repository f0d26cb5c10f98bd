"""The matching core of reconciliation: plain Python (no Django), usable from the CLI,
the web jobs and the benchmark (benchmarks/matching.py)."""

from leerrecht.reconciliation.matching.config import ReconciliationConfig, config_load
from leerrecht.reconciliation.matching.linker import (
    LinkResult,
    Match,
    Person,
    decision_key,
    fingerprint,
    link,
)

__all__ = [
    "LinkResult",
    "Match",
    "Person",
    "ReconciliationConfig",
    "config_load",
    "decision_key",
    "fingerprint",
    "link",
]
