"""Users read a source document's title and section, never "seed NNN"."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from leerrecht.engine.presets import preset_names
from leerrecht.engine.sources import source_cite, source_titles

PRESETS = Path(__file__).resolve().parents[1] / "presets"


def test_a_seed_citation_becomes_title_and_section():
    assert source_cite("seed 004, fase 2.1") == "Routeboek Haaglanden po 2025, fase 2.1"
    assert source_cite("seed 000 note 7") == (
        "Ingrado, Casusbeschrijvingen brede thuiszittersaanpak, noot 7"
    )
    assert source_cite("seed 001, 1.3; seed 003, 1.3") == (
        "Procedure SWV Drechtsteden 2024-2025, 1.3; Impuls thuiszittersaanpak (RegioPlan 2019), 1.3"
    )
    assert source_cite("Bron: DUO") == "Bron: DUO"


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_every_citation_in_every_preset_has_a_document_title():
    assert "_sources" not in preset_names()  # the table of titles is not a preset
    cited = set()
    for path in PRESETS.glob("*.toml"):
        for text in _strings(tomllib.loads(path.read_text(encoding="utf-8"))):
            cited.update(re.findall(r"\bseed (\d{3})", text))
            assert "seed" not in source_cite(text), (path.name, text)
    assert cited <= set(source_titles())
