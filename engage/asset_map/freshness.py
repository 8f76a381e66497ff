"""Listings go stale unless someone checks them: reminders to the people who look after a
listing (three, the last also to officers), labels on the site, and a list for officers."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.asset_map.models import (
    FreshnessReminder,
    OrganisationMember,
    Service,
    ServiceStatus,
)
from engage.asset_map.search import STALE_AFTER
from engage.database import transactional, utcnow
from engage.extensions import db
from engage.geo.models import Area
from engage.notifications.logic import queue_email
from engage.urls import external_url

# Days after a listing became due for a check when each reminder goes out, and the least
# time between two reminders (so a long-stale listing is not sent all three at once).
REMINDER_SCHEDULE = {1: 0, 2: 14, 3: 28}
REMINDER_GAP = timedelta(days=14)


@dataclass
class ReminderReport:
    sent: int = 0
    escalated: int = 0


def stale_services(today: date, area_id: int | None = None, category: str = "") -> list[Service]:
    """Active listings not checked for six months, least recently checked first."""
    cutoff = today - STALE_AFTER
    query = (
        select(Service)
        .where(Service.status == ServiceStatus.ACTIVE)
        .where(or_(Service.assured_date.is_(None), Service.assured_date < cutoff))
        .options(
            selectinload(Service.locations),
            selectinload(Service.taxonomy_terms),
            selectinload(Service.organisation),
        )
        .order_by(Service.assured_date.is_not(None), Service.assured_date, Service.name)
    )
    if category:
        query = query.where(Service.taxonomy_terms.any(id=category))
    services = list(db.session.scalars(query))
    if area_id is not None:
        services = [s for s in services if _in_area(s, area_id)]
    return services


def _in_area(service: Service, area_id: int) -> bool:
    return any(area.id == area_id for loc in service.locations for area in loc.areas) or any(
        area.id == area_id for area in service.service_areas
    )


def _due_level(service: Service, today: date, sent: dict[int, date]) -> int | None:
    """The next reminder's level if it is due today, else None."""
    level = len(sent) + 1
    if level not in REMINDER_SCHEDULE:
        return None
    due_since = (service.assured_date or date.min) + STALE_AFTER
    if today < due_since + timedelta(days=REMINDER_SCHEDULE[level]):
        return None
    if sent and today < max(sent.values()) + REMINDER_GAP:
        return None
    return level


@transactional
def send_reminders(today: date) -> ReminderReport:
    """Queue the reminders that are due; running it twice on a day sends nothing twice."""
    report = ReminderReport()
    officers = list(
        db.session.scalars(
            select(User).where(User.role == Role.ENGAGEMENT_OFFICER.value, User.active.is_(True))
        )
    )
    for service in stale_services(today):
        level = _due_level(service, today, _sent(service))
        if level is None:
            continue
        recipients = _keepers(service)
        if level == max(REMINDER_SCHEDULE) or not recipients:
            recipients = recipients + officers
            report.escalated += 1
        for person in recipients:
            queue_email(
                person.email,
                "freshness_reminder",
                person.locale,
                display_name=person.display_name,
                service_name=service.name,
                level=level,
                link=external_url("asset_map.show_service", service_id=service.id),
            )
        db.session.add(
            FreshnessReminder(
                service=service, level=level, sent_at=datetime.combine(today, utcnow().time())
            )
        )
        report.sent += 1
    return report


def _sent(service: Service) -> dict[int, date]:
    """Reminders sent since the listing was last checked (older ones no longer count)."""
    since = datetime.combine(service.assured_date or date.min, time.min)
    rows = db.session.execute(
        select(FreshnessReminder.level, FreshnessReminder.sent_at).where(
            FreshnessReminder.service_id == service.id, FreshnessReminder.sent_at >= since
        )
    )
    return {level: sent_at.date() for level, sent_at in rows}


def _keepers(service: Service) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(OrganisationMember, OrganisationMember.user_id == User.id)
            .where(
                OrganisationMember.organisation_id == service.organisation_id,
                OrganisationMember.status == "approved",
                User.active.is_(True),
            )
        )
    )


def partnership_areas() -> list[Area]:
    """The Local Area Partnerships, for choosing where to look."""
    return list(db.session.scalars(select(Area).where(Area.level == "lap").order_by(Area.name)))
