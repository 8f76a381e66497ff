"""Near-duplicate groups kept up to date as items arrive: the new items against each other and
the most recent ones already held, written back a statement per group."""

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, select, true, update

from engage.database import chunks
from engage.extensions import db
from engage.feedback.models import FeedbackItem
from engage.feedback.similarity import duplicate_groups

_ITEMS = cast(Table, FeedbackItem.__table__)
IDS_PER_STATEMENT = 1000


def group_new_items(new: Sequence[tuple[int, str]], lookback: int = 5000) -> None:
    """Give near-duplicates among the new items (id, text) and the most recent `lookback`
    items already held one group number: the existing group of the first of them, or its id."""
    new_ids = [item_id for item_id, _text in new]
    recent = db.session.execute(
        select(FeedbackItem.id, FeedbackItem.text, FeedbackItem.duplicate_group)
        .where(FeedbackItem.id.not_in(new_ids) if new_ids else true())
        .order_by(FeedbackItem.id.desc())
        .limit(lookback)
    ).all()
    pool = [*reversed(recent), *((i, text, None) for i, text in new)]
    members: dict[int, list[int]] = {}
    for position, root in enumerate(duplicate_groups([text for _i, text, _g in pool])):
        members.setdefault(root, []).append(position)
    changes: dict[int, list[int]] = {}  # group -> the items to join it
    for root, positions in members.items():
        if len(positions) > 1:
            leader_id, _text, leader_group = pool[root]
            group = leader_group or leader_id
            joining = [pool[p][0] for p in positions if pool[p][2] != group]
            if joining:
                changes.setdefault(group, []).extend(joining)
    # A statement per group, not per item: the database runs the themes' count trigger once per
    # statement on items (migration 0087).
    for group, item_ids in changes.items():
        for some in chunks(item_ids, IDS_PER_STATEMENT):
            db.session.execute(
                update(_ITEMS).where(_ITEMS.c.id.in_(some)).values(duplicate_group=group),
                execution_options={"synchronize_session": False},
            )


def group_duplicates(items: list[FeedbackItem], lookback: int = 5000) -> None:
    """`group_new_items` for items held as objects (flushed first, refreshed after)."""
    db.session.flush()
    group_new_items([(item.id, item.text) for item in items], lookback)
    for item in items:
        db.session.expire(item, ["duplicate_group"])
