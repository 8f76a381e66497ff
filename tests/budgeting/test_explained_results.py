"""The results page explains itself: funded projects first, then how the money was shared (in
words and one picture with its text equivalent), one sentence of why for every project not
funded, and how many voters backed a winner under each rule. The sentences come from the
count: these elections are small enough to know the answer by hand."""

import re
from html import unescape

import pytest

from engage.accounts.roles import Role
from engage.budgeting import counting, logic, voting
from engage.budgeting.results import WhyNot
from tests.budgeting.test_rounds import _bid_values, _round
from tests.factories import create_user

ROOT = "/participatory-budgeting"


def counted_round(officer, provider, bids, ballots, publish=True, **settings):
    """A round with `bids` ({title: cost}) and `ballots` (each {title: points}, or a list of
    titles ticked), counted, and published unless told not to."""
    user, org = provider
    funding_round = _round(officer, **{"max_bid": max(bids.values()), **settings})
    logic.advance_phase(officer, funding_round)
    made = {
        t: logic.submit_bid(user, funding_round, org, _bid_values(t, c)) for t, c in bids.items()
    }
    logic.advance_phase(officer, funding_round)
    logic.set_shortlist(officer, funding_round, {b.id for b in made.values()}, {})
    logic.advance_phase(officer, funding_round)
    for ballot in ballots:
        points = ballot if isinstance(ballot, dict) else dict.fromkeys(ballot, 1)
        voting.cast_ballot(
            create_user(Role.YOUTH_AMBASSADOR),
            funding_round.pots[0],
            {made[t].id: v for t, v in points.items()},
            empty=not points,
        )
    logic.advance_phase(officer, funding_round)
    counting.count_and_record(officer, funding_round)
    if publish:
        logic.advance_phase(officer, funding_round)
    return funding_round, made


def page_text(client, funding_round, section: str | None = None, language: str = "en") -> str:
    """The results page (or one section of it, by id) as the words a reader sees."""
    html = client.get(
        f"{ROOT}/{funding_round.id}/results", headers={"Accept-Language": language}
    ).get_data(as_text=True)
    if section:
        html = html[html.index(f'id="{section}"') :]
        html = html[: html.index("</section>")]
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(unescape(text).split())


# The issue's own case: 8 people back boxing, football and music; 4 back cooking only. Shares
# start at £833.33 and rise, a pound at a time, to £1,499; music, then football, take most of
# the 8's money (£375 + £500 each), leaving them £624 each: £4,992, £8 short of boxing. The 4
# buy cooking. So the 8-vote project loses to the 4-vote one.
BOXING = {
    "Football kit": 4000,
    "Music studio": 3000,
    "Friday night boxing": 5000,
    "Cooking club": 2000,
}
BOXING_BALLOTS = [["Football kit", "Music studio", "Friday night boxing"]] * 8 + [
    ["Cooking club"]
] * 4


def test_an_8_vote_project_that_lost_to_a_4_vote_one_says_whose_money_went_where(
    client, officer, provider
):
    funding_round, bids = counted_round(officer, provider, BOXING, BOXING_BALLOTS, pot=10000)
    record = funding_round.counted.pots[0]
    assert record.selected == [
        str(bids[t].id) for t in ("Music studio", "Football kit", "Cooking club")
    ]
    assert record.share == 1499 and record.equal_share == 833.33
    [why] = record.why_not
    assert (why.project, why.reason) == (str(bids["Friday night boxing"].id), WhyNot.SPENT)
    assert (why.backers, why.spenders, why.money) == (8, 8, 4992.0)
    assert why.went_to == [str(bids["Football kit"].id), str(bids["Music studio"].id)]
    text = page_text(client, funding_round, "how-the-money-was-shared")
    assert (
        "All 8 people who backed Friday night boxing had already spent their share on "
        "Football kit and Music studio." in text
    )
    assert "At first, each of the 12 people who voted had £833.33." in text
    assert "We stopped at £1,499 each." in text
    assert "12 of 12 voters (100%) backed at least one funded project." in text


def test_the_funded_list_comes_first_then_the_sharing_then_the_receipts(client, officer, provider):
    funding_round, _bids = counted_round(officer, provider, BOXING, BOXING_BALLOTS, pot=10000)
    text = page_text(client, funding_round)
    funded = text.index("Funded projects")
    shared = text.index("How the money was shared")
    details = text.index("The details")
    receipts = text.index("Check your vote was counted")
    assert funded < shared < details < receipts
    assert re.search(r"Funded projects .*Music studio – Corby Youth Club \(£3,000\)", text)


def test_the_picture_splits_each_cost_between_its_backers_with_the_same_facts_in_words(
    client, officer, provider
):
    funding_round, _bids = counted_round(officer, provider, BOXING, BOXING_BALLOTS, pot=10000)
    html = client.get(f"{ROOT}/{funding_round.id}/results").get_data(as_text=True)
    svg = re.search(r"<svg[^>]*engage-chart--split.*?</svg>", html, flags=re.S).group(0)
    assert "<title" in svg and "<desc" in svg and 'role="img"' in svg
    assert "1. Music studio: £3,000" in svg and "3. Cooking club: £2,000" in svg
    # One slice per backer: 8 + 8 + 4 payments, and the pot's 3 projects and what is left.
    assert svg.count('stroke="#ffffff"') == 8 + 8 + 4 + 3 + 1
    text = page_text(client, funding_round, "how-the-money-was-shared")
    assert "The £10,000 pot: £9,000 went to 3 projects, and £1,000 was not spent." in text
    assert "Music studio (£3,000): 8 people paid £375 each." in text
    assert "Football kit (£4,000): 8 people paid £500 each." in text
    assert "Cooking club (£2,000): 4 people paid £500 each." in text


# 6 back a £9,000 youth bus; 4 back £4,000 boxing. Most votes first funds the bus (6 backers
# happy); equal shares cannot: the 6 never have more than £8,994 between them (shares stop at
# £1,499, as at £1,500 they would buy the bus and boxing, £13,000), so it funds boxing (4).
BUS = {"Youth bus": 9000, "Boxing": 4000}
BUS_BALLOTS = [["Youth bus"]] * 6 + [["Boxing"]] * 4


def test_fairness_is_shown_for_both_rules(client, officer, provider):
    funding_round, _bids = counted_round(officer, provider, BUS, BUS_BALLOTS, pot=10000)
    text = page_text(client, funding_round, "how-the-money-was-shared")
    assert "4 of 10 voters (40%) backed at least one funded project." in text
    assert "With the most votes first, it would have been 6 of 10 (60%)." in text
    assert (
        "The 6 people who backed Youth bus had £8,994 between them, less than its "
        "£9,000 cost." in text
    )


def test_most_votes_first_says_what_was_left_when_a_projects_turn_came(client, officer, provider):
    funding_round, _bids = counted_round(
        officer, provider, BUS, BUS_BALLOTS, pot=10000, rule="greedy"
    )
    text = page_text(client, funding_round, "how-the-money-was-shared")
    assert (
        "Boxing needed £4,000, but only £1,000 was left after Youth bus, which had more "
        "votes." in text
    )
    assert "6 of 10 voters (60%) backed at least one funded project." in text
    assert "With equal shares, it would have been 4 of 10 (40%)." in text
    assert "We put the projects in order, the most votes first." in text


def test_projects_no_one_voted_for_are_said_so(client, officer, provider):
    funding_round, _bids = counted_round(
        officer, provider, {**BUS, "Chess club": 500}, BUS_BALLOTS, pot=10000
    )
    text = page_text(client, funding_round, "how-the-money-was-shared")
    assert "No one voted for Chess club." in text


def test_points_ballots_are_explained_in_points(client, officer, provider):
    ballots = [{"Youth bus": 6, "Boxing": 4}] * 3 + [{"Boxing": 10}] * 2
    funding_round, _bids = counted_round(
        officer, provider, BUS, ballots, pot=10000, ballot_type="points", points=10, rule="greedy"
    )
    text = page_text(client, funding_round, "how-the-money-was-shared")
    # Points: bus 18, boxing 32. Boxing first (£6,000 left), then the bus does not fit.
    assert "We put the projects in order, the most points first." in text
    assert (
        "Youth bus needed £9,000, but only £6,000 was left after Boxing, which had more "
        "points." in text
    )


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("points", [False, True])
@pytest.mark.parametrize("reason", list(WhyNot))
def test_every_reason_is_one_whole_sentence_in_both_languages(app, reason, points, language):
    from types import SimpleNamespace

    from engage.budgeting import explanation
    from engage.budgeting.results import WhyNotRecord

    bids = {
        pid: SimpleNamespace(title=title)
        for pid, title in zip("abcdefg", BOXING_TITLES, strict=True)
    }
    for ahead, tied, backers, spenders in ((["a"], False, 1, 1), (list("abcde"), True, 9, 4)):
        why = WhyNotRecord("g", reason, backers, 5000, 4992.0, spenders, ahead, tied)
        with app.test_request_context(headers={"Accept-Language": language}):
            sentence = explanation.why_not(why, bids, points, 10000)
        assert sentence.endswith(".") and "%(" not in sentence
        assert sentence.count(". ") == 0  # one sentence
        assert "Friday night boxing" in sentence


BOXING_TITLES = ["Football kit", "Music studio", "Cooking club", "Chess", "Skate park", "Bus"] + [
    "Friday night boxing"
]
