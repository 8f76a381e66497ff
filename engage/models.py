"""Every feature's models, imported so Alembic and the app see one metadata."""

from engage.accounts.models import Invitation, User
from engage.asset_map.models import (
    FreshnessReminder,
    Location,
    Organisation,
    OrganisationMember,
    ProblemReport,
    ProposedChange,
    Schedule,
    SearchLog,
    Service,
    ServiceRevision,
    TaxonomyTerm,
)
from engage.budgeting.models import (
    Ballot,
    Bid,
    Conflict,
    PaperEntry,
    Participation,
    PhaseChange,
    Reviewer,
    Round,
    Score,
    VoteReminder,
)
from engage.geo.models import Area, AreaFigure, Postcode
from engage.notifications.models import OutboxMessage

__all__ = [
    "Area",
    "AreaFigure",
    "Ballot",
    "Bid",
    "Conflict",
    "FreshnessReminder",
    "Invitation",
    "Location",
    "Organisation",
    "OrganisationMember",
    "OutboxMessage",
    "PaperEntry",
    "Participation",
    "PhaseChange",
    "Postcode",
    "ProblemReport",
    "ProposedChange",
    "Reviewer",
    "Round",
    "Score",
    "Schedule",
    "SearchLog",
    "Service",
    "ServiceRevision",
    "TaxonomyTerm",
    "User",
    "VoteReminder",
]
