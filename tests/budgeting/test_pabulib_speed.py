"""`flask pb tally` at scale: the VOTES section is read in bulk with the same result as line by
line, and the command starts without building the web app."""

import json
import random
import subprocess
import sys
from dataclasses import replace
from fractions import Fraction

import pytest

from engage.budgeting.rules.bulk import ApprovalBallots
from engage.budgeting.rules.election import Satisfaction, supporters
from engage.budgeting.rules.pabulib import PabulibError, _Reader, parse
from engage.budgeting.rules.tally import RULES, tally

HEAD = """META
key;value
budget;100000
vote_type;approval
PROJECTS
project_id;cost
a;20000
b;35000
c;50000
d;10000
"""


def _line_by_line(text: str) -> _Reader:
    """The file's rows fed one at a time through `_Reader.row`, as the parser used to."""
    reader = _Reader()
    section, header = "", []
    for line, row in enumerate(text.splitlines(), start=1):
        cells = row.split(";")
        if not row.strip():
            continue
        if len(cells) == 1 and cells[0].strip().lower() in ("meta", "projects", "votes"):
            section, header = cells[0].strip().lower(), []
        elif section == "meta" and not header:
            header = ["key", "value"]
        elif section != "meta" and not header:
            header = [cell.strip() for cell in cells]
        else:
            reader.row(section, header, cells, line)
    return reader


def _votes(rng: random.Random, voters: int, columns: str) -> str:
    lines = ["VOTES", columns]
    for n in range(voters):
        chosen = rng.sample("abcd", rng.randint(0, 4))
        vote = rng.choice([",".join(chosen), " , ".join(chosen) + " ", ",".join(chosen) + ","])
        age = str(rng.randint(11, 25))
        if columns == "voter_id;vote":
            lines.append(f"v{n};{vote}")
        else:
            lines.append(f" v{n} ;{age};{vote};{rng.choice(['f', 'm', ''])}")
        if n % 97 == 0:
            lines.append("")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("columns", ["voter_id;vote", "voter_id;age;vote;sex"])
def test_votes_read_in_bulk_are_the_votes_read_line_by_line(columns):
    text = HEAD + _votes(random.Random(12), 400, columns)
    election = parse(text)
    expected = _line_by_line(text)
    assert election.ballots == expected.ballots
    assert election.ballot_meta == expected.ballot_meta
    assert len(election.ballots) == 400
    assert any(len(ballot) == 4 for ballot in election.ballots)
    assert all(v == Fraction(1) for ballot in election.ballots for v in ballot.values())


@pytest.mark.parametrize("satisfaction", list(Satisfaction))
def test_supporters_of_ballots_read_in_bulk_are_those_of_the_same_ballots_as_a_list(satisfaction):
    election = parse(HEAD + _votes(random.Random(7), 500, "voter_id;age;vote;sex"))
    assert isinstance(election.ballots, ApprovalBallots)  # the bulk path was taken
    as_list = replace(election, ballots=list(election.ballots))
    bulk, plain = supporters(election, satisfaction), supporters(as_list, satisfaction)
    assert bulk.keys() == plain.keys()
    for pid, support in bulk.items():
        assert support.voters.tolist() == plain[pid].voters.tolist()
        assert (support.sats, support.uniform) == (plain[pid].sats, plain[pid].uniform)
    for rule in RULES:
        assert tally(election, rule).selected == tally(as_list, rule).selected


def test_ballots_read_in_bulk_read_like_a_list():
    election = parse(HEAD + "VOTES\nvoter_id;vote\n1;b,a\n2;\n3;d , c,\n")
    assert len(election.ballots) == 3
    assert list(election.ballots[0]) == ["b", "a"]  # in the file's order
    assert election.ballots[-1] == {"c": 1, "d": 1}
    assert election.ballots[1:] == [{}, {"c": 1, "d": 1}]
    assert [dict(m) for m in election.ballot_meta] == [{"voter_id": v} for v in "123"]
    with pytest.raises(IndexError):
        election.ballots[3]


def test_a_second_votes_section_adds_to_ballots_read_in_bulk():
    text = HEAD + "VOTES\nvoter_id;vote\n1;a\n2;b\nVOTES\nvoter_id;vote\n3;c,d\n"
    election = parse(text)
    assert election.ballots == [{"a": 1}, {"b": 1}, {"c": 1, "d": 1}]
    assert election.ballot_meta == [{"voter_id": "1"}, {"voter_id": "2"}, {"voter_id": "3"}]
    with pytest.raises(PabulibError, match="votes twice"):
        parse(text + "VOTES\nvoter_id;vote\n2;a\n")


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        ("v999;a,z", "which is not listed"),
        ("v999;a,b,a", "names a project twice"),
        ("v1;a", "votes twice"),
    ],
)
def test_a_bad_vote_in_a_long_section_is_named_by_its_line(bad_row, reason):
    rows = [f"v{n};a,b" for n in range(1, 300)]
    rows[200] = bad_row
    text = HEAD + "VOTES\nvoter_id;vote\n" + "\n".join(rows) + "\n"
    with pytest.raises(PabulibError) as error:
        parse(text)
    assert error.value.line == HEAD.count("\n") + 2 + 201
    assert reason in error.value.reason


def test_a_section_after_the_votes_is_still_read():
    text = "META\nkey;value\nbudget;100\nVOTES\nvoter_id;vote\n1;x\n"
    text += "PROJECTS\nproject_id;cost\nx;50\n"
    with pytest.raises(PabulibError, match="not listed"):
        parse(text)  # the votes name a project listed only later, as line by line would say
    text = HEAD + "VOTES\nvoter_id;vote\n1;a\n\nMETA\nkey;value\ndescription;late\n"
    assert parse(text).meta["description"] == "late"


TALLY_WITHOUT_THE_APP = """
import sys
from flask.cli import main
sys.argv = ["flask", "pb", "tally", "--json", sys.argv[1]]
try:
    main()
except SystemExit as done:
    assert not done.code, done.code
loaded = [m for m in ("sqlalchemy", "flask_sqlalchemy", "engage.extensions", "jinja2.ext")
          if m in sys.modules]
print("LOADED:" + ",".join(loaded))
"""


def test_flask_pb_tally_counts_without_building_the_web_app(tmp_path):
    path = tmp_path / "small.pb"
    path.write_text(HEAD + "VOTES\nvoter_id;vote\n1;a,b\n2;b,c\n3;c\n4;a,d\n")
    result = subprocess.run(
        [sys.executable, "-c", TALLY_WITHOUT_THE_APP, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "FLASK_APP": "wsgi.py"},
    )
    assert result.returncode == 0, result.stderr
    printed, loaded = result.stdout.strip().splitlines()
    assert json.loads(printed)["selected"]
    assert loaded == "LOADED:"
