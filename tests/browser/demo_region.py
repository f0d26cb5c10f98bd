"""The demo region the page scan and the keyboard walk share: 300 pupils with the demo
accounts, signals, cases and meldingen, plus what the demo itself does not make (two
compared lists, an unmapped upload, a population-register run, a protocol draft). Returns
the objects whose ids the site map's detail pages need (tests/browser/site_map.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest


@pytest.fixture
def demo_region(transactional_db, settings, tmp_path):
    from leerrecht.attendance.services import attendance_demo_import
    from leerrecht.cases.demo import cases_demo_seed
    from leerrecht.demo import demo_generate
    from leerrecht.registry.services.demo import demo_load

    manifest = demo_generate(
        students=300, seed=1, out_dir=Path(tmp_path) / "demo", without_enrolment=5
    )
    demo_load(manifest_dir=manifest.out_dir)
    demo_import = attendance_demo_import(data_dir=manifest.out_dir)
    cases_demo_seed(reference_date=manifest.reference_date)
    settings.LEERRECHT_JOBS_EAGER = True
    settings.LEERRECHT_PAGE_SIZE = 10  # the demo's lists run to a second page
    return _demo_objects(demo_import)


# Two small lists of the same children, as a leerplicht office and a SWV would send them,
# and a population-register extract: the reconciliation pages need a result to show.
LIST_A = "Achternaam,Voornamen,Geboortedatum,Status\n{rows_a}"
LIST_B = "Naam;Roepnaam;Geb datum;Situatie\n{rows_b}"
REGISTER = "BSN;Voornamen;Achternaam;Geboortedatum;Adres;Gemeente\n{rows}"


def _demo_objects(demo_import) -> SimpleNamespace:
    """The demo objects whose ids the site map's detail pages need, seen by their role."""
    from leerrecht.accounts.models import User
    from leerrecht.attendance.models import AttendanceImport
    from leerrecht.attendance.query import signal_hits_for_user
    from leerrecht.cases.query import cases_for_user, meldingen_for_user
    from leerrecht.privacy.query import students_for_user
    from leerrecht.protocols.services import protocol_draft_create
    from leerrecht.reconciliation import services as rec
    from leerrecht.reconciliation.selectors import mapping_for_import

    users = {u.username: u for u in User.objects.select_related("organisation")}
    officer, school = users["leerplicht"], users["zorgcoordinator-po"]
    # The demo attendance was imported by the system; let the school own it for its page.
    AttendanceImport.objects.filter(pk=demo_import.pk).update(
        organisation=school.organisation, uploaded_by=school
    )
    case = cases_for_user(officer).order_by("pk").first()
    kids = list(students_for_user(officer).order_by("pk")[:3])
    rows_a = "\n".join(
        f"{k.surname},{k.given_names},{k.date_of_birth:%d-%m-%Y},thuiszitter" for k in kids
    )
    rows_b = (
        "\n".join(
            f"{k.surname};{k.given_names};{k.date_of_birth:%d-%m-%Y};op school" for k in kids[:2]
        )
        + "\nBakker;Lotte;01-01-2015;thuiszitter"
    )
    imports = []
    for source, kind, content in (
        ("Leerplicht", "list", LIST_A.format(rows_a=rows_a)),
        ("SWV", "list", LIST_B.format(rows_b=rows_b)),
        (
            "BRP",
            "register",
            REGISTER.format(
                rows="\n".join(
                    f"{k.bsn};{k.given_names};{k.surname};{k.date_of_birth:%d-%m-%Y};Laan 1;GM0518"
                    for k in kids
                )
            ),
        ),
        ("SWV", "list", LIST_B.format(rows_b=rows_b)),  # left unmapped: the mapping page
    ):
        li = rec.list_upload(
            user=officer,
            source_name=source,
            source_kind="swv" if kind == "list" else "brp",
            kind=kind,
            filename=f"{source}.csv",
            content=content.encode(),
        )
        imports.append(li)
    for li in imports[:3]:
        _t, mapping, _r = mapping_for_import(list_import=li)
        assert rec.list_import_apply(user=officer, list_import=li, mapping=mapping).errors == []
    # A draft of the region's protocol, for the protocol studio's draft page.
    protocol_draft_create(preset_name="haaglanden-po", author=users["beheer"])
    school_meldingen = meldingen_for_user(school).order_by("pk")
    return SimpleNamespace(
        case=case,
        student=case.student,
        melding=meldingen_for_user(officer).order_by("pk").first(),
        hit=signal_hits_for_user(officer).order_by("pk").first(),
        list_uploaded=imports[3],
        reconciliation=rec.reconciliation_start(user=officer, list_a=imports[0], list_b=imports[1]),
        av_run=rec.absolute_verzuim_start(
            user=officer, register=imports[2], on=demo_import.created_at.date()
        ),
        attendance_import=demo_import,
        school=school.organisation,
        school_melding=(
            school_meldingen.filter(organisation=school.organisation).first()
            or school_meldingen.first()
        ),
        school_student=students_for_user(school).order_by("pk").first(),
        mentor_user=users["jeugdteam"],
    )
