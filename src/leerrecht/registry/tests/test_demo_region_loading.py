"""Loading the generated demo region: idempotent, replaceable, with usable demo accounts."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django_otp.plugins.otp_totp.models import TOTPDevice
from typer.testing import CliRunner

from leerrecht.accounts.models import Role, User
from leerrecht.cli.main import app
from leerrecht.demo import demo_generate
from leerrecht.registry.models import (
    DemoDataset,
    Enrolment,
    Exemption,
    Guardian,
    Municipality,
    Organisation,
    ResidentRegisterEntry,
    RmcRegion,
    Student,
    Suspension,
)
from leerrecht.registry.services.demo import DEMO_PASSWORD, demo_load

pytestmark = pytest.mark.django_db

MODELS = (
    RmcRegion,
    Municipality,
    Organisation,
    Student,
    Guardian,
    Enrolment,
    ResidentRegisterEntry,
    Exemption,
    Suspension,
    User,
    TOTPDevice,
    DemoDataset,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _rfc6238(secret_base32: str, at: float) -> str:
    """An independent TOTP (RFC 6238, SHA-1, 30 s, 6 digits) for the check."""
    key = base64.b32decode(secret_base32)
    digest = hmac.new(key, struct.pack(">Q", int(at // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def test_loading_creates_the_region_and_loading_again_changes_nothing(tmp_path):
    manifest = demo_generate(students=300, seed=1, out_dir=tmp_path / "demo", without_enrolment=9)
    first = demo_load(manifest_dir=manifest.out_dir)
    after_first = _counts()
    second = demo_load(manifest_dir=manifest.out_dir)

    assert not first.skipped and second.skipped
    assert _counts() == after_first
    assert after_first["RmcRegion"] == 39
    assert after_first["Municipality"] == 3
    assert after_first["Student"] == manifest.counts["students_rows"]
    assert after_first["Enrolment"] == manifest.counts["enrolments_rows"]
    assert after_first["ResidentRegisterEntry"] == manifest.counts["register_rows"]
    assert after_first["DemoDataset"] == 1
    assert Organisation.objects.filter(kind="school").count() == manifest.counts["schools"]
    jgz = Organisation.objects.get(kind="jgz")
    assert jgz.served_schools.count() == manifest.counts["schools"]
    leerplicht = Organisation.objects.get(kind="leerplicht")
    assert set(leerplicht.served_municipalities.values_list("cbs_code", flat=True)) == {
        "GM0518",
        "GM1916",
        "GM0603",
    }
    assert Suspension.objects.filter(pending_removal=True).exists()
    assert first.attendance_path.exists() and first.calendar_path.exists()


def test_a_different_demo_replaces_the_previous_one_cleanly(tmp_path):
    larger = demo_generate(students=2000, seed=1, out_dir=tmp_path / "a", without_enrolment=5)
    smaller = demo_generate(students=150, seed=7, out_dir=tmp_path / "b", without_enrolment=3)
    assert larger.counts["schools"] > smaller.counts["schools"]

    for manifest in (larger, smaller, larger):
        demo_load(manifest_dir=manifest.out_dir)
        assert Student.objects.count() == manifest.counts["students_rows"]
        assert Enrolment.objects.count() == manifest.counts["enrolments_rows"]
        assert ResidentRegisterEntry.objects.count() == manifest.counts["register_rows"]
        assert Organisation.objects.filter(kind="school").count() == manifest.counts["schools"]
        assert list(DemoDataset.objects.values_list("fingerprint", flat=True)) == [
            manifest.fingerprint
        ]
        assert User.objects.filter(username="leerplicht").count() == 1
        assert User.objects.get(username="zorgcoordinator-po").organisation.kind == "school"


def test_demo_accounts_have_roles_a_valid_password_and_a_known_second_factor(tmp_path):
    manifest = demo_generate(students=100, seed=1, out_dir=tmp_path / "demo", without_enrolment=2)
    result = demo_load(manifest_dir=manifest.out_dir)

    expected_roles = {
        "leerplicht": Role.LEERPLICHT_OFFICER,
        "zorgcoordinator-po": Role.SCHOOL_COORDINATOR,
        "zorgcoordinator-vo": Role.SCHOOL_COORDINATOR,
        "swv": Role.SWV_CONSULTANT,
        "jeugdarts": Role.YOUTH_DOCTOR,
        "jeugdteam": Role.CARE_WORKER,
        "beleid": Role.POLICY,
        "privacy": Role.PRIVACY_OFFICER,
        "beheer": Role.OPERATOR,
    }
    users = {u.username: u for u in User.objects.filter(username__in=expected_roles)}
    assert {name: u.role for name, u in users.items()} == expected_roles
    assert users["zorgcoordinator-po"].organisation.school_type == "po"
    assert users["zorgcoordinator-vo"].organisation.school_type == "vo"
    assert users["beleid"].organisation.municipality.cbs_code == "GM0518"
    assert not users["beheer"].is_staff and not users["beheer"].is_superuser
    assert not users["leerplicht"].is_superuser

    secrets = {a.username: a.totp_secret for a in result.accounts}
    now = time.time()
    for name, user in users.items():
        assert user.check_password(DEMO_PASSWORD)
        validate_password(DEMO_PASSWORD, user)
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        assert device.verify_token(_rfc6238(secrets[name], now))
    assert len(set(secrets.values())) == len(secrets)


def test_demo_command_twice_prints_the_same_output(tmp_path):
    runner = CliRunner()
    args = ["demo", "--students", "1000", "--seed", "1", "--out", str(tmp_path / "demo")]
    first = runner.invoke(app, args)
    second = runner.invoke(app, args)

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert first.stdout == second.stdout
    assert "leerplicht" in first.stdout and DEMO_PASSWORD in first.stdout
    assert "leerrecht demo-otp" in first.stdout
    assert "al geladen" in second.stderr


def test_demo_command_without_loading_only_writes_files(tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        app, ["demo", "--students", "50", "--no-load", "--out", str(tmp_path / "files")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "files" / "attendance.parquet").exists()
    assert Student.objects.count() == 0
    assert "Demo-accounts" not in result.stdout


def test_demo_command_refuses_zero_students_in_one_line(tmp_path):
    result = CliRunner().invoke(
        app, ["demo", "--students", "0", "--no-load", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["error: --students must be at least 1, not 0"]


def test_demo_otp_prints_the_code_of_a_demo_account_and_refuses_others(tmp_path):
    manifest = demo_generate(students=50, seed=1, out_dir=tmp_path / "demo", without_enrolment=1)
    result = demo_load(manifest_dir=manifest.out_dir)
    secret = next(a.totp_secret for a in result.accounts if a.username == "jeugdarts")
    User.objects.create_user("echte-gebruiker", password="x-very-long-password-1")
    runner = CliRunner()

    before = time.time()
    shown = runner.invoke(app, ["demo-otp", "jeugdarts"])
    assert shown.exit_code == 0, shown.output
    code = shown.stdout.strip()
    assert code in {_rfc6238(secret, before), _rfc6238(secret, time.time())}

    refused = runner.invoke(app, ["demo-otp", "echte-gebruiker"])
    assert refused.exit_code == 2
    assert "not a demo account" in refused.stderr
    assert refused.stdout == ""


def test_the_documented_totp_secrets_are_the_ones_the_accounts_get(tmp_path):
    from pathlib import Path

    from leerrecht.registry.services.demo import demo_totp_secret

    docs = Path(__file__).resolve().parents[4] / "docs" / "demo-region.md"
    text = docs.read_text("utf-8")
    for username in ("leerplicht", "zorgcoordinator-po", "jeugdarts", "beheer"):
        assert f"| {username} |" in text
        assert f"`{demo_totp_secret(username)}`" in text
    assert DEMO_PASSWORD in text
