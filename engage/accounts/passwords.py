"""Password hashing with Argon2id (memory-hard), and the rules a new password must meet."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 128

_hasher = PasswordHasher()
# Verified against when the email is unknown, so both paths take the same time.
_DUMMY_HASH = _hasher.hash("engage-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; always spends one Argon2 verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
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
