"""The published OpenAPI document passes the NL API Design Rules linter (Logius Spectral
ruleset, docs/api/api-design-rules.spectral.yaml) with zero errors; and the behaviour the
rules describe holds on the wire (API-Version header, lowerCamelCase query parameters, the
1.0 names accepted with a Deprecation header)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from leerrecht.api.selectors import api_openapi_document

REPO = Path(__file__).resolve().parents[4]
RULESET = REPO / "docs" / "api" / "api-design-rules.spectral.yaml"


def spectral_lint(document: Path) -> list[dict]:
    spectral = Path(settings.NODE_MODULES) / ".bin" / "spectral"
    assert spectral.exists(), f"{spectral} missing: scripts/test.sh installs it (npm ci)"
    run = subprocess.run(
        [str(spectral), "lint", "--quiet", "-f", "json", "-r", str(RULESET), str(document)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.stdout.strip(), run.stderr
    return json.loads(run.stdout)


def test_generated_openapi_document_has_no_api_design_rules_errors(tmp_path):
    document = tmp_path / "openapi.json"
    document.write_text(api_openapi_document(), "utf-8")
    results = spectral_lint(document)
    errors = [
        f"{r['code']}: {r['message']} at {'.'.join(map(str, r['path']))}"
        for r in results
        if r["severity"] == 0
    ]
    assert errors == []
    schema = json.loads(document.read_text("utf-8"))
    assert schema["servers"][0]["url"] == "/api/v1"
    assert set(schema["info"]["contact"]) == {"name", "email", "url"}


@pytest.mark.django_db
def test_query_parameters_are_lower_camel_case_and_old_names_are_deprecated(
    client, school_a_token, bearer
):
    auth = bearer(school_a_token[1])

    new = client.get("/api/v1/students?pageSize=1", **auth)
    assert new.status_code == 200
    assert new["API-Version"] == "1.1.0"
    assert "Deprecation" not in new
    assert new.json()["page_size"] == 1

    old = client.get("/api/v1/students?page_size=1", **auth)
    assert old.status_code == 200
    assert old.json()["page_size"] == 1
    assert old["Deprecation"].startswith("@")
    assert 'rel="deprecation"' in old["Link"]

    unknown = client.get("/api/v1/students?pagesize=1", **auth)
    assert unknown.status_code == 400
    assert unknown["API-Version"] == "1.1.0"
