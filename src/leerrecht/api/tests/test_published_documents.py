"""docs/api/openapi.json and docs/api.md are exactly what the application generates."""

from __future__ import annotations

import json
from pathlib import Path

from leerrecht.api.docs import api_docs_markdown
from leerrecht.api.selectors import api_openapi_document

DOCS = Path(__file__).resolve().parents[4] / "docs"


def test_committed_openapi_document_is_the_generated_one():
    committed = (DOCS / "api" / "openapi.json").read_text("utf-8")
    assert committed == api_openapi_document(), (
        "regenerate: leerrecht api-schema > docs/api/openapi.json"
    )


def test_committed_api_docs_are_the_generated_ones():
    committed = (DOCS / "api.md").read_text("utf-8")
    assert committed == api_docs_markdown(), "regenerate: leerrecht api-docs > docs/api.md"


def test_served_openapi_document_is_openapi_3_and_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == "1.1.0"
    assert document == json.loads(api_openapi_document())


def test_every_error_response_is_documented_as_problem_json():
    document = json.loads(api_openapi_document())
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                if int(code) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], (
                        method,
                        path,
                        code,
                    )
            assert {"400", "401", "403", "429"} <= set(operation["responses"]), (method, path)
