from leerrecht.registry.models.demo import DemoDataset
from leerrecht.registry.models.organisations import (
    Municipality,
    Organisation,
    OrganisationKind,
    RmcRegion,
    SchoolType,
    Sector,
)
from leerrecht.registry.models.students import (
    Enrolment,
    Exemption,
    ExemptionArticle,
    Guardian,
    ResidentRegisterEntry,
    Student,
    Suspension,
)

__all__ = [
    "DemoDataset",
    "Enrolment",
    "Exemption",
    "ExemptionArticle",
    "Guardian",
    "Municipality",
    "Organisation",
    "OrganisationKind",
    "ResidentRegisterEntry",
    "RmcRegion",
    "SchoolType",
    "Sector",
    "Student",
    "Suspension",
]
