"""Writing and publishing responses with four eyes. Officers write a draft and link the
feedback it answers; a second officer who wrote or changed none of it approves it, and only
then is it published. A published response changes only through a revision: a copy officers
edit while the public keeps seeing the approved version, merged in when a second officer (again
one who changed none of it) approves. Every change and approval is in the audit log."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from engage.accounts.models import User
from engage.audit.logic import Action, Entry, entries_about, record
from engage.budgeting.models import FundedProject
from engage.database import Identified, rows_changed, transactional, utcnow
from engage.errors import UserError
from engage.extensions import db
from engage.feedback.models import FeedbackItem, ItemStatus, Theme
from engage.feedback.similarity import rank_by_similarity
from engage.geo.models import Area
from engage.you_said_we_did.logic.telling import owe_notices
from engage.you_said_we_did.models import (
    OPEN_STAGES,
    PARTNERS,
    Response,
    ResponseUpdate,
    Stage,
    Status,
)

POLISH = ("title_pl", "you_said_pl", "we_did_pl")  # optional Polish versions


class ResponseError(UserError):
    """A response that cannot be saved or published as asked; the message says why."""


def _check(values: dict[str, Any]) -> None:
    if not (values.get("title") or "").strip():
        raise ResponseError(_("Give the response a short title"), "title")
    if not (values.get("you_said") or "").strip():
        raise ResponseError(_("Sum up what people said"), "you_said")
    if values.get("status") not in set(Status):
        raise ResponseError(_("Choose a status"), "status")
    if values["status"] == Status.NOT_TAKEN_FORWARD and not (values.get("reason") or "").strip():
        raise ResponseError(_("Say why it is not being taken forward"), "reason")
    if not set(values.get("partners") or []) <= set(PARTNERS):
        raise ResponseError(_("Choose partners from the list"), "partners")


def _editable(response: Response) -> None:
    if response.stage == Stage.PUBLISHED:
        raise ResponseError(_("A published response changes through a change that is approved"))
    if response.stage == Stage.MERGED:
        raise ResponseError(_("This change has already been approved and published"))


def _changed_by(officer: User, response: Response, action: Action, **detail: object) -> None:
    """The officer now shares authorship: they may no longer approve it. Any change sends it
    back to draft, so it is approved as it now stands."""
    if officer not in response.contributors:
        response.contributors.append(officer)
    response.stage = Stage.DRAFT
    record(officer, action, response, **detail)


@transactional
def save_draft(officer: User, response: Response | None, values: dict[str, Any]) -> Response:
    """Create a draft, or change a draft or revision."""
    _check(values)
    if response is not None:
        _editable(response)
    new = response is None
    response = response or Response(created_by_id=officer.id)
    response.title = values["title"].strip()[:160]
    response.you_said = values["you_said"].strip()
    response.we_did = (values.get("we_did") or "").strip()
    for name in POLISH:
        setattr(response, name, (values.get(name) or "").strip())
    response.status, response.reason = values["status"], (values.get("reason") or "").strip()
    response.progress = min(max(int(values.get("progress") or 0), 0), 100)
    response.due_on = values.get("due_on")
    response.partner_list = list(values.get("partners") or [])
    response.themes = _records(Theme, values.get("theme_ids"))
    response.areas = _records(Area, values.get("area_ids"))
    response.projects = _records(FundedProject, values.get("project_ids"))
    db.session.add(response)
    _changed_by(officer, response, Action.RESPONSE_DRAFTED if new else Action.RESPONSE_CHANGED)
    return response


Record = TypeVar("Record", bound=Identified)


def _records(model: type[Record], ids: Iterable[int | str] | None) -> list[Record]:
    ids = [int(i) for i in ids or []]
    return list(db.session.scalars(select(model).where(model.id.in_(ids)))) if ids else []


@transactional
def link_items(officer: User, response: Response, item_ids: list[int]) -> int:
    """Link approved feedback to the response; anything else is refused, nothing linked."""
    _editable(response)
    items = _records(FeedbackItem, item_ids)
    if not item_ids:
        raise ResponseError(_("Tick the feedback to link"), "items")
    if len(items) != len(set(item_ids)):
        raise ResponseError(_("Some of that feedback no longer exists"), "items")
    refused = [i.id for i in items if i.status != ItemStatus.APPROVED]
    if refused:
        raise ResponseError(
            _(
                "Only approved feedback can be linked, never feedback with the safeguarding "
                "lead or rejected: item %(ids)s",
                ids=", ".join(map(str, refused)),
            ),
            "items",
        )
    new = [i for i in items if i not in response.items]
    response.items.extend(new)
    _changed_by(officer, response, Action.RESPONSE_LINKED, items=[i.id for i in new])
    return len(new)


@transactional
def unlink_item(officer: User, response: Response, item: FeedbackItem) -> None:
    _editable(response)
    if item in response.items:
        response.items.remove(item)
        _changed_by(officer, response, Action.RESPONSE_UNLINKED, items=[item.id])


# Changing what is published


def open_revision(response: Response) -> Response | None:
    query = select(Response).where(
        Response.revision_of_id == response.id, Response.stage.in_(OPEN_STAGES)
    )
    return db.session.scalar(query)


def _copy(source: Response, target: Response) -> None:
    for name in ("title", "you_said", "we_did", *POLISH, "status", "reason", "progress",
                 "due_on", "partner_list"):  # fmt: skip
        setattr(target, name, getattr(source, name))
    target.items, target.themes = list(source.items), list(source.themes)
    target.areas, target.projects = list(source.areas), list(source.projects)


@transactional
def start_revision(officer: User, published: Response) -> Response:
    """The change under way to a published response, started now if there is none. Two
    officers starting one at once get the same one."""
    if published.stage != Stage.PUBLISHED:
        raise ResponseError(_("Only a published response is changed this way"))
    existing = open_revision(published)
    if existing is not None:
        return existing
    revision = Response(created_by_id=officer.id, revision_of_id=published.id, stage=Stage.DRAFT)
    _copy(published, revision)
    db.session.add(revision)
    try:
        db.session.flush()
    except IntegrityError as error:  # another officer started one at the same moment
        raise ResponseError(
            _("Another officer has just started a change to this response: open it and go on")
        ) from error
    record(officer, Action.REVISION_STARTED, published, revision=revision.id)
    return revision


@transactional
def add_update(
    officer: User, response: Response, text: str, progress: int | None, status: str | None
) -> Response:
    """A dated step for the public timeline, proposed in the response's revision (started if
    needed); the public sees it once a second officer approves. Returns the revision."""
    if not text.strip():
        raise ResponseError(_("Write what has happened"), "text")
    if progress is not None and not 0 <= progress <= 100:
        raise ResponseError(_("Progress is a percentage from 0 to 100"), "progress")
    if status and status not in set(Status):
        raise ResponseError(_("Choose a status"), "status")
    revision = response if response.revision_of_id else start_revision(officer, response)
    _editable(revision)
    update_ = ResponseUpdate(response=revision, text=text.strip(), progress=progress,
                             status=status or None, by_id=officer.id)  # fmt: skip
    if progress is not None:
        revision.progress = progress
    if status:
        revision.status = status
    db.session.add(update_)
    _changed_by(officer, revision, Action.RESPONSE_UPDATE_ADDED)
    return revision


# Four eyes


def _move(response: Response, from_stage: Stage, to_stage: Stage, **values: object) -> None:
    """Change the stage only if nobody else did first (two officers clicking at once)."""
    done = db.session.execute(
        update(Response)
        .where(Response.id == response.id, Response.stage == from_stage.value)
        .values(stage=to_stage.value, **values)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(done) != 1:
        raise ResponseError(_("Someone else has just dealt with this response"))
    db.session.refresh(response)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def not_ready(response: Response) -> ResponseError | None:
    """What still stops a draft being sent for approval, if anything."""
    if response.stage != Stage.DRAFT:
        return ResponseError(_("Only a draft can be sent for approval"))
    if not response.items:
        return ResponseError(_("Link at least one piece of feedback first"), "items")
    if not response.we_did and response.status != Status.NOT_TAKEN_FORWARD:
        return ResponseError(_("Say what was done, or is being done"), "we_did")
    return None


@transactional
def submit_for_review(officer: User, response: Response) -> None:
    problem = not_ready(response)
    if problem is not None:
        raise problem
    _move(response, Stage.DRAFT, Stage.AWAITING_REVIEW)
    record(officer, Action.RESPONSE_SUBMITTED, response)


def may_approve(officer: User, response: Response) -> bool:
    return response.stage == Stage.AWAITING_REVIEW and officer not in response.contributors


@transactional
def approve(officer: User, response: Response) -> Response:
    """The second pair of eyes publishes it (or merges the change into what is published), and
    people are told. Returns the published response."""
    if response.stage != Stage.AWAITING_REVIEW:
        raise ResponseError(_("This response is not waiting for approval"))
    if officer in response.contributors:
        raise ResponseError(_("Another officer, who changed none of it, must approve it"))
    now = utcnow()
    if response.revision_of_id is None:
        published_at = response.published_at or now
        _move(response, Stage.AWAITING_REVIEW, Stage.PUBLISHED, approved_by_id=officer.id,
              approved_at=now, published_at=published_at, updated_at=now)  # fmt: skip
        owe_notices(response, "published")
        record(officer, Action.RESPONSE_APPROVED, response)
        return response
    _move(response, Stage.AWAITING_REVIEW, Stage.MERGED, approved_by_id=officer.id,
          approved_at=now)  # fmt: skip
    return _merge(officer, response, now)


def _merge(officer: User, revision: Response, now: datetime) -> Response:
    published = db.session.get(Response, revision.revision_of_id)
    assert published is not None
    _copy(revision, published)
    published.updated_at = now
    moved = list(revision.updates)
    for update_ in moved:
        update_.response = published
    db.session.flush()
    for update_ in moved:
        owe_notices(published, f"update:{update_.id}")
    record(officer, Action.RESPONSE_APPROVED, published, revision=revision.id)
    return published


@transactional
def send_back(officer: User, response: Response) -> None:
    _move(response, Stage.AWAITING_REVIEW, Stage.DRAFT)
    record(officer, Action.RESPONSE_SENT_BACK, response)


# What an officer may do, and the history they see


@dataclass(frozen=True)
class Allowed:
    """The buttons an officer sees on a response: only those they may use."""

    change: bool
    link: bool
    submit: bool
    approve: bool
    send_back: bool
    start_change: bool
    add_update: bool
    why_not_approve: str = ""
    why_not_submit: str = ""  # what still stops a draft being sent, instead of a button


def allowed(officer: User, response: Response) -> Allowed:
    open_ = response.stage in (Stage.DRAFT, Stage.AWAITING_REVIEW)
    waiting = response.stage == Stage.AWAITING_REVIEW
    author = officer in response.contributors
    problem = not_ready(response) if response.stage == Stage.DRAFT else None
    return Allowed(
        change=open_,
        link=open_,
        submit=response.stage == Stage.DRAFT and problem is None,
        approve=waiting and not author,
        send_back=waiting,
        start_change=response.stage == Stage.PUBLISHED,
        add_update=response.stage == Stage.PUBLISHED or (open_ and bool(response.revision_of_id)),
        why_not_approve=(
            _("You wrote or changed part of this, so another officer must approve it.")
            if waiting and author
            else ""
        ),
        why_not_submit=(
            _("Not ready to send for approval: %(what)s.", what=_lower_first(problem.message))
            if problem
            else ""
        ),
    )


def revisions(response: Response) -> list[Response]:
    """Every change made to a published response, newest first, with who made and approved
    it."""
    query = select(Response).where(Response.revision_of_id == response.id)
    return list(db.session.scalars(query.order_by(Response.id.desc())))


def history(response: Response) -> list[Entry]:
    """The audit log of the response and of every change to it, oldest first."""
    ids = [response.id, *(r.id for r in revisions(response))]
    return entries_about("ysd_responses", ids)


def drafts() -> list[Response]:
    """Drafts and changes not yet published."""
    query = select(Response).where(Response.stage.in_(OPEN_STAGES))
    return list(db.session.scalars(query.order_by(Response.created_at.desc())))


# What officers see while writing


@dataclass
class Said:
    items: int
    sessions: int
    young: int  # items marked as said by a young person (not the sessions they came from)


def summary(response: Response) -> Said:
    """The numbers behind "You said": e.g. 42 comments from 5 sessions, 12 of them said by
    young people. An item counts as a young person's only when it is marked as one."""
    return Said(
        items=len(response.items),
        sessions=len({i.session_id for i in response.items if i.session_id}),
        young=sum(1 for i in response.items if i.young_person is True),
    )


def find_items(q: str = "", theme_id: int | None = None, area_id: int | None = None,
               session_id: int | None = None, limit: int = 100) -> list[FeedbackItem]:  # fmt: skip
    """Approved feedback to link, newest first."""
    query = select(FeedbackItem).where(FeedbackItem.status == ItemStatus.APPROVED)
    if q.strip():
        query = query.where(FeedbackItem.public_text.ilike(f"%{q.strip()}%"))
    if theme_id:
        query = query.where(FeedbackItem.themes.any(Theme.id == theme_id))
    if area_id:
        query = query.where(FeedbackItem.area_id == area_id)
    if session_id:
        query = query.where(FeedbackItem.session_id == session_id)
    query = query.order_by(FeedbackItem.received_on.desc(), FeedbackItem.id.desc())
    return list(db.session.scalars(query.limit(limit)))


def suggested_items(response: Response, pool: int = 3000, limit: int = 10) -> list[FeedbackItem]:
    """Approved items not yet linked whose words are most like the response's."""
    candidates = [i for i in find_items(limit=pool) if i not in response.items]
    query = f"{response.title} {response.you_said}"
    order = rank_by_similarity(query, [c.public_text for c in candidates], limit)
    return [candidates[i] for i in order]
