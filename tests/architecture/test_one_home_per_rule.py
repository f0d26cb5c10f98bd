"""Each rule has one home (docs/architecture.md, "Where each rule lives"). These AST checks
fail when a second home appears, e.g. a view that compares a consent answer itself."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.architecture.imports import module_files

CONSENT_HOME = "leerrecht.privacy.consent"
PRESET_HOME = "leerrecht.engine.presets"
# TOML files outside the preset folder, each with its own single reader.
OTHER_TOML_READERS = {
    "leerrecht.demo.calendar",  # demo/school_holidays.toml (the demo region's calendar)
    "leerrecht.reconciliation.matching.config",  # reconciliation/presets/reconciliation.toml
    "leerrecht.engine.absences",  # engine/timetables/*.toml and timetables users upload
    "leerrecht.cases.duo",  # cases/data/duo_verzuimmelding.toml (DUO's field list)
}
CONSENT_ANSWERS = {"GIVEN", "REFUSED", "WITHDRAWN"}
CONSENT_ANSWER_VALUES = {"given", "refused", "withdrawn"}


def _sources() -> dict[str, tuple[Path, ast.AST]]:
    return {
        module: (path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        for module, path in module_files().items()
        if ".tests" not in module and ".migrations" not in module
    }


def _is_consent_answer(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "ConsentStatus"
        and node.attr in CONSENT_ANSWERS
    )


def _is_answer_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value in CONSENT_ANSWER_VALUES


def _is_status(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "status"


def _is_purposes(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "purposes"


def consent_checks(tree: ast.AST) -> list[int]:
    """Lines comparing a consent answer (given/refused/withdrawn) or testing purposes."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        flat = [
            e
            for o in operands
            for e in (o.elts if isinstance(o, ast.Tuple | ast.List | ast.Set) else [o])
        ]
        if (
            any(_is_consent_answer(o) for o in flat)
            or (any(_is_answer_text(o) for o in flat) and any(_is_status(o) for o in operands))
            or (
                any(isinstance(op, ast.In | ast.NotIn) for op in node.ops)
                and any(_is_purposes(o) for o in operands)
            )
        ):
            lines.append(node.lineno)
    return lines


def test_consent_is_checked_in_one_module_only():
    found = {
        f"{path}:{line}"
        for module, (path, tree) in _sources().items()
        if module != CONSENT_HOME
        for line in consent_checks(tree)
    }
    assert found == set(), "consent is decided in leerrecht/privacy/consent.py only"


def test_the_consent_check_detector_finds_a_second_check():
    tree = ast.parse(
        "ok = consent.status == ConsentStatus.GIVEN\n"
        "shared = 'leerplicht' in consent.purposes\n"
        "fine = status != ConsentStatus.PENDING\n"
        "text = c.status in ('given', 'pending')\n"
        "other = kind == 'refused'\n"
    )
    assert consent_checks(tree) == [1, 2, 4]
    assert consent_checks(ast.parse(Path(__file__).read_text())) == []


def _imports_tomllib(tree: ast.AST) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Import) and any(a.name == "tomllib" for a in node.names))
        or (isinstance(node, ast.ImportFrom) and node.module == "tomllib")
    ]


def _names_the_preset_folder(tree: ast.AST) -> list[int]:
    """Lines building a path to the preset folder (`... "engine" ... / "presets"`)."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.BinOp)
        and isinstance(node.right, ast.Constant)
        and node.right.value == "presets"
        and "engine" in ast.unparse(node.left)
    ]


def test_preset_files_are_read_by_one_module_only():
    sources = _sources()
    readers = {
        f"{path}:{line}"
        for module, (path, tree) in sources.items()
        if module not in {PRESET_HOME, *OTHER_TOML_READERS}
        for line in _imports_tomllib(tree)
    }
    folder = {
        f"{path}:{line}"
        for module, (path, tree) in sources.items()
        if module != PRESET_HOME
        for line in _names_the_preset_folder(tree)
    }
    assert readers | folder == set(), "preset files are read by leerrecht/engine/presets.py only"


def test_the_preset_reader_detector_finds_a_second_reader():
    tree = ast.parse(
        "import tomllib\n"
        "path = Path(resources.files('leerrecht.engine')) / 'presets'\n"
        "other = base / 'reports'\n"
    )
    assert _imports_tomllib(tree) == [1]
    assert _names_the_preset_folder(tree) == [2]
