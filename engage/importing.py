"""Shared rules for uploads: read CSV safely, collect every problem with its line and field,
and import nothing unless the whole file is right."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import gettext as _
from flask_babel import ngettext

from engage.exporting import from_spreadsheet

MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    line: int | None  # 1-based line in the file (the header is line 1); None for the whole file
    field: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(_("line %(n)d", n=self.line))
        if self.field:
            where.append(_("field “%(name)s”", name=self.field))
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportFailed(Exception):
    """The file was refused; nothing from it was saved."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems[:MAX_PROBLEMS]
        self.total = len(problems)


def csv_rows(stream: BinaryIO, required: set[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row, streamed; refuses files that are not UTF-8 or that
    lack required columns, naming the line."""
    reader = csv.DictReader(_lines_or_problem(stream))
    try:
        header = reader.fieldnames or []
    except _DecodeProblem as problem:
        raise ImportFailed([Problem(problem.line, None, problem.message)]) from None
    except csv.Error as error:  # e.g. a lone carriage return inside the header row
        message = _("not valid CSV (%(error)s)", error=error)
        raise ImportFailed([Problem(1, None, message)]) from None
    missing = sorted(required - {name.strip() for name in header})
    if missing:
        raise ImportFailed([Problem(1, name, _("this column is missing")) for name in missing])
    try:
        for row in reader:
            cleaned = {
                (k or "").strip(): from_spreadsheet((v or "").strip()) for k, v in row.items() if k
            }
            yield reader.line_num, cleaned
    except _DecodeProblem as problem:
        raise ImportFailed([Problem(problem.line, None, problem.message)]) from None
    except csv.Error as error:
        message = _("not valid CSV (%(error)s)", error=error)
        raise ImportFailed([Problem(reader.line_num, None, message)]) from None


class _DecodeProblem(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line, self.message = line, message


def _lines_or_problem(stream: BinaryIO) -> Iterator[str]:
    """Decoded lines, one at a time, so a bad byte is reported on its own line."""
    for line, raw in enumerate(stream, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            message = _("the file is not UTF-8 text; save it as “CSV UTF-8” and try again")
            raise _DecodeProblem(line, message) from None
        yield text.removeprefix("\ufeff") if line == 1 else text


def report_failure(error: ImportFailed, echo) -> None:
    """For commands: say that nothing was imported and list the problems."""
    echo(
        ngettext(
            "Nothing was imported. %(num)d problem:",
            "Nothing was imported. %(num)d problems:",
            error.total,
        )
    )
    for problem in error.problems:
        echo(f"  {problem}")
