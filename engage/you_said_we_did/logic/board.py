"""The public board: published responses, filtered and searched, with the approved words of
the people they answer. Drafts and changes waiting for approval never show here."""

from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from engage.extensions import db
from engage.feedback.models import FeedbackItem, ItemStatus, Theme
from engage.geo.models import Area
from engage.pagination import Page, page_of
from engage.you_said_we_did.models import PARTNERS, Response, ResponsePartner, Stage, Status


@dataclass(frozen=True)
class BoardFilters:
    area_id: int | None = None
    theme_id: int | None = None
    partner: str | None = None
    status: str | None = None
    q: str = ""


PAGE_SIZE = 20


def board(filters: BoardFilters, page: int = 1) -> Page[Response]:
    """One page of the published responses, the most recently updated first."""
    return page_of(_board_query(filters), page, PAGE_SIZE)


def latest(filters: BoardFilters, limit: int = 50) -> list[Response]:
    """The most recently updated published responses (for the feed)."""
    return list(db.session.scalars(_board_query(filters).limit(limit)))


def _board_query(filters: BoardFilters) -> Select[tuple[Response]]:
    query = select(Response).where(Response.stage == Stage.PUBLISHED)
    if filters.area_id:
        query = query.where(Response.areas.any(Area.id == filters.area_id))
    if filters.theme_id:
        query = query.where(Response.themes.any(Theme.id == filters.theme_id))
    if filters.partner in PARTNERS:
        query = query.where(Response.partner_links.any(ResponsePartner.partner == filters.partner))
    if filters.status in set(Status):
        query = query.where(Response.status == filters.status)
    if filters.q.strip():
        words = f"%{filters.q.strip()}%"
        query = query.where(
            or_(
                Response.title.ilike(words),
                Response.you_said.ilike(words),
                Response.we_did.ilike(words),
                Response.title_pl.ilike(words),
                Response.you_said_pl.ilike(words),
                Response.we_did_pl.ilike(words),
            )
        )
    query = query.order_by(Response.updated_at.desc(), Response.id.desc())
    return query.options(selectinload(Response.areas))


def quotes(response: Response, limit: int = 5) -> list[FeedbackItem]:
    """Approved, redacted words of people it answers."""
    return [i for i in response.items if i.status == ItemStatus.APPROVED and i.public_text][:limit]
