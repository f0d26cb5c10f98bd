"""Citations as users read them: a document's title and section, never a seed number.

Presets and code cite "seed 004, fase 2.1" (the seed file and its section); the one table
of titles is ``presets/_sources.toml``. No Django: reports, the CLI and the web use it.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

__all__ = ["source_cite", "source_titles"]

_SEED = re.compile(r"\bseeds? (\d{3})(,\s*|\s+(?=[\w(]))?")


@cache
def _table() -> dict:
    path = resources.files("leerrecht.engine") / "presets" / "_sources.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def source_titles() -> dict[str, str]:
    """Seed number ("004") -> document title ("Routeboek Haaglanden po 2025")."""
    return dict(_table()["sources"])


def source_cite(text: str) -> str:
    """`text` with every "seed NNN[, section]" written as "Title, section" in Dutch."""
    if not text or "seed" not in text:
        return text
    titles = _table()["sources"]

    def title(match: re.Match) -> str:
        name = titles.get(match.group(1))
        if name is None:
            return match.group(0)
        return f"{name}, " if match.group(2) else name

    cited = _SEED.sub(title, text)
    for english, dutch in _table()["section_words"].items():
        cited = re.sub(rf"(?<!\w){re.escape(english)}(?!\w)", dutch, cited)
    return cited
