"""Reading and writing pabulib `.pb` files (sections META, PROJECTS, VOTES; `;`-separated).
A bad file is refused with its line number and the reason; nothing is half-read."""

import csv
import gc
import io
from collections.abc import Collection
from fractions import Fraction
from itertools import chain, repeat
from operator import itemgetter

import numpy as np

from engage.budgeting.rules.bulk import ApprovalBallots, Records, approvals
from engage.budgeting.rules.election import Election, VoteType


class PabulibError(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line, self.reason = line, reason


SECTIONS = ("meta", "projects", "votes")

# The order pabulib lists fields in (its checker warns about any other order).
META_ORDER = (
    "description",
    "country",
    "unit",
    "district",
    "subunit",
    "instance",
    "num_projects",
    "num_votes",
    "budget",
    "vote_type",
    "rule",
    "date_begin",
    "date_end",
    "min_length",
    "max_length",
    "min_sum_cost",
    "max_sum_cost",
    "min_points",
    "max_points",
    "min_sum_points",
    "max_sum_points",
    "default_score",
    "min_project_cost",
    "max_project_cost",
    "min_project_score_threshold",
    "neighborhoods",
    "subdistricts",
    "categories",
    "edition",
    "language",
    "currency",
    "fully_funded",
    "experimental",
    "comment",
    "acknowledgments",
)
PROJECT_ORDER = (
    "project_id",
    "cost",
    "votes",
    "score",
    "name",
    "category",
    "beneficiaries",
    "selected",
    "neighborhood",
    "subunit",
    "district",
    "description",
    "proposer",
    "public_id",
    "latitude",
    "longitude",
)


# What str.strip removes, among ASCII characters.
ASCII_SPACES = tuple(c for c in map(chr, range(128)) if c.isspace())


def _number(text: str, line: int, what: str) -> Fraction:
    try:
        value = Fraction(text.strip().replace(",", "."))
    except (ValueError, ZeroDivisionError):
        raise PabulibError(line, f"{what} “{text}” is not a number") from None
    if value < 0:
        raise PabulibError(line, f"{what} {text} is negative")
    return value


class _Reader:
    def __init__(self) -> None:
        self.meta: dict[str, str] = {}
        self.costs: dict[str, Fraction] = {}
        self.project_meta: dict[str, dict[str, str]] = {}
        self.ballots: list[dict[str, Fraction]] | ApprovalBallots = []
        self.ballot_meta: list[dict[str, str]] | Records = []
        self.voter_ids: set[str] = set()

    def row(self, section: str, header: list[str], row: list[str], line: int) -> None:
        if section == "meta":
            if len(row) < 2:
                raise PabulibError(line, "a META line needs a key and a value")
            self.meta[row[0].strip()] = row[1].strip()
        elif section == "projects":
            self.project(dict(zip(header, (cell.strip() for cell in row), strict=False)), line)
        elif section == "votes":
            self.vote(dict(zip(header, (cell.strip() for cell in row), strict=False)), line)

    def project(self, values: dict[str, str], line: int) -> None:
        pid = values.get("project_id", "")
        if not pid:
            raise PabulibError(line, "a project has no project_id")
        if pid in self.costs:
            raise PabulibError(line, f"project {pid} is listed twice")
        if "cost" not in values:
            raise PabulibError(line, f"project {pid} has no cost")
        self.costs[pid] = _number(values["cost"], line, "cost")
        self.project_meta[pid] = values

    def vote(self, values: dict[str, str], line: int) -> None:
        if not isinstance(self.ballots, list):  # a second VOTES section after one read in bulk
            self.ballots, self.ballot_meta = list(self.ballots), list(self.ballot_meta)
        voter = values.get("voter_id", "")
        if voter in self.voter_ids:
            raise PabulibError(line, f"voter {voter} votes twice")
        self.voter_ids.add(voter)
        chosen = [pid.strip() for pid in values.get("vote", "").split(",") if pid.strip()]
        for pid in chosen:
            if pid not in self.costs:
                raise PabulibError(line, f"the vote names project {pid}, which is not listed")
        if len(set(chosen)) != len(chosen):
            raise PabulibError(line, "the vote names a project twice")
        vote_type = self.meta.get("vote_type", "approval")
        if vote_type in ("cumulative", "scoring"):
            raw = [p for p in values.get("points", "").split(",") if p.strip()]
            if len(raw) != len(chosen):
                raise PabulibError(line, "the vote and its points have different lengths")
            ballot = {pid: _number(p, line, "points") for pid, p in zip(chosen, raw, strict=True)}
        elif vote_type == "ordinal":
            ballot = {pid: Fraction(len(chosen) - rank) for rank, pid in enumerate(chosen)}
        else:
            ballot = dict.fromkeys(chosen, Fraction(1))
        self.ballots.append(ballot)
        meta = self.ballot_meta
        assert isinstance(meta, list)  # made a list with the ballots above
        meta.append({k: v for k, v in values.items() if k not in ("vote", "points")})


def _blank(row: list[str]) -> bool:
    return not row or (len(row) == 1 and not row[0].strip())


def _section_name(row: list[str]) -> str | None:
    if len(row) == 1:
        name = row[0].strip().lower()
        if name in SECTIONS:
            return name
    return None


def parse(text: str) -> Election:
    """An Election from the text of a .pb file; PabulibError names the first bad line."""
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of small dicts: the collector would re-scan them
    try:
        return _parse(text)
    finally:
        if collecting:
            gc.enable()


def _parse(text: str) -> Election:
    reader = _Reader()
    section = ""
    header: list[str] = []
    text = text.removeprefix("\ufeff")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    except csv.Error as error:
        raise PabulibError(1, f"the file is not in pabulib's format ({error})") from None
    index = 0
    while index < len(rows):
        row = rows[index]
        index += 1
        if _blank(row):
            continue
        name = _section_name(row)
        if name is not None:
            section, header = name, []
            continue
        if not section:
            raise PabulibError(index, "the file must start with META")
        if section != "meta" and not header:
            header = [cell.strip() for cell in row]
            if section == "votes":
                index = _votes(reader, header, rows, index)
            continue
        if section == "meta" and not header and row[0].strip().lower() == "key":
            header = ["key", "value"]
            continue
        reader.row(section, header, row, index)
    return _election(reader)


def _votes(reader: _Reader, header: list[str], rows: list[list[str]], start: int) -> int:
    """The VOTES section from rows[start:] up to the next section; returns where that section
    starts. Approval ballots in the usual shape are read in bulk, column by column; any other
    section (or one with a problem, to name its line) is read row by row through
    `_Reader.vote`, so the result is the same either way."""
    end, pieces, ragged = _extent(rows, start, len(header))
    body = list(chain.from_iterable(rows[first:last] for first, last in pieces))
    if ragged or not _in_bulk(reader, header, body):
        for line, row in enumerate(rows[start:end], start=start + 1):
            if not _blank(row):
                reader.vote(dict(zip(header, (cell.strip() for cell in row), strict=False)), line)
    return end


def _extent(
    rows: list[list[str]], start: int, width: int
) -> tuple[int, list[tuple[int, int]], bool]:
    """Where the section from rows[start:] ends, the runs of rows in it between blank lines, and
    whether some row in it has fewer cells than its header."""
    end, pieces, ragged, first = len(rows), [], False, start
    shortest = max(width, 2)
    if min(map(len, rows[start:]), default=shortest) >= shortest:  # the usual: one plain run
        return end, [(start, end)], ragged
    lengths = np.fromiter(map(len, rows[start:]), dtype=np.int64, count=len(rows) - start)
    for offset in np.flatnonzero(lengths < shortest).tolist():
        at = start + offset
        if _blank(rows[at]):
            pieces.append((first, at))
            first = at + 1
        elif _section_name(rows[at]) is not None:
            end = at
            break
        else:
            ragged = True
    pieces.append((first, end))
    return end, pieces, ragged


def _in_bulk(reader: _Reader, header: list[str], body: list[list[str]]) -> bool:
    """Read approval ballots column by column; False (the reader untouched) when the section
    is of another kind or has a problem, for the row-by-row reading to name."""
    if (
        reader.meta.get("vote_type", "approval") in ("cumulative", "scoring", "ordinal")
        or len(reader.ballots)
        or len(set(header)) != len(header)
        or not {"voter_id", "vote"} <= set(header)
    ):
        return False
    column = {key: index for index, key in enumerate(header)}
    voters = list(map(str.strip, map(itemgetter(column["voter_id"]), body)))
    distinct = set(voters)
    if len(distinct) != len(voters) or not reader.voter_ids.isdisjoint(distinct):
        return False
    ballots = _approvals(list(reader.costs), list(map(itemgetter(column["vote"]), body)))
    if ballots is None:
        return False
    reader.voter_ids |= distinct
    reader.ballots = ballots
    reader.ballot_meta = Records(
        {
            key: voters if key == "voter_id" else list(map(str.strip, map(itemgetter(i), body)))
            for key, i in column.items()
            if key not in ("vote", "points")
        },
        len(body),
    )
    return True


def _approvals(project_ids: list[str], votes: list[str]) -> ApprovalBallots | None:
    """The ballots from the vote cells; None when one names a project not listed (or twice)."""
    joined = ",".join(votes)
    items = joined.split(",") if votes else []
    if not joined.isascii() or any(space in joined for space in ASCII_SPACES):
        items = list(map(str.strip, items))
    code = {pid: index for index, pid in enumerate(project_ids)}
    code[""] = -1  # an empty item, as a trailing comma leaves: no project
    small = np.int16 if len(project_ids) < 2**15 else np.int32
    try:
        codes = np.array(list(map(code.__getitem__, items)), dtype=small)
    except KeyError:
        return None
    per_vote = np.fromiter(map(str.count, votes, repeat(",")), dtype=np.int64, count=len(votes))
    rows = np.repeat(np.arange(len(votes), dtype=np.int64), per_vote + 1)
    if (codes == -1).any():
        kept = codes != -1
        codes, rows = codes[kept], rows[kept]
    return approvals(project_ids, codes, rows, len(votes))


def _election(reader: _Reader) -> Election:
    if "budget" not in reader.meta:
        raise PabulibError(1, "META has no budget")
    vote_type = reader.meta.get("vote_type", "approval")
    if vote_type not in {v.value for v in VoteType}:
        raise PabulibError(1, f"vote_type {vote_type} is not one this library reads")
    if not reader.costs:
        raise PabulibError(1, "there are no projects")
    return Election(
        costs=reader.costs,
        budget=_number(reader.meta["budget"], 1, "budget"),
        ballots=reader.ballots,
        vote_type=VoteType(vote_type),
        meta=reader.meta,
        project_meta=reader.project_meta,
        ballot_meta=reader.ballot_meta,
    )


def _text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(float(value))


def _cell(value: object) -> str:
    """A value on one line, without the spaces around it that pabulib refuses."""
    return " ".join(str(value).split())


def _ordered(keys: Collection[str], order: tuple[str, ...]) -> list[str]:
    known = [k for k in order if k in keys]
    return known + sorted(k for k in keys if k not in order)


def write(election: Election, project_order: list[str] | None = None) -> str:
    """The election as a .pb file: fields in pabulib's order, values quoted where they hold a
    `;` or a quote, projects in `project_order` (by id otherwise), voters numbered 1…n in the
    order of `election.ballots` (anonymous)."""
    meta = {
        **election.meta,
        "num_projects": str(len(election.costs)),
        "num_votes": str(len(election.ballots)),
        "budget": _text(election.budget),
        "vote_type": election.vote_type.value,
    }
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerows([["META"], ["key", "value"]])
    writer.writerows([k, _cell(meta[k])] for k in _ordered(meta, META_ORDER))
    columns = {k for m in election.project_meta.values() for k in m} | {"project_id", "cost"}
    header = _ordered(columns, PROJECT_ORDER)
    writer.writerows([["PROJECTS"], header])
    for pid in project_order or election.project_ids:
        values = {**election.project_meta.get(pid, {}), "project_id": pid}
        values["cost"] = _text(election.costs[pid])
        writer.writerow([_cell(values.get(k, "")) for k in header])
    points = election.vote_type in (VoteType.CUMULATIVE, VoteType.SCORING)
    writer.writerows([["VOTES"], ["voter_id", "vote", *(["points"] if points else [])]])
    for number, ballot in enumerate(election.ballots, start=1):
        chosen = sorted(ballot, key=lambda pid: (-ballot[pid], pid))
        row = [str(number), ",".join(chosen)]
        if points:
            row.append(",".join(_text(ballot[pid]) for pid in chosen))
        writer.writerow(row)
    return out.getvalue()
