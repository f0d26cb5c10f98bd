"""`leerrecht protocol diff|simulate` also names versions kept in the database
(NAME@NUMBER), e.g. a draft before it is published."""

from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from leerrecht.cli.main import app
from leerrecht.engine.tests.conftest import ladder_attendance_csv
from leerrecht.protocols.editing import toml_value_set
from leerrecht.protocols.services import protocol_draft_create, protocol_draft_update

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_diff_and_simulate_a_stored_draft(operator, tmp_path):
    draft = protocol_draft_create(preset_name="landelijk", author=operator)
    text = toml_value_set(
        draft.content, table="signals.unauthorised_16h_4w", key="more_than_hours", value=10
    )
    protocol_draft_update(version=draft, author=operator, content=text, reason="eerder")

    result = runner.invoke(app, ["protocol", "diff", "landelijk@1", "landelijk@2"])
    assert result.exit_code == 0, result.output
    assert (
        result.stdout.splitlines()[1] == "signals.unauthorised_16h_4w.more_than_hours,changed,16,10"
    )

    attendance = tmp_path / "a.csv"
    ladder_attendance_csv(attendance)
    result = runner.invoke(
        app,
        [
            "protocol",
            "simulate",
            "landelijk@2",
            "--attendance",
            str(attendance),
            "--against",
            "landelijk@1",
        ],
    )
    assert result.exit_code == 0, result.output
    total = next(
        r
        for r in csv.DictReader(io.StringIO(result.stdout))
        if r["dimension"] == "total" and r["signal"] == "unauthorised_16h_4w"
    )
    assert (total["landelijk@1"], total["landelijk@2"], total["difference"]) == ("8", "14", "6")

    result = runner.invoke(app, ["protocol", "diff", "landelijk@1", "landelijk@9"])
    assert result.exit_code == 2 and "no such protocol version" in result.output
