"""The asset map's fixed vocabularies, each with the words people see."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class ServiceStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    TEMPORARILY_CLOSED = "temporarily_closed"
    DEFUNCT = "defunct"

    @property
    def label(self) -> str:
        return str(
            {
                ServiceStatus.ACTIVE: _l("Running"),
                ServiceStatus.INACTIVE: _l("Stopped"),
                ServiceStatus.TEMPORARILY_CLOSED: _l("Temporarily closed"),
                ServiceStatus.DEFUNCT: _l("Closed for good"),
            }[self]
        )

    @property
    def oruk(self) -> str:
        """The standard's spelling ("temporarily closed", with a space)."""
        return self.value.replace("_", " ")

    @classmethod
    def from_oruk(cls, value: str) -> "ServiceStatus":
        return cls(value.strip().lower().replace(" ", "_"))


class Access(StrEnum):
    SELF_REFERRAL = "self_referral"
    REFERRAL = "referral"
    BOTH = "both"

    @property
    def label(self) -> str:
        return str(
            {
                Access.SELF_REFERRAL: _l("They contact the service themselves"),
                Access.REFERRAL: _l("A professional refers them"),
                Access.BOTH: _l("Either"),
            }[self]
        )


class PreventionLevel(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    TERTIARY = "tertiary"

    @property
    def label(self) -> str:
        return str(
            {
                PreventionLevel.PRIMARY: _l("For everyone (primary)"),
                PreventionLevel.SECONDARY: _l("For people showing risk (secondary)"),
                PreventionLevel.TERTIARY: _l("For people already involved (tertiary)"),
            }[self]
        )


class LocationType(StrEnum):
    PHYSICAL = "physical"
    POSTAL = "postal"
    VIRTUAL = "virtual"


class AccessibilityFeature(StrEnum):
    STEP_FREE_ACCESS = "step_free_access"
    ACCESSIBLE_TOILET = "accessible_toilet"
    HEARING_LOOP = "hearing_loop"
    BSL = "bsl"
    PARKING = "parking"
    PUBLIC_TRANSPORT = "public_transport"

    @property
    def label(self) -> str:
        return str(
            {
                AccessibilityFeature.STEP_FREE_ACCESS: _l("Step-free access"),
                AccessibilityFeature.ACCESSIBLE_TOILET: _l("Accessible toilet"),
                AccessibilityFeature.HEARING_LOOP: _l("Hearing loop"),
                AccessibilityFeature.BSL: _l("British Sign Language"),
                AccessibilityFeature.PARKING: _l("Parking"),
                AccessibilityFeature.PUBLIC_TRANSPORT: _l("Near public transport"),
            }[self]
        )

    @property
    def english(self) -> str:
        """The words in the open data, which is published in English."""
        return ACCESSIBILITY_ENGLISH[self]

    @classmethod
    def from_english(cls, words: str) -> "AccessibilityFeature | None":
        cleaned = words.strip().lower()
        return next((f for f, w in ACCESSIBILITY_ENGLISH.items() if w.lower() == cleaned), None)


ACCESSIBILITY_ENGLISH = {
    AccessibilityFeature.STEP_FREE_ACCESS: "Step-free access",
    AccessibilityFeature.ACCESSIBLE_TOILET: "Accessible toilet",
    AccessibilityFeature.HEARING_LOOP: "Hearing loop",
    AccessibilityFeature.BSL: "British Sign Language",
    AccessibilityFeature.PARKING: "Parking",
    AccessibilityFeature.PUBLIC_TRANSPORT: "Near public transport",
}


class Decision(StrEnum):
    """Where a provider's claim, a proposed change or a likely duplicate stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ProblemKind(StrEnum):
    """What someone says is wrong with a listing."""

    CLOSED = "closed"
    WRONG_DETAILS = "wrong_details"
    NOT_IN_AREA = "not_in_area"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(
            {
                ProblemKind.CLOSED: _l("The service has closed or stopped"),
                ProblemKind.WRONG_DETAILS: _l("Some details are wrong (times, address, contact)"),
                ProblemKind.NOT_IN_AREA: _l("It is not in this area"),
                ProblemKind.OTHER: _l("Something else"),
            }[self]
        )


class ReportStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"

    @property
    def label(self) -> str:
        return str(
            {
                ReportStatus.OPEN: _l("Open"),
                ReportStatus.RESOLVED: _l("Mark as fixed"),
                ReportStatus.DISMISSED: _l("Dismiss"),
            }[self]
        )


class DuplicateStatus(StrEnum):
    OPEN = "open"
    MERGED = "merged"
    DISMISSED = "dismissed"


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
