"""Published CSV tables read as they come: UTF-8 with or without a byte-order mark, the header
found below any title rows (as a spreadsheet saved as CSV keeps them), numbers with thousands
separators. Streamed: a row at a time."""

import csv
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Generic, TypeVar

from flask_babel import gettext as _

from engage.importing import ImportFailed, Problem, _DecodeProblem, _lines_or_problem

THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$", re.ASCII)
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$", re.ASCII)
TITLE_ROWS = 12  # how far down a header may be

L = TypeVar("L")


@dataclass
class Table(Generic[L]):
    layout: L
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (line number, cells)


def read_table(
    stream: BinaryIO, recognise: Callable[[list[str]], tuple[L, bool] | None], refusal: str
) -> Table[L]:
    """The first row `recognise` knows (as (layout, is_header)) within the first lines, and
    the rows after it; ImportFailed with `refusal` when no row is recognised."""
    reader = csv.reader(_lines_or_problem(stream))
    for line, cells in _numbered(reader):
        cells = [cell.strip() for cell in cells]
        found = recognise(cells)
        if found is not None:
            layout, is_header = found
            first = [] if is_header else [(line, cells)]
            return Table(layout, cells if is_header else [], _rows(reader, first))
        if line >= TITLE_ROWS:
            break
    raise ImportFailed([Problem(1, None, refusal)])


def _numbered(reader) -> Iterator[tuple[int, list[str]]]:
    try:
        for cells in reader:
            yield reader.line_num, cells
    except _DecodeProblem as problem:
        raise ImportFailed([Problem(problem.line, None, problem.message)]) from None
    except csv.Error as error:
        message = _("not valid CSV (%(error)s)", error=error)
        raise ImportFailed([Problem(reader.line_num, None, message)]) from None


def _rows(reader, first: list[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    yield from first
    for line, cells in _numbered(reader):
        if any(cell.strip() for cell in cells):
            yield line, [cell.strip() for cell in cells]


def number(text: str) -> float:
    """A finite number as publishers write it ("29,199", "0.007", "-1.2"); ValueError if not."""
    text = text.strip()
    if THOUSANDS.match(text):
        text = text.replace(",", "")
    if not NUMBER.match(text):
        raise ValueError(text)
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value
