"""The period a report covers and the one it is compared with: by default the last full
quarter and the quarter before it; otherwise any dates, compared with as many days just
before."""

from dataclasses import dataclass
from datetime import date, timedelta

from engage.monitoring.logic import next_quarter, quarter_start


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_quarter(self) -> bool:
        return self.start == quarter_start(self.start) and next_quarter(self.start) == (
            self.end + timedelta(days=1)
        )

    def before(self) -> "Period":
        if self.is_quarter:
            start = quarter_start(self.start - timedelta(days=1))
            return Period(start, self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))


def last_quarter(today: date) -> Period:
    """The last quarter that has ended."""
    end = quarter_start(today) - timedelta(days=1)
    return Period(quarter_start(end), end)


def chosen(start: date | None, end: date | None, today: date) -> Period:
    if start is None and end is None:
        return last_quarter(today)
    if start is None:
        assert end is not None
        return Period(quarter_start(end), end)
    return Period(start, end or today)
