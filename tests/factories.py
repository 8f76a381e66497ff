"""Plain factory functions for test data."""

import itertools

from engage.accounts.models import User
from engage.accounts.passwords import hash_password
from engage.accounts.roles import Role
from engage.extensions import db

DEFAULT_PASSWORD = "correct horse battery"
_counter = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _hashed(password: str) -> str:
    # Argon2 is deliberately slow; tests reuse one hash per password.
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    return _hash_cache[password]


def create_user(role: Role = Role.RESIDENT, password: str = DEFAULT_PASSWORD, **fields) -> User:
    n = next(_counter)
    values = {
        "email": f"person{n}@example.org",
        "display_name": f"Person {n}",
        "role": role.value,
        "password_hash": _hashed(password),
        "age_band": "16_17" if role is Role.YOUTH_AMBASSADOR else None,
    }
    values.update(fields)
    user = User(**values)
    db.session.add(user)
    db.session.commit()
    return user


# A small geography around Rothwell: one LAP split into two wards, each split into two LSOAs.
# Rothwell's gazetteer point (52.4224, -0.8004) is in the LSOA "Test 001A".
LAP_BOX = (-0.90, 52.35, -0.70, 52.45)


def _square(min_lon, min_lat, max_lon, max_lat) -> dict:
    ring = [
        [min_lon, min_lat],
        [max_lon, min_lat],
        [max_lon, max_lat],
        [min_lon, max_lat],
        [min_lon, min_lat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _feature(code, name, level, parent, box, **figures) -> dict:
    props = {
        "code": code,
        "name": name,
        "level": level,
        "parent_code": parent,
        "council": "North Northamptonshire",
        **figures,
    }
    return {"type": "Feature", "geometry": _square(*box), "properties": props}


def create_geography():
    from engage.geo.logic import upsert_areas

    w, s, e, n = LAP_BOX
    mid_lon, mid_lat = (w + e) / 2, (s + n) / 2
    features = [
        _feature(
            "T-LAP", "Test LAP", "lap", None, LAP_BOX, population=6000, population_under_25=2000
        ),
        _feature(
            "T-W1",
            "West Ward",
            "ward",
            "T-LAP",
            (w, s, mid_lon, n),
            population=3000,
            population_under_25=1000,
        ),
        _feature(
            "T-W2",
            "East Ward",
            "ward",
            "T-LAP",
            (mid_lon, s, e, n),
            population=3000,
            population_under_25=1000,
        ),
        _feature(
            "T-L1",
            "Test 001A",
            "lsoa",
            "T-W1",
            (w, mid_lat, mid_lon, n),
            population=1500,
            population_under_25=500,
            imd_decile=2,
        ),
        _feature(
            "T-L2",
            "Test 001B",
            "lsoa",
            "T-W1",
            (w, s, mid_lon, mid_lat),
            population=1500,
            population_under_25=500,
            imd_decile=9,
        ),
        _feature(
            "T-L3",
            "Test 002A",
            "lsoa",
            "T-W2",
            (mid_lon, mid_lat, e, n),
            population=1500,
            population_under_25=500,
            imd_decile=5,
        ),
        _feature(
            "T-L4",
            "Test 002B",
            "lsoa",
            "T-W2",
            (mid_lon, s, e, mid_lat),
            population=1500,
            population_under_25=500,
            imd_decile=6,
        ),
    ]
    upsert_areas(features, is_demo=False)


def create_term(term_id: str = "youth-activities", name: str = "Youth activities"):
    from engage.asset_map.taxonomy import category

    term = category(term_id, name, name)
    db.session.commit()
    return term


def create_service(
    name: str = "Youth club",
    lat: float | None = 52.4224,
    lon: float | None = -0.8004,
    categories=("youth-activities",),
    organisation=None,
    schedules=(),
    languages=("en",),
    phone: str | None = None,
    accessibility=(),
    **fields,
):
    from datetime import date

    from engage.asset_map.locations import assign_areas
    from engage.asset_map.models import (
        Location,
        LocationAccessibility,
        Organisation,
        Phone,
        Schedule,
        Service,
        ServiceLanguage,
    )

    org = organisation or Organisation(name=f"{name} organisation", description="")
    values = {
        "description": f"About {name}",
        "assured_date": date.today(),
        "minimum_age": None,
        "maximum_age": None,
    }
    values.update(fields)
    service = Service(name=name, organisation=org, **values)
    db.session.add(service)
    service.taxonomy_terms = [create_term(c, c.replace("-", " ").capitalize()) for c in categories]
    if lat is not None:
        service.locations = [
            Location(
                name=f"{name} venue",
                address_1="1 High Street",
                city="Rothwell",
                postcode="NN14 6AB",
                latitude=lat,
                longitude=lon,
                accessibility=[LocationAccessibility(feature=f) for f in accessibility],
            )
        ]
    service.schedules = [
        Schedule(byday=d, opens_at=o, closes_at=c, freq="WEEKLY") for d, o, c in schedules
    ]
    service.languages = [ServiceLanguage(code=code) for code in languages]
    service.phones = [Phone(number=phone)] if phone else []
    assign_areas(service.locations)
    db.session.commit()
    return service


def create_funded_project(
    title: str = "Street football",
    funded_at=None,
    provider=None,
    areas=(),
    minimum_age: int | None = 11,
    maximum_age: int | None = 17,
    amount: int = 5000,
):
    """A winning bid of a published round, recorded as a funded project; `areas` become the
    pot's areas (so the project's default target)."""
    from datetime import datetime

    from engage.asset_map.models import Organisation
    from engage.budgeting.models import Bid, FundedProject, Pot, Round

    author = provider or create_user(role=Role.VCSE_PROVIDER)
    funding_round = Round(title=f"Fund for {title}", pot=20000, max_bid=10000, phase="published")
    pot = Pot(name="", amount=20000, areas=list(areas))
    funding_round.pots = [pot]
    bid = Bid(
        round=funding_round, pot=pot, organisation=Organisation(name=f"{title} club"),
        submitted_by_id=author.id, title=title, summary="About it", cost=amount,
        minimum_age=minimum_age, maximum_age=maximum_age, status="shortlisted",
    )  # fmt: skip
    project = FundedProject(
        bid=bid, round_id=None, amount=amount, funded_at=funded_at or datetime(2026, 1, 10)
    )
    db.session.add_all([funding_round, bid])
    db.session.flush()
    project.round_id = funding_round.id
    db.session.add(project)
    db.session.commit()
    return project


def create_return(project, start=None, cohort=None, status="submitted", sessions: int = 4, **extra):
    """One quarter's monitoring return (the first quarter, by default)."""
    from engage.monitoring.logic import quarter_start
    from engage.monitoring.models import MonitoringReturn

    cohort = cohort if cohort is not None else {"other": {"11_17": 10}}
    kept = MonitoringReturn(
        project_id=project.id,
        period_start=start or quarter_start(project.funded_at.date()),
        status=status,
        sessions=sessions,
        participants=sum(n for row in cohort.values() for n in row.values()),
        profile={"cohort": cohort, **extra},
        submitted_by_id=project.bid.submitted_by_id,
    )
    db.session.add(kept)
    db.session.commit()
    return kept
