"""Services and services at locations for the open API, filtered with the meanings Open
Referral UK gives its parameters (a service's minimum age at least `minimum_age`, a schedule
opening at or after `start_time`, only services whose service area holds `postcode`…)."""

import math
from datetime import time
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from engage.asset_map import loading
from engage.asset_map.api.params import BadParameter, MapQuery, ServiceFilters, ServiceQuery
from engage.asset_map.api.records import (
    escape_like,
    organisation_id_of,
    page,
    paged,
    taxonomy_ids_of,
    term_ids_of,
    usable,
)
from engage.asset_map.models import (
    Location,
    Schedule,
    Service,
    TaxonomyTerm,
    service_areas,
    service_at_location,
    service_taxonomy,
)
from engage.asset_map.oruk import publish
from engage.asset_map.oruk.schema import dump
from engage.asset_map.ranked import flat_distance2
from engage.asset_map.search import on_weekday
from engage.asset_map.vocabulary import ServiceStatus
from engage.database import Identified
from engage.extensions import db
from engage.geo.geometry import EARTH_RADIUS_M, bounding_box
from engage.geo.lookup import area_index, gazetteer
from engage.geo.places import Place

MINIMAL = ("id", "name", "status", "last_modified")


def _clock(value: time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def conditions(query: ServiceFilters) -> list[Any]:
    """Where-clauses on Service for every filter given."""
    found: list[Any] = []
    for word in (query.search or "").lower().split():
        pattern = f"%{escape_like(word)}%"
        found.append(
            or_(
                func.lower(Service.name).like(pattern, escape="\\"),
                func.lower(Service.description).like(pattern, escape="\\"),
            )
        )
    if query.taxonomy_term_id:
        found.append(
            _tagged(service_taxonomy.c.taxonomy_term_id.in_(term_ids_of(query.taxonomy_term_id)))
        )
    if query.taxonomy_id:
        terms = select(TaxonomyTerm.id).where(
            TaxonomyTerm.taxonomy_id.in_(taxonomy_ids_of(query.taxonomy_id))
        )
        found.append(_tagged(service_taxonomy.c.taxonomy_term_id.in_(terms)))
    if query.organization_id:
        found.append(Service.organisation_id == organisation_id_of(query.organization_id))
    if query.modified_after:
        found.append(Service.updated_at >= query.modified_after)
    if query.minimum_age is not None:
        found.append(func.coalesce(Service.minimum_age, 0) >= query.minimum_age)
    if query.maximum_age is not None:
        found.append(
            and_(Service.maximum_age.is_not(None), Service.maximum_age <= query.maximum_age)
        )
    when = _schedule_conditions(query)
    if when:
        found.append(exists().where(Schedule.service_id == Service.id, *when))
    return found


def _tagged(condition: Any) -> Any:
    return exists().where(service_taxonomy.c.service_id == Service.id, condition)


def _schedule_conditions(query: ServiceFilters) -> list[Any]:
    when = []
    if query.day:
        when.append(on_weekday(query.day))
    if query.start_time is not None:
        when.append(Schedule.opens_at >= _clock(query.start_time))
    if query.end_time is not None:
        when.append(Schedule.closes_at <= _clock(query.end_time))
    return when


class _Near:
    """Distance from a postcode's centre, and whether a service's areas hold it."""

    def __init__(self, postcode: str, proximity: int | None) -> None:
        place = gazetteer().find(postcode)
        if not isinstance(place, Place):
            raise BadParameter(
                _("postcode %(postcode)s was not found", postcode=postcode), "postcode"
            )
        self.lat, self.lon, self.proximity = place.latitude, place.longitude, proximity
        self.area_ids = [shape.area_id for shape in area_index().areas_at(self.lon, self.lat)]

    def distance2(self) -> Any:
        return flat_distance2(self.lat, self.lon)

    def within(self, distance2: Any) -> Any:
        radius = math.degrees((self.proximity or 0) / EARTH_RADIUS_M)
        return distance2 <= radius * radius

    def covers(self) -> Any:
        """Services whose service areas hold the postcode, and those that name no area of
        ours (the standard asks to filter by service area only where there is one)."""
        holds = exists().where(
            service_areas.c.service_id == Service.id, service_areas.c.area_id.in_(self.area_ids)
        )
        return or_(holds, ~exists().where(service_areas.c.service_id == Service.id))


def service_ids(query: ServiceFilters) -> tuple[list[int], int]:
    """One page of matching service ids (nearest first when there is a postcode) and the
    number there are in all."""
    statement: Select = select(Service.id).where(*conditions(query))
    order: list[Any] = [Service.name, Service.id]
    if query.postcode:
        near = _Near(query.postcode, query.proximity)
        d2 = near.distance2()
        places = (
            select(service_at_location.c.service_id.label("sid"), func.min(d2).label("d2"))
            .join(Location, Location.id == service_at_location.c.location_id)
            .where(Location.latitude.is_not(None), Location.longitude.is_not(None))
        )
        if near.proximity:  # only places in the square around the circle can be within it
            min_lat, min_lon, max_lat, max_lon = bounding_box(near.lat, near.lon, near.proximity)
            places = places.where(
                Location.latitude.between(min_lat, max_lat),
                Location.longitude.between(min_lon, max_lon),
            )
        nearest = places.group_by(service_at_location.c.service_id).subquery()
        if near.proximity:  # only services with a place within it
            statement = statement.join(nearest, nearest.c.sid == Service.id)
            statement = statement.where(near.covers(), near.within(nearest.c.d2))
        else:
            statement = statement.outerjoin(nearest, nearest.c.sid == Service.id)
            statement = statement.where(near.covers())
        order = [nearest.c.d2.is_(None), nearest.c.d2, *order]
    return paged(statement.order_by(*order), query)


def services_page(query: ServiceQuery) -> dict[str, Any]:
    ids, total = service_ids(query)
    options = loading.everything() if query.full else (selectinload(Service.organisation),)
    found = {
        s.id: s
        for s in db.session.scalars(select(Service).where(Service.id.in_(ids)).options(*options))
    }
    services = [found[i] for i in ids]
    if query.minimal:
        contents = [_minimal(s) for s in services]
    elif query.full:
        links = publish.links_of(ids)
        contents = [dump(publish.service(s, links)) for s in services]
    else:
        contents = [dump(publish.service_summary(s)) for s in services]
    return page(contents, total, query)


def _minimal(service: Service) -> dict[str, Any]:
    """Just enough to tell what changed: the id and date, with the fields a list item needs."""
    summary = dump(publish.service_summary(service))
    return {key: summary[key] for key in MINIMAL if key in summary}


def service_detail(service: Service) -> dict[str, Any]:
    return dump(publish.service(service, publish.links_of([service.id])))


def load_service(oruk_id: str) -> Service | None:
    return db.session.scalar(
        select(Service).where(Service.oruk_id == oruk_id).options(*loading.everything())
    )


def service_at_locations_page(query: ServiceFilters) -> dict[str, Any]:
    link = service_at_location
    statement = (
        select(link.c.oruk_id, link.c.service_id, link.c.location_id)
        .join(Service, Service.id == link.c.service_id)
        .join(Location, Location.id == link.c.location_id)
        .where(*conditions(query))
    )
    order: list[Any] = [Service.name, Location.name, link.c.oruk_id]
    if query.postcode:
        near = _Near(query.postcode, query.proximity)
        statement = statement.where(near.covers())
        if near.proximity:
            statement = statement.where(
                Location.latitude.is_not(None), near.within(near.distance2())
            )
        order = [near.distance2().is_(None), near.distance2(), *order]
    statement = statement.order_by(*order)
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = db.session.execute(
        statement.offset((query.page - 1) * query.per_page).limit(query.per_page)
    ).all()
    services = _by_id(Service, {r.service_id for r in rows}, selectinload(Service.organisation))
    locations = _by_id(Location, {r.location_id for r in rows})
    contents = [
        dump(
            publish.service_at_location_summary(
                services[r.service_id], locations[r.location_id], r.oruk_id
            )
        )
        for r in rows
    ]
    return page(contents, total or 0, query)


def _by_id(model: type[Identified], ids: set[int], *options: Any) -> dict[int, Any]:
    if not ids:
        return {}
    return {
        r.id: r
        for r in db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))
    }


def service_at_location_detail(oruk_id: str) -> dict[str, Any] | None:
    if not usable(oruk_id):
        return None
    row = db.session.execute(
        select(service_at_location.c.service_id, service_at_location.c.location_id).where(
            service_at_location.c.oruk_id == oruk_id
        )
    ).first()
    if row is None:
        return None
    service = db.session.scalar(
        select(Service).where(Service.id == row.service_id).options(*loading.everything())
    )
    if service is None:
        return None
    location = next(loc for loc in service.locations if loc.id == row.location_id)
    links = publish.links_of([service.id])
    return dump(publish.service_at_location_full(service, location, links))


def map_features(query: MapQuery, limit: int) -> dict[str, Any]:
    """Active services' places inside a box, as GeoJSON points for maps."""
    min_lon, min_lat, max_lon, max_lat = query.box()
    filters = ServiceFilters(search=query.search, taxonomy_term_id=query.taxonomy_term_id)
    rows = db.session.execute(
        select(Service.oruk_id, Service.name, Location.latitude, Location.longitude)
        .join(service_at_location, service_at_location.c.service_id == Service.id)
        .join(Location, Location.id == service_at_location.c.location_id)
        .where(
            Service.status == ServiceStatus.ACTIVE,
            Location.latitude.between(min_lat, max_lat),
            Location.longitude.between(min_lon, max_lon),
            *conditions(filters),
        )
        .order_by(Service.name, Service.id)
        .limit(limit)
    ).all()
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(r.longitude, 6), round(r.latitude, 6)],
                },
                "properties": {"id": r.oruk_id, "name": r.name},
            }
            for r in rows
        ],
    }
