"""The demo data set in seed_assets/: loaded by `flask demo load`, idempotently."""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from engage.accounts.models import User
from engage.accounts.passwords import hash_password, verify_password
from engage.accounts.roles import Role
from engage.database import transactional
from engage.extensions import db
from engage.geo.logic import upsert_areas
from engage.geo.postcodes import load_postcodes

SEED = Path(__file__).resolve().parent.parent / "seed_assets"


@dataclass(frozen=True)
class DemoUser:
    email: str
    display_name: str
    role: Role
    age_band: str | None
    password: str


def read_demo_users(path: Path = SEED / "demo_users.csv") -> list[DemoUser]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            DemoUser(
                row["email"],
                row["display_name"],
                Role(row["role"]),
                row["age_band"] or None,
                row["password"],
            )
            for row in csv.DictReader(handle)
        ]


@transactional
def load_demo_users(users: list[DemoUser]) -> int:
    """Create the demo users that are missing and put back any changed demo password."""
    existing = {user.email: user for user in db.session.scalars(select(User))}
    changed = 0
    for demo in users:
        user = existing.get(demo.email)
        if user is None:
            user = User(
                email=demo.email,
                display_name=demo.display_name,
                role=demo.role.value,
                age_band=demo.age_band,
                locale="en_GB",
            )
            db.session.add(user)
        elif verify_password(user.password_hash, demo.password) and user.role == demo.role.value:
            continue
        user.role, user.password_hash = demo.role.value, hash_password(demo.password)
        changed += 1
    return changed


def load_demo_areas(path: Path = SEED / "areas.geojson") -> tuple[int, int]:
    collection = json.loads(path.read_text(encoding="utf-8"))
    return upsert_areas(collection["features"], is_demo=True)


def load_demo_postcodes(path: Path = SEED / "demo_postcodes.csv") -> int:
    """Made-up postcodes in real sectors around the demo towns, read by the real importer, so
    "NN14 6" and "NN14 6AB" land in Rothwell (see seed_assets/README.md)."""
    with path.open("rb") as handle:
        return load_postcodes(handle).kept
