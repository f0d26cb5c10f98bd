"""docs/api.md: the prose template plus the contract examples, rendered."""

from __future__ import annotations

import json
from pathlib import Path

from leerrecht.api.contract import TOKEN_PLACEHOLDERS, examples_load
from leerrecht.api.scopes import SCOPES

TEMPLATE = Path(__file__).with_name("docs_template.md")


def _example_markdown(example: dict) -> str:
    request = example["request"]
    lines = [f"{request['method']} {request['path']}"]
    if example.get("token"):
        lines.append(f"Authorization: Bearer {TOKEN_PLACEHOLDERS[example['token']]}")
    for name, value in request.get("headers", {}).items():
        lines.append(f"{name}: {value}")
    if "json" in request:
        lines += [
            "Content-Type: application/json",
            "",
            json.dumps(request["json"], indent=2, ensure_ascii=False),
        ]
    for field, spec in request.get("files", {}).items():
        lines += [
            "Content-Type: multipart/form-data",
            "",
            f'--- part "{field}", file name "{spec["name"]}":',
            spec["content"].rstrip("\n"),
        ]
    response = example["response"]
    answer = [f"HTTP {response['status']}"]
    for name, value in response.get("headers", {}).items():
        answer.append(f"{name}: {value}")
    answer += ["", json.dumps(response["body"], indent=2, ensure_ascii=False)]
    out = [f"### {example['title']}", "", "```http", *lines, "```", "", "```http", *answer, "```"]
    if example.get("after"):
        out.insert(2, f"Sent after the example `{example['after']}`.\n")
    if example.get("ignore"):
        out += ["", "Server-assigned: " + ", ".join(f"`{p}`" for p in example["ignore"]) + "."]
    return "\n".join(out)


def api_docs_markdown() -> str:
    scopes = "\n".join(f"- `{scope}`: {text}" for scope, text in SCOPES.items())
    examples = "\n\n".join(_example_markdown(e) for e in examples_load())
    text = TEMPLATE.read_text("utf-8")
    return text.replace("{scopes}", scopes).replace("{examples}", examples).rstrip("\n") + "\n"
