"""factory_boy factories for the registry, with traits for the common shapes."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from leerrecht.registry.models import (
    Enrolment,
    Exemption,
    Guardian,
    Municipality,
    Organisation,
    OrganisationKind,
    ResidentRegisterEntry,
    RmcRegion,
    Student,
    Suspension,
)


def valid_bsn(n: int) -> str:
    """A distinct valid BSN for every n >= 0 (11-check; different n, different number).

    The 8-digit prefix 10000000 + 2n gets its check digit; when that would be 10, the odd
    prefix 10000000 + 2n + 1 (used by no other n, and its check digit is then 1) is taken.
    """
    weights = (9, 8, 7, 6, 5, 4, 3, 2)
    prefix = 10_000_000 + 2 * n
    check = sum(int(d) * w for d, w in zip(f"{prefix:08d}", weights, strict=True)) % 11
    if check == 10:
        prefix += 1
        check = sum(int(d) * w for d, w in zip(f"{prefix:08d}", weights, strict=True)) % 11
    return f"{prefix:08d}{check}"


class RmcRegionFactory(DjangoModelFactory):
    class Meta:
        model = RmcRegion
        django_get_or_create = ("name",)

    name = "Haaglanden"


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("cbs_code",)

    cbs_code = factory.Sequence(lambda n: f"GM{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    rmc_region = factory.SubFactory(RmcRegionFactory)

    class Params:
        den_haag = factory.Trait(cbs_code="GM0518", name="'s-Gravenhage")
        leidschendam_voorburg = factory.Trait(cbs_code="GM1916", name="Leidschendam-Voorburg")
        rijswijk = factory.Trait(cbs_code="GM0603", name="Rijswijk")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    kind = OrganisationKind.SCHOOL
    name = factory.Sequence(lambda n: f"Organisatie {n}")

    class Params:
        school = factory.Trait(
            kind=OrganisationKind.SCHOOL,
            name=factory.Sequence(lambda n: f"Basisschool De Linde {n}"),
            brin=factory.Sequence(
                lambda n: f"{10 + n % 90:02d}{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}"
            ),
            school_type="po",
            municipality=factory.SubFactory(MunicipalityFactory),
        )
        swv = factory.Trait(
            kind=OrganisationKind.SWV, name=factory.Sequence(lambda n: f"SWV {n}"), sector="po"
        )
        leerplicht = factory.Trait(
            kind=OrganisationKind.LEERPLICHT, name=factory.Sequence(lambda n: f"Leerplicht {n}")
        )
        jgz = factory.Trait(kind=OrganisationKind.JGZ, name=factory.Sequence(lambda n: f"JGZ {n}"))
        care = factory.Trait(
            kind=OrganisationKind.CARE, name=factory.Sequence(lambda n: f"Jeugdteam {n}")
        )
        municipality_org = factory.Trait(
            kind=OrganisationKind.MUNICIPALITY,
            name=factory.Sequence(lambda n: f"Gemeente-organisatie {n}"),
            municipality=factory.SubFactory(MunicipalityFactory),
        )
        operator = factory.Trait(kind=OrganisationKind.OPERATOR, name="Beheer")

    @factory.post_generation
    def served_municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.served_municipalities.set(extracted)

    @factory.post_generation
    def served_schools(self, create, extracted, **kwargs):
        if create and extracted:
            self.served_schools.set(extracted)


class StudentFactory(DjangoModelFactory):
    class Meta:
        model = Student

    bsn = factory.Sequence(valid_bsn)
    given_names = factory.Iterator(["Sanne", "Daan", "Noor", "Milan", "Fatima", "Ayoub", "Emma"])
    tussenvoegsel = ""
    surname = factory.Iterator(["Jansen", "de Vries", "Bakker", "El Amrani", "Visser", "Yilmaz"])
    date_of_birth = dt.date(2014, 5, 17)
    residence_municipality = factory.SubFactory(MunicipalityFactory)
    source_id = factory.Sequence(lambda n: f"L{n:07d}")

    class Params:
        vo_age = factory.Trait(date_of_birth=dt.date(2011, 3, 2))
        without_bsn = factory.Trait(bsn="", education_number="100000004")


class GuardianFactory(DjangoModelFactory):
    class Meta:
        model = Guardian

    student = factory.SubFactory(StudentFactory)
    name = "J. Jansen"
    relation = "moeder"
    phone = "06-12345678"
    email = "ouder@example.org"


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    student = factory.SubFactory(StudentFactory)
    school = factory.SubFactory(OrganisationFactory, school=True)
    start = dt.date(2020, 8, 17)
    end = None

    class Params:
        ended = factory.Trait(end=dt.date(2025, 7, 18))


class ExemptionFactory(DjangoModelFactory):
    class Meta:
        model = Exemption

    student = factory.SubFactory(StudentFactory)
    article = "5a"
    start = dt.date(2025, 9, 1)
    end = dt.date(2026, 7, 31)
    declaration_date = dt.date(2025, 8, 15)


class SuspensionFactory(DjangoModelFactory):
    class Meta:
        model = Suspension

    student = factory.SubFactory(StudentFactory)
    school = factory.SubFactory(OrganisationFactory, school=True)
    start = dt.date(2025, 11, 3)
    end = None
    pending_removal = True


class ResidentRegisterEntryFactory(DjangoModelFactory):
    class Meta:
        model = ResidentRegisterEntry

    bsn = factory.Sequence(lambda n: valid_bsn(n + 500_000))
    given_names = "Lina"
    surname = "Bouzid"
    date_of_birth = dt.date(2013, 1, 9)
    address = "Laan van Meerdervoort 1"
    municipality = factory.SubFactory(MunicipalityFactory)
    settled_on = dt.date(2013, 1, 9)
