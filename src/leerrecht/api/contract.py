"""The contract examples of docs/api.md and the small world they run against.

`examples.json` holds every example request with its exact response. The contract tests
(api/tests/test_contract_examples.py) send each request to the application seeded with
`contract_world()` and compare the answer; docs/api.md prints the same examples
(`leerrecht api-docs`). Values the server assigns (ids of created objects) are listed per
example under "ignore" and only checked for presence.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

EXAMPLES_PATH = Path(__file__).with_name("examples.json")
# Shown in the docs instead of the real, secret token values.
TOKEN_PLACEHOLDERS = {
    "school": "lr_3f9a1c2e_<geheim>",
    "policy": "lr_7b2d4e6f_<geheim>",
}


def examples_load() -> list[dict]:
    return json.loads(EXAMPLES_PATH.read_text("utf-8"))


def contract_world() -> dict:
    """Two schools in 's-Gravenhage, three children, a DUO melding, a case, one signal.

    Students get fixed ids (501-503) so the examples can name them."""
    from django.utils import timezone

    from leerrecht.accounts.models import Role, User
    from leerrecht.api.services import api_token_create
    from leerrecht.attendance.models import AttendanceImport, SignalHit
    from leerrecht.cases.services import case_open, melding_create_duo
    from leerrecht.registry.models import (
        Enrolment,
        Municipality,
        Organisation,
        OrganisationKind,
        RmcRegion,
        Student,
    )

    region, _ = RmcRegion.objects.get_or_create(name="Haaglanden")
    den_haag, _ = Municipality.objects.get_or_create(
        cbs_code="GM0518", defaults={"name": "'s-Gravenhage", "rmc_region": region}
    )
    parel = Organisation.objects.create(
        kind=OrganisationKind.SCHOOL, name="Basisschool De Parel", brin="12AB",
        school_type="po", municipality=den_haag,
    )  # fmt: skip
    anker = Organisation.objects.create(
        kind=OrganisationKind.SCHOOL, name="Basisschool Het Anker", brin="34CD",
        school_type="po", municipality=den_haag,
    )  # fmt: skip
    leerplicht = Organisation.objects.create(
        kind=OrganisationKind.LEERPLICHT, name="Leerplicht Den Haag"
    )
    leerplicht.served_municipalities.set([den_haag])
    gemeente = Organisation.objects.create(
        kind=OrganisationKind.MUNICIPALITY, name="Gemeente Den Haag", municipality=den_haag
    )
    people = [
        (501, "111222333", "Sanne", "", "Jansen", dt.date(2014, 5, 17), "L0000501", parel),
        (502, "123456782", "Daan", "de", "Vries", dt.date(2015, 2, 3), "L0000502", parel),
        (503, "999990019", "Noor", "", "Bakker", dt.date(2014, 9, 30), "L0000503", anker),
    ]
    students = {}
    for pk, bsn, given, tussen, surname, born, source, school in people:
        students[pk] = Student.objects.create(
            pk=pk, bsn=bsn, given_names=given, tussenvoegsel=tussen, surname=surname,
            date_of_birth=born, residence_municipality=den_haag, source_id=source,
        )  # fmt: skip
        Enrolment.objects.create(student=students[pk], school=school, start=dt.date(2020, 8, 17))

    school_token, school_plain = api_token_create(
        organisation=parel,
        name="Leerlingvolgsysteem De Parel",
        role=Role.SCHOOL_COORDINATOR,
        scopes=[
            "students:read", "attendance:read", "attendance:write", "meldingen:read",
            "meldingen:write", "signals:read", "cases:read",
        ],
    )  # fmt: skip
    _, policy_plain = api_token_create(
        organisation=gemeente, name="Dashboard beleid", role=Role.POLICY, scopes=["figures:read"]
    )

    lpa = User.objects.create(
        username="lpa-contract", first_name="Lotte", last_name="de Leerplicht",
        organisation=leerplicht, role=Role.LEERPLICHT_OFFICER,
    )  # fmt: skip
    melding = melding_create_duo(
        user=school_token.account,
        student=students[501],
        duo_kind="16_uur",
        reported_on=dt.date(2026, 11, 12),
        period_start=dt.date(2026, 10, 26),
        hours=17,
        note="17 uur ongeoorloofd in 4 weken.",
    )
    case, _ = case_open(
        user=lpa,
        student=students[501],
        melding=melding,
        anchor_date=dt.date(2026, 10, 26),
        regiehouder=leerplicht,
        casusverantwoordelijke=lpa,
        opened_on=dt.date(2026, 11, 16),
    )
    imp = AttendanceImport.objects.create(
        organisation=parel, original_name="verzuim-oktober.csv",
        sha256="9c56cc51b374c3ba189210d5b6d4bf57790d351c96c47c02190ecf1e430635ab",
        protocol="haaglanden-po", status=AttendanceImport.Status.DONE, row_count=40,
        student_count=2, first_date=dt.date(2026, 10, 26), last_date=dt.date(2026, 11, 20),
        finished_at=timezone.now(),
        result={"signals_found": 1, "signals_new": 1, "signals_existing": 0,
                "students_matched": 2, "unknown_students": 0, "out_of_scope_students": 0,
                "summaries": 2},
    )  # fmt: skip
    SignalHit.objects.create(
        student=students[501], signal="unauthorised_16h_4w", first_date=dt.date(2026, 11, 10),
        details={"value": 17.0}, protocol="haaglanden-po",
        leads_to=["report_duo", "report_leerplicht"], attendance_import=imp,
    )  # fmt: skip
    return {
        "tokens": {"school": school_plain, "policy": policy_plain},
        "melding": melding,
        "case": case,
        "import": imp,
    }


def example_path(example: dict, world: dict) -> str:
    return (
        example["request"]["path"]
        .replace("{case_id}", str(world["case"].pk))
        .replace("{melding_id}", str(world["melding"].pk))
        .replace("{duo_melding_id}", str(world["melding"].pk))
        .replace("{import_id}", str(world["import"].pk))
    )


def example_send(client, example: dict, world: dict):
    """Send one example's request with the Django test client."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = example["request"]
    headers = dict(request.get("headers", {}))
    if example.get("token"):
        headers["Authorization"] = f"Bearer {world['tokens'][example['token']]}"
    path = example_path(example, world)
    if request["method"] == "GET":
        return client.get(path, headers=headers)
    if "json" in request:
        body = json.dumps(request["json"]).replace("{melding_id}", str(world["melding"].pk))
        return client.post(path, data=body, content_type="application/json", headers=headers)
    files = {
        field: SimpleUploadedFile(spec["name"], spec["content"].encode(), content_type="text/csv")
        for field, spec in request.get("files", {}).items()
    }
    return client.post(path, data=files, headers=headers)


def without_ignored(body, paths: list[str]):
    """`body` with the values at `paths` ("a.b", "results.*.id") replaced by "<ignored>"."""
    body = json.loads(json.dumps(body))

    def blank(node, parts):
        if not parts or node is None:
            return
        head, rest = parts[0], parts[1:]
        if head == "*" and isinstance(node, list):
            for item in node:
                blank(item, rest)
        elif isinstance(node, dict) and head in node:
            if rest:
                blank(node[head], rest)
            else:
                node[head] = "<ignored>"

    for path in paths:
        blank(body, path.split("."))
    return body
