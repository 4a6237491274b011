"""The kinds of agency a person serves in, with their names, below every domain.

Enrolment records a participant's agency type; accounts scope a national focal point by it;
nominations judge a call's criteria by it. All read this one table.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class AgencyType(StrEnum):
    """Kinds of agency a participant serves in."""

    POLICE = "police"
    PROSECUTION = "prosecution"
    JUDICIARY = "judiciary"
    CHILD_PROTECTION = "child_protection"
    NGO = "ngo"
    INDUSTRY = "industry"
    GOVERNMENT = "government"
    OTHER = "other"


AGENCY_LABELS = {
    AgencyType.POLICE.value: _l("Police"),
    AgencyType.PROSECUTION.value: _l("Prosecution"),
    AgencyType.JUDICIARY.value: _l("Judiciary"),
    AgencyType.CHILD_PROTECTION.value: _l("Child protection"),
    AgencyType.NGO.value: _l("Non-governmental organisation"),
    AgencyType.INDUSTRY.value: _l("Industry"),
    AgencyType.GOVERNMENT.value: _l("Government"),
    AgencyType.OTHER.value: _l("Other"),
}
