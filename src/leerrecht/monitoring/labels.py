"""Dutch labels (gettext, ADR 0002) for the codes of the pure figures modules."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from leerrecht.monitoring.figures import definitions as d

DEFINITION_LABELS = {
    d.INSPECTIE: _("1. Inspectie / overheid"),
    d.ONDERZOEK: _("2. Onderzoeksdefinitie (LRV + AV)"),
    d.BREED_CASUS1: _("3. Breed (casus 1)"),
    d.BREED_CASUS2: _("4. Breed (casus 2)"),
}

DEFINITION_TEXT = {
    d.INSPECTIE: _(
        "Leerplichtig kind van 5-18 jaar dat niet is ingeschreven, of meer dan vier weken "
        "aaneengesloten zonder geldige reden geen onderwijs volgt."
    ),
    d.ONDERZOEK: _(
        "Langdurig relatief verzuim (meer dan vier weken niet op school) plus absoluut "
        "verzuim; vrijstelling 5 onder a telt niet mee."
    ),
    d.BREED_CASUS1: _(
        "Definitie 1 plus geoorloofd geen onderwijs, vrijstelling 5 onder a en vo-leerlingen "
        "geschorst in afwachting van verwijdering."
    ),
    d.BREED_CASUS2: _(
        "Meer dan vier weken verzuim (elke reden) of niet ingeschreven, inclusief "
        "vrijstelling op medische of psychische gronden."
    ),
}

REASON_LABELS = {
    d.R_ABSOLUTE: _("absoluut verzuim (niet ingeschreven)"),
    d.R_LRV_UNAUTHORISED: _("langdurig ongeoorloofd verzuim"),
    d.R_LRV_IN_PROGRAMME: _("langdurig verzuim, wel in terugleidende hulp"),
    d.R_AUTHORISED: _("geoorloofd geen onderwijs (ziek, verlof)"),
    d.R_EXEMPTION_5A: _("vrijstelling art. 5 onder a"),
    d.R_SUSPENDED: _("vo, geschorst in afwachting van verwijdering"),
}
