"""Hostile values in every budgeting form — empty, 100k characters, NUL bytes, "²", integers
past any column, dates with parts missing, wrong types, unknown ids — get the error summary
(or a 404 for an id that is not there), never a server error. Run on SQLite and PostgreSQL."""

import logging

import pytest

from engage.accounts.roles import Role
from engage.budgeting import logic, paper, review, voting
from tests.budgeting.pages import ROOT, csrf_token, signed_in
from tests.budgeting.test_pots import _ambassador, _split_round, _voting
from tests.factories import create_user

HOSTILE = [
    "",
    "x" * 100_000,
    "a\x00b",
    "²",
    "9" * 30,
    str(2**63),
    "-1",
    "1.5",
    "<script>",
    "١٢",
]
# Each form's fields: a plain value that would do, so one field at a time can be spoiled.
FORMS = {
    "new": {
        "title": "Fund",
        "pot": "1000",
        "max_bid": "500",
        "ballot_type": "approval",
        "rule": "mes",
        "max_choices": "",
        "points": "",
        "description": "",
        "voting_from": ["1", "3", "2027"],
    },
    "advance": {"from_phase": "voting"},
    "shortlist": {"bids-0-bid_id": "{bid}", "bids-0-chosen": "y", "bids-0-reason": ""},
    "panel": {"email": "someone@example.org"},
    "rescore": {"score_id": "{score}"},
    "count": {"count-from_phase": "voting"},
    "pots": {"name": "East", "amount": "100", "areas": "{area}"},
    "pots/remove": {"pot_id": "{pot}"},
    "vote": {"ballot-0-bid_id": "{bid}", "ballot-0-ticked": "y", "ballot-0-points": "1"},
    "paper-voters": {"ambassador": "{ambassador}"},
    "papers": {"paper_ref": "7", "ballot-0-bid_id": "{bid}", "ballot-0-ticked": "y"},
    "areas": {"areas": "{area}"},
    "bid": {
        "organisation": "{org}",
        "pot_id": "{pot}",
        "title": "A bid",
        "summary": "Words.",
        "cost": "100",
        "prevention_level": "primary",
        "minimum_age": "11",
        "maximum_age": "18",
        "reach": "10",
    },
    "scores": {
        "bid-{bid}-reach": "3",
        "bid-{bid}-evidence": "3",
        "bid-{bid}-value_for_money": "3",
        "bid-{bid}-fit": "3",
        "bid-{bid}-comment": "",
    },
    "conflict": {"bid-{bid}-note": ""},
}


@pytest.fixture
def scene(app, people, places):
    """A round split into pots and open for voting, a reviewer with a score, an ambassador."""
    officer, provider, org = people
    funding_round = _split_round(officer, places)
    bids = _voting(
        officer, provider, org, funding_round, {"North": [("A", 100)], "West": [("B", 100)]}
    )
    voter = _ambassador(officer, places["north"])
    reviewer = create_user(Role.RESIDENT)
    review.appoint(officer, funding_round, reviewer.email)
    score = review.Score(
        bid_id=bids["A"].id, user_id=reviewer.id, reach=1, evidence=1, value_for_money=1, fit=1
    )
    from engage.extensions import db

    db.session.add(score)
    db.session.commit()
    paper.record_paper_voter(officer, funding_round.pots[0], _ambassador(officer, places["north"]))
    return {
        "officer": officer,
        "provider": provider,
        "voter": voter,
        "reviewer": reviewer,
        "round": funding_round,
        "ids": {
            "bid": bids["A"].id,
            "pot": funding_round.pots[0].id,
            "org": org.id,
            "area": places["north"].id,
            "score": score.id,
            "ambassador": _ambassador(officer, places["north"]).id,
        },
    }


def _fill(value, ids):
    if isinstance(value, list):
        return value
    return value.format(**ids) if "{" in value else value


def _targets(scene) -> list[tuple[str, str, str, str]]:
    """(who, page to take the token from, where the form goes, which form)."""
    r, ids = scene["round"].id, scene["ids"]
    base = f"{ROOT}/{r}"
    papers = f"{base}/pots/{ids['pot']}/paper-ballots"
    return [
        ("officer", f"{ROOT}/new", f"{ROOT}/new", "new"),
        ("officer", f"{base}/manage", f"{base}/advance", "advance"),
        ("officer", f"{base}/manage", f"{base}/shortlist", "shortlist"),
        ("officer", f"{base}/manage", f"{base}/panel", "panel"),
        ("officer", f"{base}/manage", f"{base}/rescore", "rescore"),
        ("officer", f"{base}/manage", f"{base}/count", "count"),
        ("officer", f"{base}/manage", f"{base}/pots", "pots"),
        ("officer", f"{base}/manage", f"{base}/pots/remove", "pots/remove"),
        ("officer", papers, f"{papers}/voters", "paper-voters"),
        ("officer", papers, f"{papers}/papers", "papers"),
        (
            "officer",
            f"{ROOT}/ambassadors/{ids['ambassador']}",
            f"{ROOT}/ambassadors/{ids['ambassador']}",
            "areas",
        ),
        ("voter", f"{base}/pots/{ids['pot']}/vote", f"{base}/pots/{ids['pot']}/vote", "vote"),
        ("provider", f"{base}/bids/new", f"{base}/bids/new", "bid"),
        ("reviewer", f"{base}/review", f"{base}/review/bids/{ids['bid']}/scores", "scores"),
        ("reviewer", f"{base}/review", f"{base}/review/bids/{ids['bid']}/conflict", "conflict"),
    ]


def test_no_hostile_value_in_any_budgeting_form_gives_a_server_error(app, scene, caplog):
    logic.advance_phase(scene["officer"], scene["round"])  # counting: paper entry still open
    scene["round"].phase = "voting"  # but ballots still open too
    from engage.extensions import db

    db.session.commit()
    clients = {
        who: signed_in(app, scene[who]) for who in ("officer", "provider", "voter", "reviewer")
    }
    tried = 0
    caplog.set_level(logging.ERROR)
    for who, page, action, name in _targets(scene):
        client = clients[who]
        token = csrf_token(client, page)
        base = {k.format(**scene["ids"]): _fill(v, scene["ids"]) for k, v in FORMS[name].items()}
        for field in list(base):
            for value in HOSTILE:
                data = {**base, field: value, "csrf_token": token}
                if name == "scores":
                    data[f"bid-{scene['ids']['bid']}-csrf_token"] = token
                if name == "conflict":
                    data[f"bid-{scene['ids']['bid']}-csrf_token"] = token
                if name == "count":
                    data["count-csrf_token"] = token
                response = client.post(action, data=data)
                tried += 1
                assert response.status_code < 500, (name, field, value[:40])
    assert tried > 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "url",
    [
        f"{ROOT}/99999999999999999999999",
        f"{ROOT}/9223372036854775808/results",
        f"{ROOT}/1/pots/99999999999999999999/vote",
        f"{ROOT}/ambassadors/99999999999999999999",
    ],
)
def test_an_unknown_id_past_any_column_is_a_404(client, auth, people, url):
    officer, _provider, _org = people
    auth.sign_in_as(officer)
    assert client.get(url).status_code in (403, 404)


def test_a_dated_round_with_a_part_missing_is_refused_beside_the_date(client, auth, people):
    officer, _provider, _org = people
    auth.sign_in_as(officer)
    token = csrf_token(client, f"{ROOT}/new")
    response = client.post(
        f"{ROOT}/new",
        data={**FORMS["new"], "voting_from": ["1", "", "2027"], "csrf_token": token},
    )
    assert response.status_code == 400
    assert 'href="#voting_from"' in response.get_data(as_text=True)


def test_a_ballot_sent_with_a_tampered_project_is_refused(app, scene):
    client = signed_in(app, scene["voter"])
    url = f"{ROOT}/{scene['round'].id}/pots/{scene['ids']['pot']}/vote"
    token = csrf_token(client, url)
    data = {"ballot-0-bid_id": "424242", "ballot-0-ticked": "y", "csrf_token": token}
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "only vote for shortlisted projects" in response.get_data(as_text=True)
    assert voting.ballot_of(scene["voter"], scene["round"].pots[0]) is None
