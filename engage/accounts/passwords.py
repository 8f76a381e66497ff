"""Password hashing with Argon2id (memory-hard), and the rules a new password must meet."""

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 128

# Argon2's recommended costs (RFC 9106's second choice: 3 passes over 64 MiB).
STANDARD = "standard"
# For the test suite only, which signs in thousands of times: the same algorithm and format,
# the least memory and time Argon2 allows. Production refuses it (engage.config).
TESTS_ONLY = "tests-only"
_COSTS = {
    STANDARD: PasswordHasher(),
    TESTS_ONLY: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}

_hasher = PasswordHasher()


def use_cost(name: str) -> None:
    """Hash with the named cost from now on (a setting, PASSWORD_HASH_COST)."""
    global _hasher
    if name not in _COSTS:
        raise RuntimeError(f"PASSWORD_HASH_COST must be one of {sorted(_COSTS)}, not {name!r}")
    _hasher = _COSTS[name]


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verified against when the email is unknown, so both paths take the same time. Made on
    first use: made at import, it cost every process (worker, command) 0.2 s to start."""
    return hasher.hash("engage-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; always spends one Argon2 verification."""
    try:
        matched = _hasher.verify(password_hash or _dummy_hash(_hasher), password)
        return matched and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str, email: str = "") -> str | None:
    """Why a new password is not acceptable, or None when it is."""
    if len(password) < MIN_LENGTH:
        return str(_l("Password must be %(n)d characters or more", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Password must be %(n)d characters or fewer", n=MAX_LENGTH))
    if email and password.strip().lower() == email.strip().lower():
        return str(_l("Password must not be your email address"))
    if len(set(password)) < 4:
        return str(_l("Password is too easy to guess. Try three random words"))
    return None
