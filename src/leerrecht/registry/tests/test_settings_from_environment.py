"""Strict parsing of settings from the environment (config/env.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from leerrecht.config.env import env_bool, env_int, env_list, parse_database_url


def test_an_absolute_sqlite_url_names_the_file():
    url = parse_database_url("sqlite:////srv/leerrecht/db.sqlite3")
    assert url.engine == "django.db.backends.sqlite3"
    assert url.name == "/srv/leerrecht/db.sqlite3"


def test_a_relative_sqlite_url_names_a_relative_file():
    assert parse_database_url("sqlite:///var/db.sqlite3").name == "var/db.sqlite3"


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
def test_a_postgres_url_gives_every_connection_part(scheme):
    url = parse_database_url(f"{scheme}://leer:ge%40heim@db.example.org:6543/leerrecht")
    config = url.as_django()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == (
        "leerrecht",
        "leer",
        "ge@heim",
    )
    assert (config["HOST"], config["PORT"]) == ("db.example.org", "6543")


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("nonsense://x", "unsupported scheme 'nonsense'"),
        ("just-a-word", "unsupported scheme"),
        ("postgres://user@host:5432/", "needs a database name"),
        ("postgres://user@host:port/db", "malformed"),
        ("sqlite://", "SQLite URL looks like"),
        ("sqlite://host/file.db", "SQLite URL looks like"),
    ],
)
def test_a_bad_database_url_names_the_variable_and_the_problem(raw, fragment):
    with pytest.raises(ImproperlyConfigured) as caught:
        parse_database_url(raw)
    message = str(caught.value)
    assert "DATABASE_URL" in message and fragment in message
    assert "\n" not in message


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("Yes", True), ("off", False)])
def test_booleans_accept_the_usual_spellings(raw, expected):
    assert env_bool("LEERRECHT_X", not expected, environ={"LEERRECHT_X": raw}) is expected


def test_a_missing_boolean_takes_its_default():
    assert env_bool("LEERRECHT_X", True, environ={}) is True


def test_a_bad_boolean_is_refused_with_the_variable_name():
    with pytest.raises(ImproperlyConfigured, match="LEERRECHT_DEBUG='maybe' is not a boolean"):
        env_bool("LEERRECHT_DEBUG", False, environ={"LEERRECHT_DEBUG": "maybe"})


def test_integers_are_parsed_and_checked_against_their_minimum():
    assert env_int("N", 5, environ={"N": " 12 "}) == 12
    assert env_int("N", 5, environ={"N": ""}) == 5
    with pytest.raises(ImproperlyConfigured, match="is not a whole number"):
        env_int("N", 5, environ={"N": "1.5"})
    with pytest.raises(ImproperlyConfigured, match="must be at least 1"):
        env_int("N", 5, minimum=1, environ={"N": "0"})


def test_lists_are_split_on_commas():
    assert env_list("H", [], environ={"H": "a.example, b.example,,"}) == ["a.example", "b.example"]


def test_the_command_line_reports_a_bad_database_url_in_one_line(tmp_path):
    leerrecht = Path(sys.executable).with_name("leerrecht")
    env = {
        **os.environ,
        "DATABASE_URL": "nonsense://x",
        "LEERRECHT_DATA_DIR": str(tmp_path / "var"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [str(leerrecht), "demo", "--students", "10"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "DATABASE_URL" in lines[0] and "nonsense" in lines[0]
    assert not (tmp_path / "var" / "demo").exists()  # nothing generated before the failure
