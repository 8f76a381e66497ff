"""Demo monitoring: the pilot round's projects were funded three quarters ago; two have sent
returns for the two quarters since (accepted, and one waiting for an officer), and the demo
provider's first quarter is still to send."""

from datetime import date, datetime, timedelta

from sqlalchemy import select

from engage.accounts.models import User
from engage.budgeting.models import Bid, FundedProject
from engage.database import transactional
from engage.extensions import db
from engage.geo.models import Area, AreaLevel
from engage.monitoring.logic import ReturnValues, next_quarter, quarter_start, set_target
from engage.monitoring.models import MonitoringReturn, ReturnStatus

# (bid title, target areas, [(cohort rows by area name, sessions, status, story), ...])
DEMO = [
    (
        "Kit and coaches for street football",
        ("Kettering", "Corby"),
        [
            ({"Kettering": {"11_17": 31, "18_24": 4}, "Corby": {"11_17": 9}, "other": {"11_17": 6}},
             12, ReturnStatus.ACCEPTED,
             "Forty lads and six girls came most weeks; two now help coach."),
            ({"Kettering": {"11_17": 36, "18_24": 6}, "Corby": {"11_17": 12},
              "other": {"25_plus": 4}},
             13, ReturnStatus.ACCEPTED, "We added a girls-only hour on Thursdays."),
        ],
    ),
    (
        "Cooking and life skills club",
        ("East Northamptonshire (Rushden & Higham Ferrers)",),
        [
            ({"East Northamptonshire (Rushden & Higham Ferrers)": {"11_17": 14, "18_24": 3},
              "other": {"11_17": 5}},
             10, ReturnStatus.ACCEPTED,
             "Cooking on a budget: every young person left with a recipe book."),
            ({"East Northamptonshire (Rushden & Higham Ferrers)": {"11_17": 11},
              "other": {"11_17": 7, "under_11": 2}},
             9, ReturnStatus.SUBMITTED, "Fewer came over the summer; we met at the park instead."),
        ],
    ),
]  # fmt: skip


def _quarters_ago(today: date, n: int) -> date:
    start = quarter_start(today)
    for _n in range(n):
        start = quarter_start(start - timedelta(days=1))
    return start


@transactional
def load_demo_monitoring(officer_email: str, today: date) -> int:
    """Returns for two of the pilot round's projects, unless there are returns already."""
    officer = db.session.scalar(select(User).where(User.email == officer_email))
    if officer is None or db.session.scalar(select(MonitoringReturn.id).limit(1)):
        return 0
    funded = list(db.session.scalars(select(FundedProject)))
    first = _quarters_ago(today, 3)
    for project in funded:
        project.funded_at = datetime.combine(first + timedelta(days=20), datetime.min.time())
    areas = {a.name: a for a in db.session.scalars(select(Area).where(Area.level == AreaLevel.LAP))}
    created = 0
    for title, places, returns in DEMO:
        found = next((p for p in funded if p.bid.title == title), None)
        if found is None or not all(p in areas for p in places):
            continue
        project = found
        set_target(officer, project, {
            "minimum_age": 11, "maximum_age": 17, "share": 60, "participants": 80, "quarters": 4,
            "area_ids": [areas[p].id for p in places],
        })  # fmt: skip
        start = next_quarter(first)  # the first quarter's return is still to come
        for cohort, sessions, status, story in returns:
            _add(project, _bid_author(project), start, cohort, areas, sessions, status, story)
            start, created = next_quarter(start), created + 1
    return created


def _bid_author(project: FundedProject) -> User | None:
    bid = db.session.get(Bid, project.bid_id)
    return bid.submitted_by if bid is not None else None


def _add(project, author, start, cohort, areas, sessions, status, story) -> None:
    rows = {
        (areas[name].code if name in areas else name): counts for name, counts in cohort.items()
    }
    values = ReturnValues(sessions, rows, story=story)
    half = values.participants // 2
    db.session.add(
        MonitoringReturn(
            project_id=project.id, period_start=start, status=status, sessions=sessions,
            participants=values.participants,
            profile={"cohort": rows, "gender": {"female": half, "male": values.participants - half},
                     "returning": {"new": half, "returning": values.participants - half}},
            story=story, submitted_by_id=author.id if author else None,
        )
    )  # fmt: skip
