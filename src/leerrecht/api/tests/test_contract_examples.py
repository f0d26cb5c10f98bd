"""Contract tests: every example of docs/api.md (api/examples.json) is what the API answers."""

from __future__ import annotations

import json
import os

import pytest
from freezegun import freeze_time

from leerrecht.api.contract import contract_world as _contract_world
from leerrecht.api.contract import example_send, examples_load, without_ignored

EXAMPLES = examples_load()
BY_NAME = {e["name"]: e for e in EXAMPLES}


@pytest.fixture
def contract_world(db, settings):
    settings.LEERRECHT_PROTOCOL = "haaglanden-po"
    with freeze_time("2026-11-23 09:00:00"):  # 10:00 in Amsterdam
        yield _contract_world()


def test_every_operation_has_an_example():
    from leerrecht.api.v1 import api

    document = api.get_openapi_schema()
    server = document["servers"][0]["url"]
    operations = {
        (method.upper(), server + path) for path, ops in document["paths"].items() for method in ops
    }
    covered = set()
    for example in EXAMPLES:
        path = example["request"]["path"].split("?")[0]
        for method, template in operations:
            prefix = template.split("{")[0]
            if method == example["request"]["method"] and (
                path == template
                or ("{" in template and path.startswith(prefix) and path != prefix.rstrip("/"))
            ):
                covered.add((method, template))
    assert operations - covered == set()


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(BY_NAME))
def test_example_answer_is_exactly_as_documented(client, contract_world, name):
    example = BY_NAME[name]
    with freeze_time("2026-11-23 09:00:00"):
        if example.get("after"):
            example_send(client, BY_NAME[example["after"]], contract_world)
        response = example_send(client, example, contract_world)
    body = response.json()
    record = os.environ.get("LEERRECHT_RECORD_API_EXAMPLES")
    if record:  # maintainer aid: write what the API answers, to review and copy
        with open(record, "a", encoding="utf-8") as out:
            out.write(json.dumps({"name": name, "status": response.status_code,
                                  "content_type": response["Content-Type"], "body": body},
                                 ensure_ascii=False) + "\n")  # fmt: skip
    expected = example["response"]
    assert response.status_code == expected["status"]
    for header, value in expected.get("headers", {}).items():
        assert response[header] == value
    ignored = example.get("ignore", [])
    assert without_ignored(body, ignored) == without_ignored(expected["body"], ignored)
    for path in ignored:
        assert "<ignored>" in json.dumps(without_ignored(body, [path])), f"{path} missing"
