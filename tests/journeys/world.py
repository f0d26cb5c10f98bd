"""A small Haaglanden region with one account per demo role (the nine roles of
`leerrecht demo`), shared by the cross-feature invariants and the browser journeys.

Den Haag and Rijswijk, a po SWV with a primary school in each municipality, a secondary
school (vo SWV), one leerplicht office serving both municipalities, a JGZ serving every
school, a jeugdteam, a municipality organisation for policy and privacy, and an operator.
Pupils are made by the tests themselves (so each test shows what it relies on).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from leerrecht.accounts.models import Role
from leerrecht.accounts.tests.factories import UserFactory
from leerrecht.registry.models import Organisation, OrganisationKind
from leerrecht.registry.tests.factories import (
    EnrolmentFactory,
    GuardianFactory,
    MunicipalityFactory,
    OrganisationFactory,
    StudentFactory,
)

# The nine demo roles (leerrecht.registry.services.demo._account_specs), in journey order.
ROLES = (
    "zorgcoordinator-po",
    "zorgcoordinator-vo",
    "leerplicht",
    "jeugdarts",
    "swv",
    "jeugdteam",
    "beleid",
    "privacy",
    "beheer",
)


@dataclass
class World:
    den_haag: object
    rijswijk: object
    swv_po: Organisation
    swv_vo: Organisation
    po_school: Organisation
    po_school_rijswijk: Organisation
    vo_school: Organisation
    leerplicht: Organisation
    jgz: Organisation
    care: Organisation
    gemeente: Organisation
    users: dict

    def pupil(self, *, school=None, born=dt.date(2015, 3, 7), **kwargs):
        """A pupil enrolled at `school` (default the Den Haag primary school) since 2022."""
        school = school or self.po_school
        municipality = school.municipality
        student = StudentFactory(
            residence_municipality=municipality, date_of_birth=born, without_bsn=True, **kwargs
        )
        EnrolmentFactory(student=student, school=school, start=dt.date(2022, 8, 22), group="6b")
        GuardianFactory(student=student, name=f"M. {student.surname}", relation="moeder")
        return student


def world_build() -> World:
    den_haag = MunicipalityFactory(den_haag=True)
    rijswijk = MunicipalityFactory(
        cbs_code="GM0603", name="Rijswijk", rmc_region=den_haag.rmc_region
    )
    swv_po = OrganisationFactory(swv=True, name="SWV Passend Primair Onderwijs Hofstad")
    swv_vo = OrganisationFactory(swv=True, name="SWV Voortgezet Onderwijs Hofstad", sector="vo")
    po_school = OrganisationFactory(school=True, municipality=den_haag, name="Basisschool De Parel")
    po_school_rijswijk = OrganisationFactory(
        school=True, municipality=rijswijk, name="Basisschool Het Anker"
    )
    vo_school = OrganisationFactory(
        school=True, school_type="vo", municipality=den_haag, name="Hofstad College"
    )
    schools = [po_school, po_school_rijswijk, vo_school]
    # (`swv=` is the factory's trait for an SWV organisation; membership is set here.)
    for school, swv in zip(schools, (swv_po, swv_po, swv_vo), strict=True):
        school.swv = swv
        school.save(update_fields=["swv"])
    leerplicht = OrganisationFactory(
        leerplicht=True, name="Leerplicht Haaglanden", served_municipalities=[den_haag, rijswijk]
    )
    jgz = OrganisationFactory(jgz=True, name="JGZ Haaglanden", served_schools=schools)
    care = OrganisationFactory(care=True, name="Jeugdteam Centrum")
    gemeente = OrganisationFactory(
        kind=OrganisationKind.MUNICIPALITY, name="Gemeente Den Haag", municipality=den_haag
    )
    operator = OrganisationFactory(operator=True)
    specs = {
        "zorgcoordinator-po": (Role.SCHOOL_COORDINATOR, po_school, "Ineke", "Begeleider"),
        "zorgcoordinator-vo": (Role.SCHOOL_COORDINATOR, vo_school, "Vincent", "Zorg"),
        "leerplicht": (Role.LEERPLICHT_OFFICER, leerplicht, "Lotte", "Leerplicht"),
        "jeugdarts": (Role.YOUTH_DOCTOR, jgz, "Jasper", "Arts"),
        "swv": (Role.SWV_CONSULTANT, swv_po, "Sanne", "Verband"),
        "jeugdteam": (Role.CARE_WORKER, care, "Jamila", "Team"),
        "beleid": (Role.POLICY, gemeente, "Bart", "Beleid"),
        "privacy": (Role.PRIVACY_OFFICER, gemeente, "Priya", "Privacy"),
        "beheer": (Role.OPERATOR, operator, "Bram", "Beheer"),
    }
    users = {
        username: UserFactory(
            username=username,
            role=role,
            organisation=org,
            first_name=first,
            last_name=last,
            is_staff=role == Role.OPERATOR,
            is_superuser=role == Role.OPERATOR,
        )
        for username, (role, org, first, last) in specs.items()
    }
    return World(
        den_haag,
        rijswijk,
        swv_po,
        swv_vo,
        po_school,
        po_school_rijswijk,
        vo_school,
        leerplicht,
        jgz,
        care,
        gemeente,
        users,
    )
