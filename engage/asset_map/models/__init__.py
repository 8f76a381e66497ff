"""The asset map's tables, in four modules: the directory itself, the details the standard
keeps as records, what keeps listings true, and where records came from."""

from engage.asset_map.models.details import (
    CostOption,
    Funding,
    ListingContact,
    Phone,
    ServiceAreaDescription,
    ServiceLanguage,
)
from engage.asset_map.models.directory import (
    Location,
    LocationAccessibility,
    Organisation,
    OrganisationIdentifier,
    Schedule,
    Service,
    Taxonomy,
    TaxonomyTerm,
    location_areas,
    new_uuid,
    service_areas,
    service_at_location,
    service_taxonomy,
    taxonomy_mappings,
)
from engage.asset_map.models.provenance import (
    DuplicateCandidate,
    FeedSource,
    IdAlias,
    RemoteRecord,
)
from engage.asset_map.models.upkeep import (
    FreshnessReminder,
    OrganisationMember,
    ProblemReport,
    ProposedChange,
    SearchLog,
    ServiceRevision,
)
from engage.asset_map.vocabulary import Access, PreventionLevel, ServiceStatus

__all__ = [
    "Access",
    "ListingContact",
    "CostOption",
    "DuplicateCandidate",
    "FeedSource",
    "FreshnessReminder",
    "Funding",
    "IdAlias",
    "Location",
    "LocationAccessibility",
    "Organisation",
    "OrganisationIdentifier",
    "OrganisationMember",
    "Phone",
    "PreventionLevel",
    "ProblemReport",
    "ProposedChange",
    "RemoteRecord",
    "Schedule",
    "SearchLog",
    "Service",
    "ServiceAreaDescription",
    "ServiceLanguage",
    "ServiceRevision",
    "ServiceStatus",
    "Taxonomy",
    "TaxonomyTerm",
    "location_areas",
    "new_uuid",
    "service_areas",
    "service_at_location",
    "service_taxonomy",
    "taxonomy_mappings",
]
