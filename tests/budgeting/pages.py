"""Sending the budgeting pages' forms as a browser does: the CSRF token comes from the page
that shows the form, and each action goes to its own route."""

import re

ROOT = "/participatory-budgeting"
TOKEN = re.compile(r'name="(?:[\w-]+-)?csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client, page: str) -> str:
    """The session's CSRF token, as any form on the page holds it (prefixed or not)."""
    match = TOKEN.search(client.get(page).get_data(as_text=True))
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def post_to(client, page: str, action: str, data: dict, prefix: str = "", **kwargs):
    """Post `data` to `action` with the CSRF token of `page` (under the form's `prefix`)."""
    token = csrf_token(client, page)
    name = f"{prefix}-csrf_token" if prefix else "csrf_token"
    return client.post(action, data={**data, name: token}, **kwargs)


def ballot_rows(choices: dict[int, int], points: bool = False, name: str = "ballot") -> dict:
    """A ballot's rows as the page sends them: one per project, ticked or given points."""
    data: dict[str, str] = {}
    for index, (bid_id, value) in enumerate(choices.items()):
        data[f"{name}-{index}-bid_id"] = str(bid_id)
        if points:
            data[f"{name}-{index}-points"] = str(value)
        elif value:
            data[f"{name}-{index}-ticked"] = "y"
    return data


def shortlist_rows(chosen: list[int], reasons: dict[int, str] | None = None) -> dict:
    reasons = reasons or {}
    data: dict[str, str] = {}
    for index, bid_id in enumerate([*chosen, *reasons]):
        data[f"bids-{index}-bid_id"] = str(bid_id)
        if bid_id in chosen:
            data[f"bids-{index}-chosen"] = "y"
        data[f"bids-{index}-reason"] = reasons.get(bid_id, "")
    return data


def manage(round_id: int) -> str:
    return f"{ROOT}/{round_id}/manage"


def advance(client, round_id: int, phase: str, **kwargs):
    return post_to(
        client, manage(round_id), f"{ROOT}/{round_id}/advance", {"from_phase": phase}, **kwargs
    )


def signed_in(app, user):
    """A client of its own, signed in as `user` through the form."""
    from tests.factories import DEFAULT_PASSWORD

    client = app.test_client()
    token = csrf_token(client, "/sign-in")
    client.post(
        "/sign-in", data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token}
    )
    return client
