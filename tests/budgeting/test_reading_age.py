"""The results' explanation reads at 12 or under: the "How the money was shared" section of
counted rounds (ticks and points, equal shares and most votes first), scored as it is shown.

English: the Flesch-Kincaid grade (textstat), at most 7, which is a reading age of 12 (a US
grade is the school year, from age 6). Polish: FOG-PL (textstat's Gunning fog for Polish, as
the Jasnopis project defines it: words of four syllables or more are hard), at most 6, the
last class of a Polish primary-school reader aged 12. The Polish is written by a person, in
the catalogue; this only checks it stays plain."""

import random
import re
from html import unescape

import pytest
import textstat

from tests.budgeting.test_explained_results import (
    BOXING,
    BOXING_BALLOTS,
    BUS,
    BUS_BALLOTS,
    counted_round,
)

ENGLISH_GRADE, POLISH_FOG = 7, 6
BLOCKS = re.compile(r"<(p|li|h2|h3|h4)\b[^>]*>(.*?)</\1>", re.S)

# The demo's pilot round: real-sounding titles, 24 ambassadors ticking 1 to 4 projects each.
PILOT = {
    "Friday night boxing for girls": 6500,
    "Kit and coaches for street football": 4800,
    "Knife crime talks in schools": 7200,
    "Youth bus for the villages": 9800,
    "Mentors for young people leaving care": 8500,
    "Cooking and life skills club": 3200,
    "Music studio sessions": 5600,
    "Bleed kits and first aid training": 2900,
}


def _pilot_ballots(points: bool) -> list:
    rng = random.Random(2026)
    titles = list(PILOT)
    ballots = []
    for _voter in range(24):
        picks = set(rng.choices(titles, weights=[6, 5, 4, 2, 4, 3, 3, 2], k=rng.randint(1, 4)))
        if points:
            share = 10 // len(picks)
            ballots.append(dict.fromkeys(sorted(picks), share))
        else:
            ballots.append(sorted(picks))
    return ballots


ROUNDS = {
    "ticks, equal shares (the 8-vote project that lost)": (BOXING, BOXING_BALLOTS, {}),
    "ticks, equal shares (the pilot round)": (PILOT, _pilot_ballots(False), {"pot": 30000}),
    "ticks, most votes first": (BUS, BUS_BALLOTS, {"rule": "greedy"}),
    "points, equal shares": (PILOT, _pilot_ballots(True), {"pot": 30000, "points": 10}),
    "points, most votes first": (
        PILOT,
        _pilot_ballots(True),
        {"pot": 30000, "points": 10, "rule": "greedy"},
    ),
}


def explanation(client, funding_round, language: str) -> str:
    """The section's words as a reader meets them: each paragraph, list item and heading a
    unit of its own (a heading with no full stop is still read apart from what follows)."""
    html = client.get(
        f"/participatory-budgeting/{funding_round.id}/results",
        headers={"Accept-Language": language},
    ).get_data(as_text=True)
    section = html[html.index('id="how-the-money-was-shared"') :]
    section = section[: section.index("</section>")]
    section = re.sub(r"<svg.*?</svg>", " ", section, flags=re.S)
    units = []
    for _tag, inner in BLOCKS.findall(section):
        words = " ".join(unescape(re.sub(r"<[^>]+>", " ", inner)).split())
        if words and not re.search(r"<(p|li|ol|ul)\b", inner):
            units.append(words if words[-1] in ".!?:" else words + ".")
    return " ".join(units)


def _counted(officer, provider, name):
    bids, ballots, settings = ROUNDS[name]
    settings = {"pot": 10000, **settings}
    if "points" in settings:
        settings["ballot_type"] = "points"
    return counted_round(officer, provider, bids, ballots, **settings)[0]


@pytest.mark.parametrize("name", sorted(ROUNDS))
def test_the_english_explanation_reads_at_12_or_under(client, officer, provider, name):
    text = explanation(client, _counted(officer, provider, name), "en")
    assert len(text.split()) > 60  # the whole explanation, not a heading
    textstat.set_lang("en_GB")
    grade = textstat.flesch_kincaid_grade(text)
    print(f"\n{name}: Flesch-Kincaid grade {grade}")
    assert grade <= ENGLISH_GRADE, text


@pytest.mark.filterwarnings("ignore:There is no easy words vocabulary for pl")
@pytest.mark.parametrize("name", sorted(ROUNDS))
def test_the_polish_explanation_stays_plain(client, officer, provider, name):
    text = explanation(client, _counted(officer, provider, name), "pl")
    assert "Everyone" not in text and "backed" not in text  # it is Polish, all of it
    textstat.set_lang("pl")
    fog = textstat.gunning_fog(text)
    print(f"\n{name}: FOG-PL {fog}")
    assert fog <= POLISH_FOG, text
