"""Open Referral UK services into the directory: each service, its organisation, places and
terms found by id (or an id it had before, or — harvesting — by the feed's id) and updated,
or created; nothing the document holds is lost without a note in the report."""

from collections.abc import Sequence

from sqlalchemy import func, select, update

from engage.asset_map import loading
from engage.asset_map.exchange import nested
from engage.asset_map.exchange.identity import known_as, new_id
from engage.asset_map.exchange.report import ImportReport
from engage.asset_map.locations import assign_areas
from engage.asset_map.models import (
    FeedSource,
    Location,
    Organisation,
    RemoteRecord,
    Service,
    Taxonomy,
    TaxonomyTerm,
    service_at_location,
)
from engage.asset_map.oruk import schema as o
from engage.asset_map.oruk.ids import derived, is_uuid
from engage.asset_map.vocabulary import Access, PreventionLevel, ServiceStatus
from engage.database import utcnow
from engage.extensions import db


class Saver:
    """Saves documents a chunk at a time; `source` is set when harvesting a feed."""

    def __init__(self, report: ImportReport, source: FeedSource | None = None) -> None:
        self.report, self.source = report, source
        self.areas = nested.areas_by_key()
        self.by_name = {
            name.lower(): oid
            for name, oid in db.session.execute(select(Organisation.name, Organisation.id))
        }

    # -- which record a document means ------------------------------------------------------

    def _remote(self, kind: str, remote_ids: Sequence[str]) -> dict[str, RemoteRecord]:
        assert self.source is not None
        rows = db.session.scalars(
            select(RemoteRecord).where(
                RemoteRecord.source_id == self.source.id,
                RemoteRecord.kind == kind,
                RemoteRecord.remote_id.in_(list(remote_ids)),
            )
        )
        return {row.remote_id: row for row in rows}

    def _uuid_for(self, kind: str, given: str) -> str:
        if self.source is not None:
            return derived("harvested", self.source.id, kind, given)
        return new_id(kind, given)

    def _provenance(self, kind: str, given: str, local_id: int, modified: str | None = None):
        if self.source is None:
            return
        record = db.session.scalar(
            select(RemoteRecord).where(
                RemoteRecord.source_id == self.source.id,
                RemoteRecord.kind == kind,
                RemoteRecord.remote_id == given,
            )
        ) or RemoteRecord(source=self.source, kind=kind, remote_id=given[:200], local_id=local_id)
        record.local_id, record.harvested_at, record.remote_modified = local_id, utcnow(), modified
        db.session.add(record)

    def _existing_services(self, docs: Sequence[o.Service]) -> dict[str, Service | None]:
        ids = [d.id for d in docs]
        if self.source is not None:
            remote = self._remote("service", ids)
            merged = {rid for rid, r in remote.items() if r.merged}
            local = {rid: r.local_id for rid, r in remote.items()}
            by_id = {s.id: s for s in _services(Service.id.in_(local.values()))}
            self.merged = merged
            return {rid: by_id.get(lid) for rid, lid in local.items()}
        self.merged = set()
        names = known_as("service", ids)
        by_uuid = {s.oruk_id: s for s in _services(Service.oruk_id.in_(names.values()))}
        return {given: by_uuid.get(oid) for given, oid in names.items()}

    # -- saving ---------------------------------------------------------------------------

    def save(self, docs: Sequence[o.Service], wheres: Sequence[str]) -> list[Service]:
        """Save one chunk (flushed, not committed); returns the services saved."""
        existing = self._existing_services(docs)
        ids = nested.Ids(docs)
        saved: list[Service] = []
        new_locations: list[Location] = []
        links = []
        for doc, where in zip(docs, wheres, strict=True):
            if doc.id in self.merged:
                self.report.leave_aside(where, "merged into one of our listings; not changed")
                continue
            organisation = self._organisation(doc, where, ids)
            service = existing.get(doc.id)
            if service is None:
                service = Service(
                    oruk_id=self._uuid_for("service", doc.id),
                    name=doc.name,
                    organisation=organisation,
                )
                db.session.add(service)
                self.report.created += 1
            else:
                service.organisation = organisation
                self.report.updated += 1
            with db.session.no_autoflush:
                self._fill(service, doc, ids, where)
            places = self._locations(service, doc, ids, where)
            new_locations.extend(location for _, location in places)
            links.append((service, doc, places))
            saved.append(service)
        db.session.flush()
        assign_areas(new_locations)
        for service, doc, places in links:
            self._link_ids(service, places)
            self._provenance("service", doc.id, service.id, _modified(doc))
        return saved

    def _fill(self, service: Service, doc: o.Service, ids: nested.Ids, where: str) -> None:
        owner = service.oruk_id
        service.name, service.description = doc.name, doc.description or ""
        service.url, service.email = doc.url, doc.email
        service.status = ServiceStatus.from_oruk(doc.status).value
        service.eligibility = doc.eligibility_description or ""
        service.minimum_age, service.maximum_age = doc.minimum_age, doc.maximum_age
        service.assured_date, service.assurer_email = doc.assured_date, doc.assurer_email
        service.alert, service.accreditations = doc.alert or "", doc.accreditations or ""
        service.access = doc.x_engage_access or service.access or Access.BOTH
        service.prevention_level = (
            doc.x_engage_prevention_level or service.prevention_level or PreventionLevel.PRIMARY
        )
        if self.source is not None and not service.assured_by:
            service.assured_by = self.source.name[:120]
        self._costs(service, doc, ids)
        service.schedules = nested.replace(
            service.schedules, doc.schedules, ids, owner, "schedule", nested.schedule
        )
        service.languages = nested.replace(
            service.languages, doc.languages, ids, owner, "language", nested.language
        )
        service.phones = nested.phones(service.phones, doc.phones, ids, owner)
        service.contacts = nested.replace(
            service.contacts, doc.contacts, ids, owner, "contact", nested.contact(ids, owner)
        )
        service.funding = nested.replace(
            service.funding, doc.funding, ids, owner, "funding", nested.funding
        )
        self._areas(service, doc, ids)
        service.taxonomy_terms = self._terms(doc, where)
        if doc.application_process:
            self.report.leave_aside(f"{where}/application_process", "kept in words only by you")
        service.updated_at = utcnow()

    def _costs(self, service: Service, doc: o.Service, ids: nested.Ids) -> None:
        service.cost_options = nested.replace(
            service.cost_options, doc.cost_options, ids, service.oruk_id, "cost", nested.cost
        )
        words = doc.fees_description or doc.fees
        priced = any(c.amount is not None and c.amount > 0 for c in doc.cost_options or [])
        priced = priced or bool(words and words.strip().lower() not in ("free", "none", "0"))
        service.free = not priced
        service.cost_description = words if priced else None

    def _areas(self, service: Service, doc: o.Service, ids: nested.Ids) -> None:
        ours, described = [], []
        for area_doc in doc.service_areas or []:
            area = nested.area_of(area_doc, self.areas)
            if area is not None:
                ours.append(area)
            else:
                described.append(area_doc)
        service.service_areas = list(dict.fromkeys(ours))
        service.area_descriptions = nested.replace(
            service.area_descriptions,
            described,
            ids,
            service.oruk_id,
            "area",
            nested.area_description,
        )

    def _organisation(self, doc: o.Service, where: str, ids: nested.Ids) -> Organisation:
        given = doc.organization.id if doc.organization else doc.organization_id or ""
        organisation, fill = self._find_organisation(given, doc)
        if organisation is None:
            organisation = Organisation(name=doc.organization.name if doc.organization else given)
            if given:
                organisation.oruk_id = self._uuid_for("organisation", given)
            db.session.add(organisation)
            db.session.flush()
            self.by_name[organisation.name.lower()] = organisation.id
            self.report.organisations_created += 1
            fill = True
        if fill and doc.organization is not None:
            self._fill_organisation(organisation, doc.organization, ids)
        if given:
            self._provenance("organisation", given, organisation.id)
        return organisation

    def _find_organisation(self, given: str, doc: o.Service) -> tuple[Organisation | None, bool]:
        """The organisation and whether the document may change it (one it came from)."""
        found = None
        if given and self.source is not None:
            remote = self._remote("organisation", [given]).get(given)
            found = db.session.get(Organisation, remote.local_id) if remote else None
        elif given:
            oruk_id = known_as("organisation", [given]).get(given)
            found = db.session.scalar(select(Organisation).where(Organisation.oruk_id == oruk_id))
        if found is not None:
            return found, True
        name = (doc.organization.name if doc.organization else "").lower()
        if name and name in self.by_name:
            return db.session.get(Organisation, self.by_name[name]), False
        return None, True

    def _fill_organisation(
        self, org: Organisation, doc: o.Organization | o.OrganizationSummary, ids
    ):
        org.name, org.description = doc.name, doc.description or ""
        org.email, org.website, org.logo, org.uri = doc.email, doc.website, doc.logo, doc.uri
        if not isinstance(doc, o.Organization):
            return
        owner = org.oruk_id
        org.identifiers = nested.replace(
            org.identifiers,
            doc.organization_identifiers,
            ids,
            owner,
            "identifier",
            nested.identifier,
        )
        org.phones = nested.phones(org.phones, doc.phones, ids, owner)
        org.contacts = nested.replace(
            org.contacts, doc.contacts, ids, owner, "contact", nested.contact(ids, owner)
        )
        org.funding = nested.replace(
            org.funding, doc.funding, ids, owner, "funding", nested.funding
        )

    def _locations(
        self, service: Service, doc: o.Service, ids: nested.Ids, where: str
    ) -> list[tuple[str, Location]]:
        places = []
        for n, at in enumerate(doc.service_at_locations or []):
            if at.location is None:
                self.report.leave_aside(f"{where}/service_at_locations/{n}", "no location given")
                continue
            location = self._location(
                at.location, f"{where}/service_at_locations/{n}/location", ids
            )
            location.accessibility = nested.replace(
                location.accessibility,
                at.location.accessibility,
                ids,
                location.oruk_id,
                "accessibility",
                nested.accessibility,
            )
            location.phones = nested.phones(
                location.phones, at.location.phones, ids, location.oruk_id
            )
            places.append((at.id, location))
        service.locations = list(dict.fromkeys(location for _, location in places))
        service.virtual = not any(loc.physical for loc in service.locations)
        return places

    def _location(self, doc: o.Location, where: str, ids: nested.Ids) -> Location:
        found = None
        if self.source is not None:
            remote = self._remote("location", [doc.id]).get(doc.id)
            found = db.session.get(Location, remote.local_id) if remote else None
        else:
            oruk_id = known_as("location", [doc.id]).get(doc.id)
            found = db.session.scalar(select(Location).where(Location.oruk_id == oruk_id))
        if found is None:
            found = Location(oruk_id=self._uuid_for("location", doc.id))
            db.session.add(found)
            self.report.locations_created += 1
        nested.fill_location(found, doc, self.report, where, ids)
        if not found.address_oruk_id:
            found.address_oruk_id = derived(found.oruk_id, "address")
        db.session.flush()
        self._provenance("location", doc.id, found.id)
        return found

    def _link_ids(self, service: Service, places: list[tuple[str, Location]]) -> None:
        """Each service-at-location keeps the id the document gives it (or one derived)."""
        for given, location in places:
            wanted = (
                given.lower()
                if is_uuid(given) and self.source is None
                else derived(service.oruk_id, "service_at_location", given)
            )
            taken = db.session.scalar(
                select(func.count()).where(service_at_location.c.oruk_id == wanted)
            )
            if not taken:
                db.session.execute(
                    update(service_at_location)
                    .where(
                        service_at_location.c.service_id == service.id,
                        service_at_location.c.location_id == location.id,
                    )
                    .values(oruk_id=wanted)
                )

    # -- terms -------------------------------------------------------------------------------

    def _terms(self, doc: o.Service, where: str) -> list[TaxonomyTerm]:
        terms: dict[str, TaxonomyTerm] = {}
        for n, attribute in enumerate(doc.attributes or []):
            term_doc = attribute.taxonomy_term
            if term_doc is None:
                self.report.leave_aside(f"{where}/attributes/{n}", "an attribute with no term")
                continue
            term = self._term(term_doc)
            terms[term.id] = term
            for category in term.categories:
                terms[category.id] = category
                label = f"{term.name} → {category.name}"
                if label not in self.report.mapped:
                    self.report.mapped.append(label)
            if not term.is_category and not term.categories and term.name not in self.report.to_map:
                self.report.to_map.append(term.name)
        return list(terms.values())

    def _term(self, doc: o.TaxonomyTerm) -> TaxonomyTerm:
        ours = db.session.scalar(
            select(TaxonomyTerm).where(
                TaxonomyTerm.vocabulary == "engage",
                (TaxonomyTerm.oruk_id == doc.id.lower()) | (TaxonomyTerm.id == doc.id),
            )
        )
        if ours is not None:
            return ours
        taxonomy = self._taxonomy(doc)
        oruk_id = (
            doc.id.lower() if is_uuid(doc.id) else derived("term", taxonomy.vocabulary, doc.id)
        )
        term = db.session.get(TaxonomyTerm, oruk_id)
        if term is None:
            term = TaxonomyTerm(id=oruk_id, oruk_id=oruk_id, taxonomy=taxonomy)
            term.vocabulary = taxonomy.vocabulary
            db.session.add(term)
        term.name, term.description = doc.name, doc.description or ""
        term.external_code = doc.code or (None if is_uuid(doc.id) else doc.id[:120])
        term.term_uri = doc.term_uri
        db.session.flush()
        return term

    def _taxonomy(self, doc: o.TaxonomyTerm) -> Taxonomy:
        key = (doc.taxonomy_id or doc.taxonomy or "unnamed").strip()[:200]
        found = db.session.scalar(select(Taxonomy).where(Taxonomy.vocabulary == key))
        if found is None:
            found = Taxonomy(
                oruk_id=key.lower() if is_uuid(key) else derived("taxonomy", key),
                vocabulary=key,
                name=(doc.taxonomy or key)[:200],
                description="",
            )
            db.session.add(found)
        return found


def _modified(doc: o.Service) -> str | None:
    return doc.last_modified.isoformat() if doc.last_modified else None


def _services(condition) -> list[Service]:
    """Services with all they hold, loaded together."""
    query = select(Service).where(condition).options(*loading.everything())
    return list(db.session.scalars(query))
