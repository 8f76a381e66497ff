"""The asset map's fixed vocabularies, each with the words people see."""

from flask_babel import lazy_gettext as _l

from engage.vocabulary import Vocabulary, labels


class ServiceStatus(Vocabulary):
    ACTIVE = "active"
    INACTIVE = "inactive"
    TEMPORARILY_CLOSED = "temporarily_closed"
    DEFUNCT = "defunct"

    @property
    def oruk(self) -> str:
        """The standard's spelling ("temporarily closed", with a space)."""
        return self.value.replace("_", " ")

    @classmethod
    def from_oruk(cls, value: str) -> "ServiceStatus":
        return cls(value.strip().lower().replace(" ", "_"))


labels(ServiceStatus, {
        ServiceStatus.ACTIVE: _l("Running"),
        ServiceStatus.INACTIVE: _l("Stopped"),
        ServiceStatus.TEMPORARILY_CLOSED: _l("Temporarily closed"),
        ServiceStatus.DEFUNCT: _l("Closed for good"),
})  # fmt: skip


class Access(Vocabulary):
    SELF_REFERRAL = "self_referral"
    REFERRAL = "referral"
    BOTH = "both"


labels(Access, {
        Access.SELF_REFERRAL: _l("They contact the service themselves"),
        Access.REFERRAL: _l("A professional refers them"),
        Access.BOTH: _l("Either"),
})  # fmt: skip


class PreventionLevel(Vocabulary):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    TERTIARY = "tertiary"


labels(PreventionLevel, {
        PreventionLevel.PRIMARY: _l("For everyone (primary)"),
        PreventionLevel.SECONDARY: _l("For people showing risk (secondary)"),
        PreventionLevel.TERTIARY: _l("For people already involved (tertiary)"),
})  # fmt: skip


class LocationType(Vocabulary):
    PHYSICAL = "physical"
    POSTAL = "postal"
    VIRTUAL = "virtual"


labels(LocationType, {
    LocationType.PHYSICAL: _l("A place people go to"),
    LocationType.POSTAL: _l("A postal address"),
    LocationType.VIRTUAL: _l("Online or by phone"),
})  # fmt: skip


class AccessibilityFeature(Vocabulary):
    STEP_FREE_ACCESS = "step_free_access"
    ACCESSIBLE_TOILET = "accessible_toilet"
    HEARING_LOOP = "hearing_loop"
    BSL = "bsl"
    PARKING = "parking"
    PUBLIC_TRANSPORT = "public_transport"

    @property
    def english(self) -> str:
        """The words in the open data, which is published in English."""
        return ACCESSIBILITY_ENGLISH[self]

    @classmethod
    def from_english(cls, words: str) -> "AccessibilityFeature | None":
        cleaned = words.strip().lower()
        return next((f for f, w in ACCESSIBILITY_ENGLISH.items() if w.lower() == cleaned), None)


labels(AccessibilityFeature, {
        AccessibilityFeature.STEP_FREE_ACCESS: _l("Step-free access"),
        AccessibilityFeature.ACCESSIBLE_TOILET: _l("Accessible toilet"),
        AccessibilityFeature.HEARING_LOOP: _l("Hearing loop"),
        AccessibilityFeature.BSL: _l("British Sign Language"),
        AccessibilityFeature.PARKING: _l("Parking"),
        AccessibilityFeature.PUBLIC_TRANSPORT: _l("Near public transport"),
})  # fmt: skip


ACCESSIBILITY_ENGLISH = {
    AccessibilityFeature.STEP_FREE_ACCESS: "Step-free access",
    AccessibilityFeature.ACCESSIBLE_TOILET: "Accessible toilet",
    AccessibilityFeature.HEARING_LOOP: "Hearing loop",
    AccessibilityFeature.BSL: "British Sign Language",
    AccessibilityFeature.PARKING: "Parking",
    AccessibilityFeature.PUBLIC_TRANSPORT: "Near public transport",
}


class Decision(Vocabulary):
    """Where a provider's claim, a proposed change or a likely duplicate stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


labels(Decision, {
    Decision.PENDING: _l("Waiting for a decision"),
    Decision.APPROVED: _l("Approved"),
    Decision.REJECTED: _l("Turned down"),
})  # fmt: skip


class ProblemKind(Vocabulary):
    """What someone says is wrong with a listing."""

    CLOSED = "closed"
    WRONG_DETAILS = "wrong_details"
    NOT_IN_AREA = "not_in_area"
    OTHER = "other"


labels(ProblemKind, {
        ProblemKind.CLOSED: _l("The service has closed or stopped"),
        ProblemKind.WRONG_DETAILS: _l("Some details are wrong (times, address, contact)"),
        ProblemKind.NOT_IN_AREA: _l("It is not in this area"),
        ProblemKind.OTHER: _l("Something else"),
})  # fmt: skip


class ReportStatus(Vocabulary):
    OPEN = "open"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


labels(ReportStatus, {
        ReportStatus.OPEN: _l("Open"),
        ReportStatus.RESOLVED: _l("Mark as fixed"),
        ReportStatus.DISMISSED: _l("Dismiss"),
})  # fmt: skip


class DuplicateStatus(Vocabulary):
    OPEN = "open"
    MERGED = "merged"
    DISMISSED = "dismissed"


labels(DuplicateStatus, {
    DuplicateStatus.OPEN: _l("Waiting for a decision"),
    DuplicateStatus.MERGED: _l("Merged"),
    DuplicateStatus.DISMISSED: _l("Not the same"),
})  # fmt: skip


DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def weekday_mask(byday: str) -> int:
    """A bit per weekday named in an RFC 5545 BYDAY list ("MO,WE", "1MO", "-1FR"): what the
    `day` search looks for, whatever the recurrence."""
    mask = 0
    for part in byday.upper().split(","):
        code = part.strip()[-2:]
        if code in DAYS:
            mask |= 1 << DAYS.index(code)
    return mask
