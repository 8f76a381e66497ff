"""The roles people hold, and the date-of-birth bands kept instead of a date of birth."""

from flask_babel import lazy_gettext as _l

from engage.vocabulary import Vocabulary, labels


class Role(Vocabulary):
    RESIDENT = "resident"
    YOUTH_AMBASSADOR = "youth_ambassador"
    VCSE_PROVIDER = "vcse_provider"
    ENGAGEMENT_OFFICER = "engagement_officer"
    SAFEGUARDING_LEAD = "safeguarding_lead"
    ADMIN = "admin"
    # A partner's representative on the partnership board: reads reports and dashboards,
    # changes nothing, sees no personal data and nothing the safeguarding lead holds.
    BOARD_MEMBER = "board_member"


ROLE_LABELS = {
    Role.RESIDENT: _l("Resident"),
    Role.YOUTH_AMBASSADOR: _l("Youth ambassador"),
    Role.VCSE_PROVIDER: _l("Voluntary or community organisation (VCSE)"),
    Role.ENGAGEMENT_OFFICER: _l("Engagement officer"),
    Role.SAFEGUARDING_LEAD: _l("Safeguarding lead"),
    Role.ADMIN: _l("Administrator"),
    Role.BOARD_MEMBER: _l("Partnership board member"),
}
labels(Role, ROLE_LABELS)

ALL_ROLES = tuple(Role)
STAFF_ROLES = (Role.ENGAGEMENT_OFFICER, Role.SAFEGUARDING_LEAD, Role.ADMIN)

# Who may invite whom: officers bring in the community, admins bring in anyone.
INVITABLE_BY = {
    Role.ADMIN: ALL_ROLES,
    Role.ENGAGEMENT_OFFICER: (Role.RESIDENT, Role.YOUTH_AMBASSADOR, Role.VCSE_PROVIDER),
}


class AgeBand(Vocabulary):
    UNDER_16 = "under_16"
    AGE_16_17 = "16_17"
    AGE_18_24 = "18_24"
    AGE_25_PLUS = "25_plus"

    @property
    def is_child(self) -> bool:
        return self in (AgeBand.UNDER_16, AgeBand.AGE_16_17)


AGE_BAND_LABELS = {
    AgeBand.UNDER_16: _l("Under 16"),
    AgeBand.AGE_16_17: _l("16 or 17"),
    AgeBand.AGE_18_24: _l("18 to 24"),
    AgeBand.AGE_25_PLUS: _l("25 or over"),
}
labels(AgeBand, AGE_BAND_LABELS)
