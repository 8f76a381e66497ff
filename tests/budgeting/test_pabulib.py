"""pabulib files: read as pabutools reads them, written back the same, bad lines named."""

import io
from fractions import Fraction
from pathlib import Path

import pytest
from pabutools.election.pabulib import parse_pabulib_from_string

from engage.budgeting.rules import Satisfaction, equal_shares
from engage.budgeting.rules.pabulib import PabulibError, parse, write

SAMPLE = """META
key;value
description;Youth fund, North
country;United Kingdom
unit;North Northamptonshire
instance;2026
num_projects;4
num_votes;5
budget;50000
vote_type;approval
rule;equal-shares
PROJECTS
project_id;cost;name
1;20000;Boxing club kit
2;15000;Girls' football
3;12500;Mentoring
4;30000;Youth bus
VOTES
voter_id;vote
v1;1,2
v2;2,3
v3;4
v4;1,4,3
v5;
"""


def test_reads_a_file_as_pabutools_does():
    ours = parse(SAMPLE)
    instance, profile = parse_pabulib_from_string(SAMPLE)
    assert ours.budget == instance.budget_limit == 50000
    assert ours.costs == {p.name: Fraction(p.cost) for p in instance}
    assert [sorted(b) for b in ours.ballots] == [sorted(p.name for p in b) for b in profile]
    assert ours.project_meta["3"]["name"] == "Mentoring"


def test_writing_and_reading_back_gives_the_same_election_and_result():
    election = parse(SAMPLE)
    again = parse(write(election))
    assert again.costs == election.costs and again.ballots == election.ballots
    assert (
        equal_shares(again, Satisfaction.COST).selected
        == equal_shares(election, Satisfaction.COST).selected
    )
    assert write(again) == write(election)


def test_cumulative_points_are_read():
    text = SAMPLE.replace("vote_type;approval", "vote_type;cumulative").replace(
        "voter_id;vote\nv1;1,2\nv2;2,3\nv3;4\nv4;1,4,3\nv5;\n",
        "voter_id;vote;points\nv1;1,2;7,3\nv2;4;10\n",
    )
    election = parse(text)
    assert election.ballots[0] == {"1": 7, "2": 3}
    assert election.default_satisfaction() is Satisfaction.POINTS


@pytest.mark.parametrize(
    ("change", "line", "reason"),
    [
        (("1;20000;Boxing", "1;lots;Boxing"), 14, "not a number"),
        (("2;15000;", "2;-5;"), 15, "negative"),
        (("v3;4", "v3;9"), 22, "not listed"),
        (("v2;2,3", "v1;2,3"), 21, "votes twice"),
        (("4;30000;Youth bus", "1;30000;Youth bus"), 17, "listed twice"),
        (("budget;50000\n", ""), 1, "no budget"),
    ],
)
def test_a_bad_file_is_refused_naming_the_line(change, line, reason):
    with pytest.raises(PabulibError) as error:
        parse(SAMPLE.replace(*change))
    assert error.value.line == line
    assert reason in error.value.reason


def test_the_tally_command_prints_json(runner, tmp_path):
    import json

    path = tmp_path / "north.pb"
    path.write_text(SAMPLE)
    result = runner.invoke(
        args=[
            "pb",
            "tally",
            str(path),
            "--rule",
            "mes",
            "--sat",
            "cost",
            "--completion",
            "add1",
            "--json",
        ]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    from tests.budgeting.reference import reference

    assert data["selected"] == reference(parse(SAMPLE), "add1", Satisfaction.COST)
    assert data["cost"] <= 50000


def test_the_tally_command_names_a_bad_line(runner, tmp_path):
    path = tmp_path / "bad.pb"
    path.write_text(SAMPLE.replace("v3;4", "v3;99"))
    result = runner.invoke(args=["pb", "tally", str(path)])
    assert result.exit_code == 1
    assert "line 22" in result.output


def test_import_then_export_keeps_the_election_and_its_result(runner, db_session, tmp_path):
    from engage.accounts.roles import Role
    from engage.budgeting import counting
    from engage.budgeting.models import Round
    from engage.budgeting.rules import equal_shares_add1, greedy
    from tests.factories import create_user

    officer = create_user(Role.ENGAGEMENT_OFFICER)
    path = tmp_path / "north.pb"
    path.write_text(SAMPLE)
    result = runner.invoke(args=["pb", "import", str(path), "--officer", officer.email])
    assert result.exit_code == 0, result.output
    funding_round = db_session.query(Round).one()
    assert (funding_round.phase, funding_round.pot, funding_round.rule) == (
        "counting",
        50000,
        "mes",
    )
    out = tmp_path / "again.pb"
    runner.invoke(args=["pb", "export", str(funding_round.id), "-o", str(out)])
    again, original = parse(out.read_text()), parse(SAMPLE)
    assert len(counting.ballots_of(funding_round.pots[0])) == 5
    # v5's empty vote is kept as a ballot (a receipt, turnout) but is not in the count, nor in
    # the file: pabulib's checker refuses an empty vote.
    original.ballots = [b for b in original.ballots if b]
    assert sorted(again.costs.values()) == sorted(original.costs.values())
    assert sorted(map(sorted, (b.values() for b in again.ballots))) == sorted(
        map(sorted, (b.values() for b in original.ballots))
    )
    titles = {str(b.id): b.title for b in funding_round.bids}
    names = original.project_meta
    for rule, ours in (
        ("mes", equal_shares_add1(original, Satisfaction.COST).selected),
        ("greedy", greedy(original, Satisfaction.COST).selected),
    ):
        counted = counting.count(funding_round.pots[0], rule)
        assert {titles[p] for p in counted.selected} == {names[p]["name"] for p in ours}


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pabulib"


def _pabutools(text: str):
    instance, profile = parse_pabulib_from_string(text.removeprefix("\ufeff"))
    ballots = []
    for ballot in profile:
        if isinstance(ballot, dict):  # cumulative and cardinal ballots map projects to points
            ballots.append({p.name: Fraction(v) for p, v in ballot.items()})
        elif isinstance(ballot, list):  # ordinal: the order given
            ballots.append([p.name for p in ballot])
        else:
            ballots.append(sorted(p.name for p in ballot))
    return instance, ballots


@pytest.mark.parametrize("name", ["approval_quoted", "cumulative", "scoring"])
def test_real_shaped_files_read_as_pabutools_reads_them(name):
    text = (FIXTURES / f"{name}.pb").read_text(encoding="utf-8")
    ours = parse(text)
    instance, theirs = _pabutools(text)
    assert ours.budget == instance.budget_limit
    assert ours.costs == {p.name: Fraction(p.cost) for p in instance}
    if ours.vote_type.value == "approval":
        assert [sorted(b) for b in ours.ballots] == theirs
    else:
        assert ours.ballots == theirs


def test_quoted_names_with_semicolons_and_the_comment_are_kept():
    election = parse((FIXTURES / "approval_quoted.pb").read_text(encoding="utf-8"))
    assert election.meta["description"] == "Youth fund; North"
    assert election.meta["comment"].startswith('#1: Names hold semicolons; "quotes" too.')
    assert election.project_meta["1"]["name"] == "Boxing; girls only"
    assert election.project_meta["2"]["name"] == 'The "Bus" project'
    assert election.ballots[4] == {}


@pytest.mark.parametrize(
    ("name", "kind"),
    [("approval_quoted", "approval"), ("cumulative", "points"), ("scoring", "points")],
)
def test_any_valid_file_imports_as_a_round(runner, db_session, name, kind):
    from engage.accounts.roles import Role
    from engage.budgeting.models import Ballot, Round
    from tests.factories import create_user

    officer = create_user(Role.ENGAGEMENT_OFFICER)
    path = FIXTURES / f"{name}.pb"
    result = runner.invoke(args=["pb", "import", str(path), "--officer", officer.email])
    assert result.exit_code == 0, result.output
    funding_round = db_session.query(Round).one()
    election = parse(path.read_text(encoding="utf-8"))
    assert funding_round.ballot_type == kind
    assert sorted(b.cost for b in funding_round.bids) == sorted(
        int(c) for c in election.costs.values()
    )
    names = {m["name"] for m in election.project_meta.values()}
    assert {b.title for b in funding_round.bids} == names
    held = sorted(sorted(b.choices.values()) for b in db_session.query(Ballot).all())
    assert held == sorted(sorted(int(v) for v in b.values()) for b in election.ballots)


def test_a_ranked_file_is_refused_with_a_clear_message_and_nothing_is_made(runner, db_session):
    from engage.accounts.roles import Role
    from engage.budgeting.models import Round
    from tests.factories import create_user

    officer = create_user(Role.ENGAGEMENT_OFFICER)
    path = FIXTURES / "ordinal.pb"
    assert parse(path.read_text(encoding="utf-8")).vote_type == "ordinal"
    result = runner.invoke(args=["pb", "import", str(path), "--officer", officer.email])
    assert result.exit_code == 1
    assert "ranked (ordinal) ballots" in result.output
    assert db_session.query(Round).count() == 0


def test_an_officer_imports_a_pb_file_through_a_background_job(
    app, client, auth, db_session, worker, root_dir
):
    from engage.accounts.roles import Role
    from tests.conftest import csrf_token
    from tests.factories import create_user
    from tests.workers import wait_for

    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    page = "/participatory-budgeting/import"

    def upload(content: bytes):
        token = csrf_token(client, page)
        data = {"file": (io.BytesIO(content), "election.pb"), "csrf_token": token}
        sent = client.post(page, data=data, content_type="multipart/form-data")
        assert sent.status_code == 302 and "/jobs/" in sent.headers["Location"]
        wait_for(int(sent.headers["Location"].rsplit("/", 1)[1]))
        return client.get(sent.headers["Location"]).get_data(as_text=True)

    good = upload((root_dir / "tests/fixtures/pabulib/cumulative.pb").read_bytes())
    assert "ready to count" in good and "Open the round" in good
    bad = upload(b"META\nkey;value\nnot a pabulib file")
    assert "The file was not imported" in bad
    ranked = upload((root_dir / "tests/fixtures/pabulib/ordinal.pb").read_bytes())
    assert "ranked (ordinal) ballots" in ranked
