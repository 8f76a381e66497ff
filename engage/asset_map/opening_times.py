"""Opening times as people read them: days with the same hours grouped ("Monday to Friday,
9am to 5pm"), "Open 24 hours" for all day every day, in English or in Polish.

Pure: schedules are read as the RFC 5545 / Open Referral UK records they are (freq, interval,
byday, bymonthday, opens_at, closes_at, valid_from, valid_to, description), the language and
today's date are passed in. Odd data still reads well: overlapping times on a day are merged,
a time past midnight ("10pm to 2am") is kept as one stretch, days with no times are named
alone, times that are not times are left out, and schedules that have ended are not shown.

The grammar differs by language, not only the words (Polish says "od poniedziałku do
piątku", both days in the genitive, with an ordinal that agrees with the day's gender), so each
language has a small phrasebook here rather than a catalogue message per combination."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from babel.dates import format_date

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MIDNIGHT = 24 * 60
CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")
ORDINAL_DAY = re.compile(r"^([+-]?\d{1,2})(MO|TU|WE|TH|FR|SA|SU)$")
SAYS_24_HOURS = re.compile(r"^\s*(open\s+)?24\s*(hours|hrs|h|/\s*7)(\s+a\s+day)?[\s.!]*$", re.I)


class ScheduleRecord(Protocol):
    """What is read of a schedule (the model's columns, or anything shaped like them)."""

    @property
    def freq(self) -> str | None: ...
    @property
    def interval(self) -> int | None: ...
    @property
    def byday(self) -> str: ...
    @property
    def bymonthday(self) -> str: ...
    @property
    def opens_at(self) -> str | None: ...
    @property
    def closes_at(self) -> str | None: ...
    @property
    def description(self) -> str | None: ...
    @property
    def valid_from(self) -> date | None: ...
    @property
    def valid_to(self) -> date | None: ...


@dataclass(frozen=True, order=True)
class Span:
    """From `opens` to `closes`, in minutes after midnight; `closes` before `opens` runs past
    midnight, and 1440 is midnight at the end of the day."""

    opens: int
    closes: int

    @property
    def overnight(self) -> bool:
        return self.closes < self.opens


ALL_DAY = Span(0, MIDNIGHT)


@dataclass(frozen=True)
class Phrasebook:
    days: tuple[str, ...]  # Monday … Sunday as a line starts with them
    from_days: tuple[str, ...]  # the first day of a range ("from Monday")
    to_days: tuple[str, ...]  # the last day of a range ("to Friday")
    feminine: frozenset[int]  # days whose ordinals take the feminine form
    day_range: str  # "{first} to {last}"
    also: str  # " and " before the last of a list
    every_day: str
    all_day: str  # one day open all day and night
    open_24_hours: str  # all day, every day
    time_range: str
    ordinals: dict[int, tuple[str, str]]  # 1, 2, 3, 4, 5, -1, -2: (masculine, feminine)
    of_the_month: str  # "{days} of the month"
    last_day_of_month: str
    every_other: tuple[str, str]  # "every other {day}" (masculine, feminine)
    every_n_weeks: str  # "every {n} weeks on {days}", n > 2 or several days
    week_words: tuple[str, str, str]  # one, few, many (Polish counts)
    starting: str
    until: str
    between: str

    def clock(self, minutes: int) -> str:
        raise NotImplementedError

    def nth(self, day_of_month: int) -> str:
        raise NotImplementedError


class English(Phrasebook):
    def clock(self, minutes: int) -> str:
        """GOV.UK style: 9am, 5:30pm, midday, midnight."""
        if minutes in (0, MIDNIGHT):
            return "midnight"
        if minutes == 12 * 60:
            return "midday"
        hours, mins = divmod(minutes, 60)
        suffix = "am" if hours < 12 else "pm"
        shown = hours % 12 or 12
        return f"{shown}{suffix}" if mins == 0 else f"{shown}:{mins:02d}{suffix}"

    def nth(self, day_of_month: int) -> str:
        n = day_of_month
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"


class Polish(Phrasebook):
    def clock(self, minutes: int) -> str:
        """The 24-hour clock as Poles write it: 9:00, 17:30, 24:00 at the end of the day."""
        hours, mins = divmod(minutes, 60)
        return f"{hours}:{mins:02d}"

    def nth(self, day_of_month: int) -> str:
        return f"{day_of_month}. dzień"


ENGLISH_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ENGLISH = English(
    days=ENGLISH_DAYS,
    from_days=ENGLISH_DAYS,
    to_days=ENGLISH_DAYS,
    feminine=frozenset(),
    day_range="{first} to {last}",
    also=" and ",
    every_day="Every day",
    all_day="open 24 hours",
    open_24_hours="Open 24 hours",
    time_range="{opens} to {closes}",
    ordinals={
        1: ("first", "first"),
        2: ("second", "second"),
        3: ("third", "third"),
        4: ("fourth", "fourth"),
        5: ("fifth", "fifth"),
        -1: ("last", "last"),
        -2: ("second to last", "second to last"),
    },
    of_the_month="{days} of the month",
    last_day_of_month="last day",
    every_other=("every other {day}", "every other {day}"),
    every_n_weeks="every {n} weeks on {days}",
    week_words=("week", "weeks", "weeks"),
    starting="from {date}",
    until="until {date}",
    between="from {start} to {end}",
)
POLISH = Polish(
    days=("poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"),
    from_days=("poniedziałku", "wtorku", "środy", "czwartku", "piątku", "soboty", "niedzieli"),
    to_days=("poniedziałku", "wtorku", "środy", "czwartku", "piątku", "soboty", "niedzieli"),
    feminine=frozenset({2, 5, 6}),
    day_range="od {first} do {last}",
    also=" i ",
    every_day="codziennie",
    all_day="całą dobę",
    open_24_hours="Czynne całą dobę",
    time_range="{opens}–{closes}",
    ordinals={
        1: ("pierwszy", "pierwsza"),
        2: ("drugi", "druga"),
        3: ("trzeci", "trzecia"),
        4: ("czwarty", "czwarta"),
        5: ("piąty", "piąta"),
        -1: ("ostatni", "ostatnia"),
        -2: ("przedostatni", "przedostatnia"),
    },
    of_the_month="{days} miesiąca",
    last_day_of_month="ostatni dzień",
    every_other=("co drugi {day}", "co druga {day}"),
    every_n_weeks="co {n} {weeks}: {days}",
    week_words=("tydzień", "tygodnie", "tygodni"),
    starting="od {date}",
    until="do {date}",
    between="od {start} do {end}",
)
PHRASEBOOKS = {"en": ENGLISH, "pl": POLISH}


def describe(
    schedules: Iterable[ScheduleRecord], language: str = "en", today: date | None = None
) -> list[str]:
    """Each line one set of days with the same times, in the order of the week; then what
    runs monthly or every few weeks; then times and notes with no days."""
    words = PHRASEBOOKS.get(language.split("_")[0], ENGLISH)
    current = [s for s in schedules if today is None or not s.valid_to or s.valid_to >= today]
    seasons: dict[tuple[date | None, date | None], list[ScheduleRecord]] = {}
    for schedule in (s for s in current if _kind(s) == "weekly"):
        seasons.setdefault((schedule.valid_from, schedule.valid_to), []).append(schedule)
    lines = []
    for (start, end), weekly in seasons.items():
        dates = _dates(start, end, words, language, today)
        lines += [f"{line}, {dates}" if dates else line for line in _weekly_lines(weekly, words)]
    for schedule in (s for s in current if _kind(s) != "weekly"):
        line = _other_line(schedule, words)
        dates = _dates(schedule.valid_from, schedule.valid_to, words, language, today)
        if line:
            lines.append(f"{line}, {dates}" if dates else line)
    return [_capitalised(line) for line in dict.fromkeys(lines)]


def _kind(schedule: ScheduleRecord) -> str:
    """weekly (grouped by day), every_n_weeks, monthly, or other (times and notes alone)."""
    freq = (schedule.freq or "").upper()
    parts = _parts(schedule.byday)
    if schedule.bymonthday.strip() or any(ORDINAL_DAY.match(p) for p in parts):
        return "monthly"
    if freq in ("", "WEEKLY", "MONTHLY", "DAILY") and (parts or freq == "DAILY"):
        if freq == "WEEKLY" and (schedule.interval or 1) > 1:
            return "every_n_weeks"
        return "weekly"
    return "other"


def _parts(byday: str | None) -> list[str]:
    return [p.strip().upper() for p in (byday or "").split(",") if p.strip()]


def _weekdays(schedule: ScheduleRecord) -> list[int]:
    codes = [p[-2:] for p in _parts(schedule.byday)]
    found = sorted({DAYS.index(c) for c in codes if c in DAYS})
    if not found and (schedule.freq or "").upper() == "DAILY":
        return list(range(7))
    return found


def minutes(text: str | None, closing: bool = False) -> int | None:
    """Minutes after midnight for "HH:MM" (or "HH:MM:SS"); None for anything else."""
    match = CLOCK.match((text or "").strip())
    if not match:
        return None
    hours, mins = int(match.group(1)), int(match.group(2))
    if mins > 59 or hours > 24 or (hours == 24 and (mins or not closing)):
        return None
    return hours * 60 + mins


def span(opens_at: str | None, closes_at: str | None) -> Span | None:
    """The stretch the two times make; closing at 23:59 or 00:00 is closing at midnight."""
    opens, closes = minutes(opens_at), minutes(closes_at, closing=True)
    if opens is None or closes is None:
        return None
    if closes in (0, MIDNIGHT - 1):
        closes = MIDNIGHT
    if closes == opens:
        return None
    return Span(opens, closes)


def merge(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Overlapping or touching stretches become one; past-midnight ones are kept apart."""
    ordered = sorted(set(spans))
    merged: list[Span] = []
    for item in (s for s in ordered if not s.overnight):
        if merged and item.opens <= merged[-1].closes:
            last = merged.pop()
            item = Span(last.opens, max(last.closes, item.closes))
        merged.append(item)
    if ALL_DAY in merged:
        return (ALL_DAY,)
    return tuple(merged + [s for s in ordered if s.overnight])


@dataclass
class _Day:
    spans: list[Span]
    notes: list[str]


def _weekly_lines(schedules: Sequence[ScheduleRecord], words: Phrasebook) -> list[str]:
    days: dict[int, _Day] = {}
    for schedule in schedules:
        stretch = span(schedule.opens_at, schedule.closes_at)
        note = (schedule.description or "").strip()
        for day in _weekdays(schedule):
            entry = days.setdefault(day, _Day([], []))
            if stretch:
                entry.spans.append(stretch)
            if note and note not in entry.notes:
                entry.notes.append(note)
    groups: dict[tuple[tuple[Span, ...], tuple[str, ...]], list[int]] = {}
    for day in sorted(days):
        key = (merge(days[day].spans), tuple(days[day].notes))
        groups.setdefault(key, []).append(day)
    return [_group_line(days_, spans, notes, words) for (spans, notes), days_ in groups.items()]


def _group_line(
    days: list[int], spans: tuple[Span, ...], notes: tuple[str, ...], words: Phrasebook
) -> str:
    if spans == (ALL_DAY,):
        notes = tuple(n for n in notes if not SAYS_24_HOURS.match(n))
        line = (
            words.open_24_hours if len(days) == 7 else f"{day_list(days, words)}, {words.all_day}"
        )
    else:
        times = _times(spans, words)
        line = f"{day_list(days, words)}, {times}" if times else day_list(days, words)
    return _noted(line, notes)


def _times(spans: Sequence[Span], words: Phrasebook) -> str:
    ranges = [
        words.time_range.format(opens=words.clock(s.opens), closes=words.clock(s.closes))
        for s in spans
    ]
    return joined(ranges, words)


def _noted(line: str, notes: Iterable[str]) -> str:
    text = "; ".join(notes)
    return f"{line} ({text})" if text else line


def joined(items: Sequence[str], words: Phrasebook) -> str:
    """a, b and c."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + words.also + items[-1]


def day_list(days: Sequence[int], words: Phrasebook) -> str:
    """Every day; Monday to Friday; Monday, Wednesday and Friday; Monday to Wednesday and
    Saturday: three days or more in a row are a range."""
    if len(days) == 7:
        return words.every_day
    items: list[str] = []
    for run in _runs(sorted(set(days))):
        if len(run) >= 3:
            first, last = words.from_days[run[0]], words.to_days[run[-1]]
            items.append(words.day_range.format(first=first, last=last))
        else:
            items.extend(words.days[d] for d in run)
    return joined(items, words)


def _runs(days: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _other_line(schedule: ScheduleRecord, words: Phrasebook) -> str:
    """A schedule that is not simply weekly: monthly, every few weeks, or times alone."""
    kind = _kind(schedule)
    if kind == "monthly":
        when = _monthly(schedule, words)
    elif kind == "every_n_weeks":
        when = _every_n_weeks(schedule, words)
    else:
        when = ""
    stretch = span(schedule.opens_at, schedule.closes_at)
    times = (words.all_day if stretch == ALL_DAY else _times([stretch], words)) if stretch else ""
    line = ", ".join(part for part in (when, times) if part)
    note = (schedule.description or "").strip()
    return _noted(line, [note]) if line else note


def _monthly(schedule: ScheduleRecord, words: Phrasebook) -> str:
    items = []
    for part in _parts(schedule.byday):
        match = ORDINAL_DAY.match(part)
        if match and int(match.group(1)) in words.ordinals:
            day = DAYS.index(match.group(2))
            ordinal = words.ordinals[int(match.group(1))][day in words.feminine]
            items.append(f"{ordinal} {words.days[day]}")
    for part in (p.strip() for p in schedule.bymonthday.split(",") if p.strip()):
        if part == "-1":
            items.append(words.last_day_of_month)
        elif part.isdigit() and 1 <= int(part) <= 31:
            items.append(words.nth(int(part)))
    return words.of_the_month.format(days=joined(items, words)) if items else ""


def _every_n_weeks(schedule: ScheduleRecord, words: Phrasebook) -> str:
    days = _weekdays(schedule)
    n = schedule.interval or 2
    if n == 2 and len(days) == 1:
        return words.every_other[days[0] in words.feminine].format(day=words.days[days[0]])
    weeks = words.week_words[_plural_form(n)]
    return words.every_n_weeks.format(n=n, weeks=weeks, days=day_list(days, words))


def _plural_form(n: int) -> int:
    """Polish counts: 1 tydzień, 2–4 tygodnie (not 12–14), 5 and more tygodni."""
    if n == 1:
        return 0
    return 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2


def _dates(
    start: date | None, end: date | None, words: Phrasebook, language: str, today: date | None
) -> str:
    """When a seasonal schedule runs: its start only while it is still to come."""
    if start and today and start <= today:
        start = None

    def shown(day: date) -> str:
        return format_date(day, "d MMMM y", locale=language)

    if start and end:
        return words.between.format(start=shown(start), end=shown(end))
    if start:
        return words.starting.format(date=shown(start))
    return words.until.format(date=shown(end)) if end else ""


def _capitalised(line: str) -> str:
    return line[:1].upper() + line[1:]
