"""Demo responses: about 30 published across statuses, areas and partners, with timelines,
linked to the demo feedback; one not taken forward with its reason; one reporting on a
project the youth ambassadors funded; older feedback left unanswered for the dashboard."""

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from engage.accounts.models import User
from engage.budgeting.models import FundedProject
from engage.database import utcnow
from engage.extensions import db
from engage.feedback.models import FeedbackItem, ItemStatus, Theme
from engage.you_said_we_did.models import (
    Consultation,
    Rating,
    Response,
    ResponseUpdate,
    Stage,
    Status,
)

# theme slug -> [(title, we did, partners)]
PLANS = {
    "youth-provision": [
        ("Friday youth nights", "Two youth clubs now open on Friday evenings.", "council,vcse"),
        ("Holiday activities", "Summer holiday sessions with food, sport and trips.", "council"),
        ("Detached youth workers", "Youth workers walk the estates on weekend nights.", "vcse"),
    ],
    "environment-lighting": [
        ("Lights on dark paths", "New LED lights on three paths people named.", "council"),
        ("Cutting back overgrown alleys", "Hedges cut back and bins moved.", "council"),
        ("CCTV by the station", "We looked at cameras for the underpass.", "council,police"),
    ],
    "knife-crime": [
        ("Knife crime talks in schools", "Talks by people with lived experience in 12 schools.",
         "police,vcse"),
        ("Campaign images", "The campaign shows the harm, not the knives, as you asked.",
         "partnership"),
        ("Bleed kits", "Ten more bleed kits and first aid training for young people.", "fire"),
    ],
    "drugs-alcohol": [
        ("Vape sales to children", "Trading standards visits to the shops you named.", "council"),
        ("Drug dealing near schools", "More patrols at school closing time.", "police"),
        ("Support with alcohol", "A weekly drop-in for young people and parents.", "nhs"),
    ],
    "exploitation-county-lines": [
        ("Spotting grooming", "Training for taxi drivers, shop staff and parents.", "partnership"),
        ("Safe spaces after school", "Three community centres open until 7pm.", "vcse,council"),
        ("Debt bondage", "Specialist workers for young people pulled into lines.",
         "probation,vcse"),
    ],
    "mental-health": [
        ("Waiting times for counselling", "A drop-in service with no referral needed.", "nhs"),
        ("Support in schools", "Mental health workers in six secondary schools.", "nhs,council"),
        ("Young men's groups", "Peer support groups run by young men.", "vcse"),
    ],
    "domestic-abuse": [
        ("Somewhere safe to go", "More refuge places and a local helpline.", "council,vcse"),
        ("Help for children who see abuse", "School staff trained to notice and refer.",
         "partnership"),
        ("Awareness in GP surgeries", "Posters and training in every GP practice.", "nhs"),
    ],
    "policing-trust": [
        ("Stop and search", "Body-worn video and community scrutiny panels.", "police"),
        ("Meet your local officers", "Monthly drop-ins at the library.", "police"),
        ("Police in every school", "Not taken forward.", "police"),
    ],
    "communications": [
        ("Hearing back after forums", "Every forum now gets a written 'you said, we did'.",
         "partnership"),
        ("Information in Polish", "Leaflets and this website in Polish.", "partnership"),
        ("Social media", "Short videos made with the youth ambassadors.", "partnership"),
    ],
    "safety-in-my-area": [
        ("Late buses", "We asked the bus company for later buses on two routes.", "council"),
        ("Fights filmed on phones", "Sessions in schools about sharing fight videos.",
         "police,vcse"),
        ("Town centre at night", "Street marshals on Friday and Saturday nights.", "council"),
    ],
}  # fmt: skip
STATUSES = (Status.DONE, Status.IN_PROGRESS, Status.PLANNED, Status.CONSIDERING)
NOT_TAKEN = "Police in every school"
NOT_TAKEN_REASON = (
    "Young people told us a police officer in every school would make them feel watched, "
    "not safe. We are funding youth workers in schools instead."
)


def _items(theme: Theme, skip: int, count: int = 5) -> list[FeedbackItem]:
    query = (
        select(FeedbackItem)
        .where(FeedbackItem.status == ItemStatus.APPROVED, FeedbackItem.themes.any(id=theme.id))
        .order_by(FeedbackItem.received_on.desc(), FeedbackItem.id)
        .offset(skip)
        .limit(count)
    )
    return list(db.session.scalars(query))


def _response(title, we_did, partners, theme, items, n, author, approver) -> Response:
    status = Status.NOT_TAKEN_FORWARD if title == NOT_TAKEN else STATUSES[n % len(STATUSES)]
    latest = max(i.received_on for i in items)
    published = datetime.combine(latest + timedelta(days=14 + 3 * (n % 7)), time(10, 0))
    published = min(published, utcnow() - timedelta(days=2))
    areas = list({i.area.id: i.area for i in items if i.area and i.area.level == "lap"}.values())
    response = Response(
        title=title,
        you_said=f"People told us about {theme.name.lower()}: "
        + "; ".join(i.public_text.rstrip(".") for i in items[:2]),
        we_did="" if status == Status.NOT_TAKEN_FORWARD else we_did,
        status=status,
        reason=NOT_TAKEN_REASON if status == Status.NOT_TAKEN_FORWARD else "",
        progress={Status.DONE: 100, Status.IN_PROGRESS: 60}.get(status, 0),
        partner_list=partners.split(","),
        stage=Stage.PUBLISHED,
        created_by_id=author.id,
        contributors=[author],
        approved_by_id=approver.id,
        approved_at=published,
        published_at=published,
        updated_at=published,
        items=items,
        themes=[theme],
        areas=areas,
    )
    if status in (Status.DONE, Status.IN_PROGRESS):
        step = min(published + timedelta(days=21), utcnow() - timedelta(days=1))
        response.updates.append(
            ResponseUpdate(text="Work started with the partners named.", progress=30,
                           status=Status.IN_PROGRESS, by_id=author.id, created_at=step)
        )  # fmt: skip
        response.updated_at = step
    return response


def load_demo_responses(author_email: str, approver_email: str) -> int:
    """Create the demo responses once; returns how many were created."""
    if db.session.scalar(select(func.count(Response.id))):
        return 0
    author = db.session.scalar(select(User).where(User.email == author_email))
    approver = db.session.scalar(select(User).where(User.email == approver_email))
    themes = {t.slug: t for t in db.session.scalars(select(Theme))}
    created = 0
    for slug, plans in PLANS.items():
        theme = themes.get(slug)
        for n, (title, we_did, partners) in enumerate(plans):
            items = _items(theme, skip=n * 5) if theme else []
            if not items:
                continue
            db.session.add(
                _response(title, we_did, partners, theme, items, created, author, approver)
            )
            created += 1
    assert author is not None, "load the demo users first"
    _ratings_and_a_draft(author)
    project = db.session.scalar(select(FundedProject).order_by(FundedProject.id))
    youth = db.session.scalar(select(Response).where(Response.title == "Friday youth nights"))
    if project is not None and youth is not None:
        youth.projects = [project]
        youth.we_did += f" The youth ambassadors funded “{project.bid.title}”."
    db.session.commit()
    return created


def _ratings_and_a_draft(author: User) -> None:
    """Some readers' verdicts, and a campaign draft put to the ambassadors."""
    db.session.flush()
    answers = ("yes", "yes", "partly", "no", "yes", "partly")
    for n, response in enumerate(db.session.scalars(select(Response).order_by(Response.id))):
        for answer in answers[: n % 4]:
            db.session.add(Rating(response_id=response.id, answer=answer))
    db.session.add(
        Consultation(
            title="Which poster should the knife crime campaign use?",
            draft="Spring campaign for secondary schools and social media: "
            "“Carrying a knife doesn't keep you safe.”",
            option_a="A photo of a knife on a school desk",
            option_b="A family waiting outside a hospital ward",
            audience="ambassadors",
            created_by_id=author.id,
        )
    )
