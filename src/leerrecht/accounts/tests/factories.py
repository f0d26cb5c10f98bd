from __future__ import annotations

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from leerrecht.accounts.models import Role, User
from leerrecht.registry.tests.factories import OrganisationFactory

TEST_PASSWORD = "correct-horse-battery-9"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = "Anna"
    last_name = factory.Sequence(lambda n: f"Tester {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.SCHOOL_COORDINATOR
    organisation = factory.SubFactory(OrganisationFactory, school=True)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    class Params:
        school_coordinator = factory.Trait(role=Role.SCHOOL_COORDINATOR)
        mentor = factory.Trait(role=Role.MENTOR)
        leerplicht = factory.Trait(
            role=Role.LEERPLICHT_OFFICER,
            organisation=factory.SubFactory(OrganisationFactory, leerplicht=True),
        )
        swv = factory.Trait(
            role=Role.SWV_CONSULTANT, organisation=factory.SubFactory(OrganisationFactory, swv=True)
        )
        jgz = factory.Trait(
            role=Role.YOUTH_DOCTOR, organisation=factory.SubFactory(OrganisationFactory, jgz=True)
        )
        care = factory.Trait(
            role=Role.CARE_WORKER, organisation=factory.SubFactory(OrganisationFactory, care=True)
        )
        policy = factory.Trait(
            role=Role.POLICY,
            organisation=factory.SubFactory(OrganisationFactory, municipality_org=True),
        )
        privacy_officer = factory.Trait(
            role=Role.PRIVACY_OFFICER,
            organisation=factory.SubFactory(OrganisationFactory, municipality_org=True),
        )
        # Functional administrator: the beheer workspace, never the Django admin.
        operator = factory.Trait(
            role=Role.OPERATOR,
            organisation=factory.SubFactory(OrganisationFactory, operator=True),
        )
        # Platform operator (hosting): the Django admin, no functional role (ADR 0120).
        platform_operator = factory.Trait(
            role=Role.POLICY,
            is_staff=True,
            is_superuser=True,
            organisation=factory.SubFactory(OrganisationFactory, operator=True),
        )

    @factory.post_generation
    def with_totp(self, create, extracted, **kwargs):
        if create:
            self.save()
            TOTPDevice.objects.create(user=self, name="authenticator", confirmed=True)
