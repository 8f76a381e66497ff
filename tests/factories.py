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
