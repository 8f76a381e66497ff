"""Password hashing and the rules for new passwords."""

from hypothesis import given, settings
from hypothesis import strategies as st

from engage.accounts.passwords import (
    MIN_LENGTH,
    hash_password,
    password_problem,
    verify_password,
)


def test_hashes_are_argon2id_and_salted():
    first, second = hash_password("same password!"), hash_password("same password!")
    assert first.startswith("$argon2id$")
    assert first != second


@settings(max_examples=15, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_a_password_verifies_against_its_own_hash_only(password):
    hashed = hash_password(password)
    assert verify_password(hashed, password)
    assert not verify_password(hashed, password + "x")


def test_no_hash_never_verifies():
    assert not verify_password(None, "anything at all")
    assert not verify_password("not-a-hash", "anything at all")


@given(st.text(max_size=MIN_LENGTH - 1))
def test_short_passwords_are_refused(password):
    assert password_problem(password) is not None


def test_password_rules(app):
    assert password_problem("purple otter lantern") is None
    assert password_problem("aaaaaaaaaaaaaaaa") is not None
    assert password_problem("sam@example.org", email="SAM@example.org") is not None
    assert password_problem("x" * 200) is not None
