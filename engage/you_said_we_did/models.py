"""What the partnership did with what people said: responses linked to feedback items, their
dated updates, and the notices owed to the people whose feedback they answer."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import User
from engage.budgeting.models import FundedProject
from engage.database import link_table, utcnow
from engage.extensions import Model
from engage.feedback.models import FeedbackItem, Theme
from engage.geo.models import Area
from engage.vocabulary import Vocabulary, labels


class Status(Vocabulary):
    CONSIDERING = "considering"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_TAKEN_FORWARD = "not_taken_forward"


STATUS_LABELS = {
    Status.CONSIDERING: _l("Considering"),
    Status.PLANNED: _l("Planned"),
    Status.IN_PROGRESS: _l("In progress"),
    Status.DONE: _l("Done"),
    Status.NOT_TAKEN_FORWARD: _l("Not taken forward"),
}
labels(Status, STATUS_LABELS)


class Stage(Vocabulary):
    """Where a response, or a change to a published one (a revision), is on its way out."""

    DRAFT = "draft"
    AWAITING_REVIEW = "awaiting_review"  # a second officer must approve it
    PUBLISHED = "published"
    MERGED = "merged"  # a revision a second officer approved into the published response


STAGE_LABELS = {
    Stage.DRAFT: _l("draft"),
    Stage.AWAITING_REVIEW: _l("waiting for approval"),
    Stage.PUBLISHED: _l("published"),
    Stage.MERGED: _l("approved and published"),
}
labels(Stage, STAGE_LABELS)
OPEN_STAGES = (Stage.DRAFT, Stage.AWAITING_REVIEW)


class Partner(Vocabulary):
    """Who is responsible for an action: the partnership or one of its specified authorities."""

    PARTNERSHIP = "partnership"
    COUNCIL = "council"
    POLICE = "police"
    NHS = "nhs"
    PROBATION = "probation"
    FIRE = "fire"
    VCSE = "vcse"


PARTNER_LABELS = {
    Partner.PARTNERSHIP: _l("The partnership as a whole"),
    Partner.COUNCIL: _l("Council"),
    Partner.POLICE: _l("Police"),
    Partner.NHS: _l("NHS"),
    Partner.PROBATION: _l("Probation and youth justice"),
    Partner.FIRE: _l("Fire and rescue"),
    Partner.VCSE: _l("A voluntary or community organisation"),
}
labels(Partner, PARTNER_LABELS)
PARTNERS = tuple(p.value for p in Partner)

response_items = link_table(
    "ysd_response_items", "response_id=ysd_responses.id", "item_id=fb_items.id"
)
# From an item to its responses (its first answer is found this way, migration 0086).
Index("ix_ysd_response_items_item_id", response_items.c.item_id)
response_themes = link_table(
    "ysd_response_themes", "response_id=ysd_responses.id", "theme_id=fb_themes.id"
)
response_areas = link_table(
    "ysd_response_areas", "response_id=ysd_responses.id", "area_id=areas.id"
)
response_projects = link_table(
    "ysd_response_projects", "response_id=ysd_responses.id", "project_id=pb_funded_projects.id"
)
# Every officer who wrote or changed any part of a response (or of a change to it): none of
# them may approve it.
response_contributors = link_table(
    "ysd_response_contributors", "response_id=ysd_responses.id", "user_id=users.id"
)


class Response(Model):
    """ "You said … we did …", with its status, the partners responsible and the feedback it
    answers. Published only after a second officer, who changed none of it, has approved it.

    A change to a published response is a revision: a row of its own (`revision_of_id`) that
    officers edit while the public keeps seeing the approved version, merged into it when a
    second officer approves. Revisions are kept, so the history shows who changed and who
    approved what."""

    __tablename__ = "ysd_responses"
    __table_args__ = (
        # At most one open revision per response, however many officers start one at once.
        Index(
            "ix_ysd_responses_one_open_revision",
            "revision_of_id",
            unique=True,
            sqlite_where=text("stage IN ('draft', 'awaiting_review')"),
            postgresql_where=text("stage IN ('draft', 'awaiting_review')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    you_said: Mapped[str] = mapped_column(Text)
    we_did: Mapped[str] = mapped_column(Text, default="")
    # Optional Polish versions, shown to Polish readers when given.
    title_pl: Mapped[str] = mapped_column(String(160), default="")
    you_said_pl: Mapped[str] = mapped_column(Text, default="")
    we_did_pl: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=Status.CONSIDERING, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")  # why not taken forward
    progress: Mapped[int] = mapped_column(default=0)  # 0–100
    due_on: Mapped[date | None]  # when the partners said it would be done
    stage: Mapped[str] = mapped_column(String(16), default=Stage.DRAFT, index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None]
    revision_of_id: Mapped[int | None] = mapped_column(ForeignKey("ysd_responses.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # last public change

    items: Mapped[list[FeedbackItem]] = relationship(
        secondary=response_items, order_by=FeedbackItem.received_on
    )
    themes: Mapped[list[Theme]] = relationship(secondary=response_themes, order_by=Theme.name)
    areas: Mapped[list[Area]] = relationship(secondary=response_areas, order_by=Area.name)
    projects: Mapped[list[FundedProject]] = relationship(secondary=response_projects)
    updates: Mapped[list["ResponseUpdate"]] = relationship(
        back_populates="response", order_by="ResponseUpdate.id"
    )
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    contributors: Mapped[list[User]] = relationship(secondary=response_contributors)
    revision_of: Mapped["Response | None"] = relationship(remote_side=[id])
    partner_links: Mapped[list["ResponsePartner"]] = relationship(
        cascade="all, delete-orphan", order_by="ResponsePartner.partner"
    )

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)

    @property
    def partner_list(self) -> list[str]:
        """The partners responsible, in the order the list shows them."""
        chosen = {link.partner for link in self.partner_links}
        return [p.value for p in Partner if p.value in chosen]

    @partner_list.setter
    def partner_list(self, partners: list[str]) -> None:
        kept = {link.partner: link for link in self.partner_links}
        self.partner_links = [
            kept.get(p) or ResponsePartner(partner=p) for p in dict.fromkeys(partners)
        ]


class ResponsePartner(Model):
    """One partner responsible for a response's action (a Partner)."""

    __tablename__ = "ysd_response_partners"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("ysd_responses.id", ondelete="CASCADE"), primary_key=True
    )
    partner: Mapped[str] = mapped_column(String(16), primary_key=True, index=True)


class ResponseUpdate(Model):
    """A dated step in a response's timeline; it may move the progress or the status."""

    __tablename__ = "ysd_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("ysd_responses.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    progress: Mapped[int | None]
    status: Mapped[str | None] = mapped_column(String(20))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    response: Mapped[Response] = relationship(back_populates="updates")
    by: Mapped[User | None] = relationship()


class Notice(Model):
    """Something to tell a person about (a response published or updated), gathered into one
    digest email per person per day."""

    __tablename__ = "ysd_notices"
    __table_args__ = (UniqueConstraint("email", "response_id", "event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    locale: Mapped[str] = mapped_column(String(8), default="en_GB")
    response_id: Mapped[int] = mapped_column(ForeignKey("ysd_responses.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))  # "published" or "update:<id>"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_on: Mapped[date | None] = mapped_column(index=True)

    response: Mapped[Response] = relationship()


class OptOut(Model):
    """An address that asked, through an unsubscribe link, never to be emailed again."""

    __tablename__ = "ysd_opt_outs"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Answer(Vocabulary):
    """A reader's verdict: did this answer what people said?"""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


ANSWER_LABELS = {Answer.YES: _l("Yes"), Answer.PARTLY: _l("Partly"), Answer.NO: _l("No")}
labels(Answer, ANSWER_LABELS)


class Rating(Model):
    """ "Did this answer what people said?" from a reader of a response. A comment left with it
    is feedback like any other (`item`): moderated, redacted, scanned for safeguarding."""

    __tablename__ = "ysd_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("ysd_responses.id"), index=True)
    answer: Mapped[str] = mapped_column(String(8))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("fb_items.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[FeedbackItem | None] = relationship()


class Consultation(Model):
    """A draft message or campaign idea put to the youth ambassadors, or to anyone with its
    link (shared at a forum), before it goes out: two options to choose between."""

    __tablename__ = "ysd_consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    draft: Mapped[str] = mapped_column(Text)  # the message or idea, as it would go out
    option_a: Mapped[str] = mapped_column(String(300))
    option_b: Mapped[str] = mapped_column(String(300))
    audience: Mapped[str] = mapped_column(String(12), default="ambassadors")  # or "link"
    open: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    reactions: Mapped[list["Reaction"]] = relationship(back_populates="consultation")


class Reaction(Model):
    """One person's choice between the options (an ambassador once each; the public by link,
    counted but not identified), with an optional comment kept as moderated feedback."""

    __tablename__ = "ysd_reactions"
    __table_args__ = (UniqueConstraint("consultation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("ysd_consultations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    choice: Mapped[str] = mapped_column(String(1))  # "a" or "b"
    item_id: Mapped[int | None] = mapped_column(ForeignKey("fb_items.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="reactions")
    item: Mapped[FeedbackItem | None] = relationship()


class Follow(Model):
    """Someone following an area or a theme: new responses about it come in their daily
    digest. It counts only once they confirm from the email we send them."""

    __tablename__ = "ysd_follows"
    # One follow per address and target. A unique constraint alone lets NULLs repeat, so an
    # area (or theme) followed on its own has a rule of its own.
    __table_args__ = (
        UniqueConstraint("email", "area_id", "theme_id"),
        Index(
            "uq_ysd_follows_area_only",
            "email",
            "area_id",
            unique=True,
            sqlite_where=text("theme_id IS NULL"),
            postgresql_where=text("theme_id IS NULL"),
        ),
        Index(
            "uq_ysd_follows_theme_only",
            "email",
            "theme_id",
            unique=True,
            sqlite_where=text("area_id IS NULL"),
            postgresql_where=text("area_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    locale: Mapped[str] = mapped_column(String(8), default="en_GB")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("fb_themes.id", ondelete="CASCADE"))
    confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    area: Mapped[Area | None] = relationship()
    theme: Mapped[Theme | None] = relationship()
