"""What residents and young people tell the partnership: forums and their sessions, feedback
items with their themes, moderation, and safeguarding cases. Contact details are kept apart
from what was said, so they can be erased on their own."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import User
from engage.database import link_table, utcnow
from engage.extensions import Model
from engage.feedback.vocabulary import Audience, ItemStatus
from engage.feedback.vocabulary import IndicatorCategory as IndicatorCategory  # re-exported
from engage.feedback.vocabulary import Source as Source  # re-exported
from engage.geo.models import Area
from engage.vocabulary import Vocabulary, labels

forum_areas = link_table("fb_forum_areas", "forum_id=fb_forums.id", "area_id=areas.id")

item_themes = link_table("fb_item_themes", "item_id=fb_items.id", "theme_id=fb_themes.id")


class Forum(Model):
    """A standing group the partnership listens to, e.g. "Corby Community Forum"."""

    __tablename__ = "fb_forums"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    audience: Mapped[str] = mapped_column(String(8), default=Audience.MIXED)
    partners: Mapped[str] = mapped_column(String(300), default="")  # who runs it with us
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    areas: Mapped[list[Area]] = relationship(secondary=forum_areas, order_by=Area.name)
    sessions: Mapped[list["ForumSession"]] = relationship(
        back_populates="forum", order_by="ForumSession.held_on.desc()"
    )


class ForumSession(Model):
    """One meeting of a forum. Who came is kept only as counts (`profile`), never per person:
    {"age": {"16_24": 8, ...}, "gender": {...}, "ethnicity": {...}, "disability": {...},
    "care_experienced": {...}, "area": {"<area code>": n}}."""

    __tablename__ = "fb_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("fb_forums.id"), index=True)
    held_on: Mapped[date] = mapped_column(index=True)
    starts_at: Mapped[str] = mapped_column(String(5), default="")  # "18:30"
    place: Mapped[str] = mapped_column(String(200), default="")
    facilitator: Mapped[str] = mapped_column(String(120), default="")
    prompts: Mapped[list] = mapped_column(JSON, default=list)  # the questions put to people
    attendees: Mapped[int | None]
    profile: Mapped[dict] = mapped_column(JSON, default=dict)
    public: Mapped[bool] = mapped_column(default=False)  # shown on the "have your say" calendar
    # A link (and QR code) an officer opens so a room on one Wi-Fi can all have their say,
    # with its own allowance instead of the per-address limit; closed by time or by hand.
    link_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    link_open_until: Mapped[datetime | None]
    link_allowance: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    forum: Mapped[Forum] = relationship(back_populates="sessions")

    def link_is_open(self, now: datetime) -> bool:
        return bool(self.link_code and self.link_open_until and now < self.link_open_until)


class Theme(Model):
    """One of the partnership's themes, named in both languages, with the words that suggest
    it."""

    __tablename__ = "fb_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_pl: Mapped[str] = mapped_column(String(120), default="")
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    # How many approved items have this theme, and how many of those have had a published
    # answer: kept by the database's own triggers as items are themed, moderated, answered
    # and erased (migration 0087), for the accountability dashboards. Never written by the app.
    approved_items: Mapped[int] = mapped_column(default=0, server_default="0")
    answered_items: Mapped[int] = mapped_column(default=0, server_default="0")

    def label(self, locale: str) -> str:
        return self.name_pl if locale.startswith("pl") and self.name_pl else self.name


class OpenQuestion(Model):
    """A question an officer puts to the public ("Should campaigns show knives?")."""

    __tablename__ = "fb_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    open: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Contact(Model):
    """An email address someone left to hear back, with the consent they gave. Erased on its
    own (retention, or on request) without losing what they said."""

    __tablename__ = "fb_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    consent_text: Mapped[str] = mapped_column(Text)  # the words they agreed to
    locale: Mapped[str] = mapped_column(String(8), default="en_GB")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_response_at: Mapped[datetime] = mapped_column(default=utcnow)


class FeedbackItem(Model):
    """One thing someone said. `text` is the original (officers only); `public_text` is the
    redacted copy, the only one that may ever be shown publicly, and only once approved."""

    __tablename__ = "fb_items"
    # What the accountability dashboards count, read from the index alone (a covering index:
    # the item's text never leaves the disk for them).
    __table_args__ = (
        Index("ix_fb_items_answers", "status", "area_id", "received_on", "first_answered_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    public_text: Mapped[str] = mapped_column(Text, default="")
    redacted_names: Mapped[list] = mapped_column(JSON, default=list)  # names an officer marked
    source: Mapped[str] = mapped_column(String(8), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("fb_sessions.id"), index=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("fb_questions.id"), index=True)
    prompt: Mapped[str] = mapped_column(String(300), default="")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    young_person: Mapped[bool | None]
    by_ambassador: Mapped[bool] = mapped_column(default=False)
    # Who typed it in or sent it (an officer or an ambassador); empty for the public.
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("fb_contacts.id", ondelete="SET NULL"), index=True
    )
    received_on: Mapped[date] = mapped_column(index=True)
    # Found by status through ix_fb_items_answers, which starts with it.
    status: Mapped[str] = mapped_column(String(12), default=ItemStatus.PENDING)
    reason: Mapped[str] = mapped_column(Text, default="")  # why rejected
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    moderated_at: Mapped[datetime | None]
    duplicate_group: Mapped[int | None] = mapped_column(index=True)  # near-duplicates share it
    # The moment its first published response appeared (None while unanswered): kept by the
    # database's own triggers as responses are linked and published (migration 0086), for the
    # accountability dashboards. Never written by the app.
    first_answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[ForumSession | None] = relationship()
    question: Mapped[OpenQuestion | None] = relationship()
    area: Mapped[Area | None] = relationship()
    contact: Mapped[Contact | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=item_themes, order_by=Theme.name)
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    moderated_by: Mapped[User | None] = relationship(foreign_keys=[moderated_by_id])


class Indicator(Model):
    """A phrase that may mean someone is at risk; managed by the safeguarding lead. A trailing
    * matches any ending ("abus*")."""

    __tablename__ = "fb_indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(120), unique=True)
    category: Mapped[str] = mapped_column(String(16))  # an IndicatorCategory
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseStep(Vocabulary):
    """What the lead did, in a case's log."""

    ACKNOWLEDGED = "acknowledged"
    NOTE = "note"
    REFERRED = "referred"
    CLOSED = "closed"


CASE_STEP_LABELS = {
    CaseStep.ACKNOWLEDGED: _l("Acknowledged"),
    CaseStep.NOTE: _l("Note"),
    CaseStep.REFERRED: _l("Referred on (to children's services, police or another agency)"),
    CaseStep.CLOSED: _l("Closed"),
}
labels(CaseStep, CASE_STEP_LABELS)


class SafeguardingCase(Model):
    """A possible disclosure of harm, for the safeguarding lead; its item is never published."""

    __tablename__ = "fb_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("fb_items.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)  # the phrases matched, or who flagged it and why
    opened_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]

    item: Mapped[FeedbackItem] = relationship()
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    actions: Mapped[list["CaseAction"]] = relationship(order_by="CaseAction.id")


class CaseAction(Model):
    """A timestamped entry in a case's log: acknowledged, a note, a referral, closed."""

    __tablename__ = "fb_case_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("fb_cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    by: Mapped[User | None] = relationship()


class RequestKind(Vocabulary):
    ACCESS = "access"  # "send me what you hold about me"
    ERASURE = "erasure"  # "erase what you hold about me"


REQUEST_KIND_LABELS = {
    RequestKind.ACCESS: _l("Request to see their feedback"),
    RequestKind.ERASURE: _l("Request to erase their feedback"),
}
labels(RequestKind, REQUEST_KIND_LABELS)


class PrivacyRequest(Model):
    """A subject-access or erasure request that touched items held by the safeguarding lead.
    The officer who handled the rest passed it on; only the lead reads those items, decides
    what is released (access) or erased (erasure), and records why."""

    __tablename__ = "fb_privacy_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    email: Mapped[str] = mapped_column(String(254))  # the person's, to answer them
    item_ids: Mapped[list] = mapped_column(JSON, default=list)  # the lead's items it touched
    passed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    passed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    chosen_ids: Mapped[list] = mapped_column(JSON, default=list)  # released, or erased
    note: Mapped[str] = mapped_column(Text, default="")

    passed_by: Mapped[User | None] = relationship(foreign_keys=[passed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def kind_enum(self) -> RequestKind:
        return RequestKind(self.kind)
