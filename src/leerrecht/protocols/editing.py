"""Change one value in a protocol's TOML text, keeping every comment and the layout.

The beheer forms change thresholds, durations and targets; this writes the new value into
the text at its place (or adds the key at the end of its table). The result is validated
as a whole by the one preset loader before it is saved (services.protocol_draft_update);
this module never interprets TOML beyond finding a table header and a ``key =`` line.
"""

from __future__ import annotations

import json

__all__ = ["TomlEditError", "toml_value_set"]


class TomlEditError(ValueError):
    """The table or array item to change is not in the text."""


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string


def _header(line: str) -> str:
    return line.split("#", 1)[0].strip()


def _table_span(lines: list[str], table: str, index: int | None) -> tuple[int, int]:
    """(header line, end) of `[table]` or of the index-th `[[table]]`."""
    wanted = f"[[{table}]]" if index is not None else f"[{table}]"
    seen = 0
    start = None
    for i, line in enumerate(lines):
        if _header(line) == wanted:
            if index is None or seen == index:
                start = i
                break
            seen += 1
    if start is None:
        raise TomlEditError(f"{wanted}{'' if index is None else f' #{index}'}: not found")
    end = len(lines)
    for i in range(start + 1, len(lines)):
        if lines[i].lstrip().startswith("["):
            end = i
            break
    return start, end


def toml_value_set(
    text: str, *, table: str, key: str, value: object, index: int | None = None
) -> str:
    """`text` with ``key = value`` in `[table]` (or the index-th `[[table]]`)."""
    lines = text.splitlines()
    start, end = _table_span(lines, table, index)
    literal = _literal(value)
    for i in range(start + 1, end):
        stripped = lines[i].lstrip()
        if "=" in stripped and stripped.split("=", 1)[0].strip() == key:
            indent = lines[i][: len(lines[i]) - len(stripped)]
            rest = stripped.split("=", 1)[1].strip()
            after = rest
            if rest[:1] in ('"', "'"):  # skip the string itself: a "#" in it is no comment
                close = rest.find(rest[0], 1)
                after = rest[close + 1 :] if close > 0 else ""
            comment = "  #" + after.split("#", 1)[1] if "#" in after else ""
            lines[i] = f"{indent}{key} = {literal}{comment}"
            return "\n".join(lines) + "\n"
    # Not there yet: after the table's last key line.
    last = start
    for i in range(start + 1, end):
        if "=" in lines[i] and not lines[i].lstrip().startswith("#"):
            last = i
    lines.insert(last + 1, f"{key} = {literal}")
    return "\n".join(lines) + "\n"
