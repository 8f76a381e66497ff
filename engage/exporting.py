"""CSV files people open in spreadsheets: a cell that starts like a formula (=, +, -, @) is
written with a leading apostrophe so the spreadsheet shows it as text instead of running it
(CSV injection). Our own importers take the apostrophe off again, so exports round-trip."""

import csv
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def from_spreadsheet(value: str) -> str:
    """Undo `spreadsheet_safe` on a cell read back from one of our exports."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class SafeWriter:
    """csv.writer whose every text cell is made safe for spreadsheets."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row) -> None:
        self._writer.writerow([spreadsheet_safe(cell) for cell in row])


class SafeDictWriter(csv.DictWriter):
    """csv.DictWriter whose every text cell is made safe for spreadsheets."""

    def writerow(self, rowdict):
        return super().writerow({k: spreadsheet_safe(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts):
        for row in rowdicts:
            self.writerow(row)
