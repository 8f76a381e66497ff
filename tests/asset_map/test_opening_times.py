"""Opening times read as people say them, in English and Polish, whatever the records hold."""

from dataclasses import dataclass
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from engage.asset_map.opening_times import Span, describe, merge, span

TODAY = date(2026, 11, 30)
WEEK = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass
class Record:
    byday: str = ""
    opens_at: str | None = None
    closes_at: str | None = None
    description: str | None = None
    freq: str | None = "WEEKLY"
    interval: int | None = None
    bymonthday: str = ""
    valid_from: date | None = None
    valid_to: date | None = None


def both(records: list[Record]) -> tuple[list[str], list[str]]:
    return describe(records, "en", TODAY), describe(records, "pl", TODAY)


def test_a_helpline_open_all_day_every_day_is_open_24_hours():
    helpline = [Record(day, "00:00", "23:59", "Open 24 hours") for day in WEEK]
    assert both(helpline) == (["Open 24 hours"], ["Czynne całą dobę"])
    assert both([Record(",".join(WEEK), "00:00", "24:00")]) == (
        ["Open 24 hours"],
        ["Czynne całą dobę"],
    )
    assert both([Record("", "00:00", "00:00", freq="DAILY")])[0] == ["Open 24 hours"]


def test_days_with_the_same_hours_are_grouped_in_week_order():
    office = [Record(day, "09:00", "17:00") for day in ("FR", "MO", "TU", "WE", "TH")]
    office.append(Record("SA", "10:00", "13:00"))
    assert both(office) == (
        ["Monday to Friday, 9am to 5pm", "Saturday, 10am to 1pm"],
        ["Od poniedziałku do piątku, 9:00–17:00", "Sobota, 10:00–13:00"],
    )


def test_days_apart_are_listed_and_two_days_are_never_a_range():
    assert both([Record("MO,WE,FR", "09:30", "16:00")]) == (
        ["Monday, Wednesday and Friday, 9:30am to 4pm"],
        ["Poniedziałek, środa i piątek, 9:30–16:00"],
    )
    assert both([Record("TU,TH", "18:30", "21:00")])[0] == ["Tuesday and Thursday, 6:30pm to 9pm"]
    assert both([Record("SA,SU", "10:00", "12:00")])[1] == ["Sobota i niedziela, 10:00–12:00"]
    assert both([Record("MO,TU,WE,SA", "10:00", "12:00")])[0] == [
        "Monday to Wednesday and Saturday, 10am to midday"
    ]


def test_every_day_the_same_is_said_once():
    week = [Record(day, "09:00", "17:00") for day in WEEK]
    assert both(week) == (["Every day, 9am to 5pm"], ["Codziennie, 9:00–17:00"])


def test_midday_and_midnight_are_words_in_english_and_24_hour_times_in_polish():
    assert both([Record("FR", "12:00", "00:00")]) == (
        ["Friday, midday to midnight"],
        ["Piątek, 12:00–24:00"],
    )


def test_overlapping_times_on_a_day_are_merged_and_a_break_is_kept():
    records = [
        Record("MO", "09:00", "13:00"),
        Record("MO", "12:00", "17:00"),
        Record("TU", "09:00", "12:00"),
        Record("TU", "14:00", "17:00"),
    ]
    assert both(records) == (
        ["Monday, 9am to 5pm", "Tuesday, 9am to midday and 2pm to 5pm"],
        ["Poniedziałek, 9:00–17:00", "Wtorek, 9:00–12:00 i 14:00–17:00"],
    )


def test_times_past_midnight_stay_one_stretch():
    assert both([Record("FR,SA", "22:00", "02:00")]) == (
        ["Friday and Saturday, 10pm to 2am"],
        ["Piątek i sobota, 22:00–2:00"],
    )


def test_days_with_no_times_and_times_that_are_not_times_name_the_days_alone():
    records = [Record("MO", "25:00", "12:00"), Record("TH", "nine", None), Record("SA")]
    assert both(records)[0] == ["Monday, Thursday and Saturday"]


def test_notes_follow_their_days_and_a_24_hour_note_is_not_repeated():
    records = [Record(d, "09:00", "17:00", "By appointment") for d in ("MO", "TU", "WE")]
    records.append(Record("TH", "09:00", "17:00"))
    assert both(records)[0] == [
        "Monday to Wednesday, 9am to 5pm (By appointment)",
        "Thursday, 9am to 5pm",
    ]
    weekend = [Record(d, "00:00", "23:59", "Open 24 hours") for d in ("SA", "SU")]
    assert both(weekend) == (
        ["Saturday and Sunday, open 24 hours"],
        ["Sobota i niedziela, całą dobę"],
    )


def test_monthly_schedules_name_the_day_of_the_month():
    records = [
        Record("1MO", "18:00", "20:00", freq="MONTHLY"),
        Record("-1WE", freq="MONTHLY"),
        Record("", "10:00", "12:00", freq="MONTHLY", bymonthday="15"),
        Record("", freq="MONTHLY", bymonthday="-1"),
    ]
    assert both(records) == (
        [
            "First Monday of the month, 6pm to 8pm",
            "Last Wednesday of the month",
            "15th of the month, 10am to midday",
            "Last day of the month",
        ],
        [
            "Pierwszy poniedziałek miesiąca, 18:00–20:00",
            "Ostatnia środa miesiąca",
            "15. dzień miesiąca, 10:00–12:00",
            "Ostatni dzień miesiąca",
        ],
    )


def test_every_other_week_and_every_few_weeks():
    records = [Record("WE", "18:00", "20:00", interval=2), Record("MO,TH", interval=5)]
    assert both(records) == (
        ["Every other Wednesday, 6pm to 8pm", "Every 5 weeks on Monday and Thursday"],
        ["Co druga środa, 18:00–20:00", "Co 5 tygodni: poniedziałek i czwartek"],
    )
    assert describe([Record("FR", interval=3)], "pl")[0] == "Co 3 tygodnie: piątek"


def test_seasons_say_when_they_run_and_ended_ones_are_not_shown():
    records = [
        Record("MO", "10:00", "12:00", valid_from=date(2027, 9, 1), valid_to=date(2027, 12, 20)),
        Record("TU", "10:00", "12:00", valid_to=date(2026, 1, 1)),
        Record("WE", "10:00", "12:00", valid_from=date(2026, 1, 1), valid_to=date(2027, 1, 31)),
    ]
    assert both(records) == (
        [
            "Monday, 10am to midday, from 1 September 2027 to 20 December 2027",
            "Wednesday, 10am to midday, until 31 January 2027",
        ],
        [
            "Poniedziałek, 10:00–12:00, od 1 września 2027 do 20 grudnia 2027",
            "Środa, 10:00–12:00, do 31 stycznia 2027",
        ],
    )


def test_a_note_alone_is_shown_as_written():
    assert both([Record(description="Term time only", freq=None)])[1] == ["Term time only"]
    assert describe([], "en") == []


def test_spans_read_the_clock_strictly():
    assert span("09:00:00", "17:30:00") == Span(540, 1050)
    assert span("24:00", "10:00") is None
    assert span("10:00", "10:00") is None
    assert span("09:60", "10:00") is None
    assert merge([Span(0, 600), Span(600, 1440)]) == (Span(0, 1440),)


clocks = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 30), st.integers(0, 70)),
)
records = st.builds(
    Record,
    byday=st.one_of(
        st.text(max_size=20),
        st.lists(st.sampled_from([*WEEK, "1MO", "-1FR", "9ZZ", "+2SA"]), max_size=8).map(",".join),
    ),
    opens_at=clocks,
    closes_at=clocks,
    description=st.one_of(st.none(), st.text(max_size=20)),
    freq=st.sampled_from([None, "WEEKLY", "MONTHLY", "DAILY", "YEARLY", "weekly", ""]),
    interval=st.one_of(st.none(), st.integers(-3, 60)),
    bymonthday=st.one_of(st.text(max_size=10), st.sampled_from(["1,15", "-1", "40", "0"])),
    valid_from=st.one_of(st.none(), st.dates()),
    valid_to=st.one_of(st.none(), st.dates()),
)


@given(st.lists(records, max_size=8), st.sampled_from(["en", "pl", "en_GB", "de"]))
def test_any_records_give_lines_of_text(found, language):
    lines = describe(found, language, TODAY)
    assert all(isinstance(line, str) and line for line in lines)
    assert len(lines) == len(set(lines))
