"""Operators create, list and revoke tokens with `leerrecht api-token`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from leerrecht.api.models import ApiToken
from leerrecht.cli.main import app

pytestmark = pytest.mark.django_db(transaction=False)


def test_create_list_revoke(two_schools, client):
    school = two_schools["school_a"]
    runner = CliRunner()
    created = runner.invoke(
        app,
        ["api-token", "create", "--organisation", school.brin, "--name", "LVS",
         "--role", "school_coordinator", "--scope", "students:read"],
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    plaintext = created.output.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert plaintext.startswith(f"lr_{token.prefix}_")
    assert (
        client.get("/api/v1/students", headers={"Authorization": f"Bearer {plaintext}"}).status_code
        == 200
    )

    listed = runner.invoke(app, ["api-token", "list"])
    assert token.prefix in listed.output
    assert plaintext.split("_", 2)[2] not in listed.output

    revoked = runner.invoke(app, ["api-token", "revoke", token.prefix])
    assert revoked.exit_code == 0
    assert (
        client.get("/api/v1/students", headers={"Authorization": f"Bearer {plaintext}"}).status_code
        == 401
    )


def test_create_refuses_a_role_outside_the_organisation_kind(two_schools):
    result = CliRunner().invoke(
        app,
        ["api-token", "create", "--organisation", two_schools["school_a"].brin, "--name", "x",
         "--role", "policy", "--scope", "figures:read"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "not available for a school" in result.output
    assert ApiToken.objects.count() == 0
