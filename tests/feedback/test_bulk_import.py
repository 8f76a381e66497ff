"""A session file imported in bulk is checked exactly as one item at a time would be: the same
public (redacted) copy, the same safeguarding flags and cases, the same near-duplicate groups,
the same themes."""

import csv
import io
import random
from datetime import date

from sqlalchemy import select

from engage.feedback.importing import import_session_items
from engage.feedback.logic import public_copy
from engage.feedback.models import FeedbackItem, Forum, ForumSession, ItemStatus, SafeguardingCase
from engage.feedback.safeguarding import scanner
from engage.feedback.similarity import duplicate_groups
from engage.feedback.triage import normalise
from engage.notifications.models import OutboxMessage

POINTS = [
    "there is nothing to do after school so people hang about the shops",
    "the underpass by the station is too dark at night",
    "kids carry knives because they think everyone else does",
    "waiting lists for counselling are far too long",
    "buses stop at seven so it is hard to get home safely",
    "dla młodzieży nie ma nic do roboty wieczorem",
]
EXTRAS = [
    "call me on 07700 900{n:03d}",
    "email me at person{n}@example.org",
    "I live at NN17 {d}AB",
    "the car was AB{d}{d} XYZ",
    "my stepdad hits me when he drinks",
    "sometimes i want to die",
    "older boys make me carry stuff for them",
    "he said he’d  STAB ME if i told",
    "I was abused by him",
]


def _rows(n: int) -> list[dict[str, str]]:
    rng = random.Random(7)
    rows = []
    for i in range(n):
        text = f"{rng.choice(['honestly', 'for me', 'we all agreed'])} {rng.choice(POINTS)}"
        if i % 4 == 0:
            text += ", " + rng.choice(EXTRAS).format(n=i, d=i % 10)
        if i % 9 == 0:
            text = f"{text}, {rng.randint(0, 10**6)} {rng.choice(POINTS)[::-1]}"
        rows.append(
            {
                "text": text,
                "themes": rng.choice(["", "youth-provision", "knife-crime;lighting"]),
                "language": "pl" if "młodzieży" in text else "en",
            }
        )
    return rows


def test_a_bulk_import_flags_redacts_and_groups_as_one_item_at_a_time(
    db_session, officer, lead, themes
):
    rows = _rows(300)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["text", "themes", "language"])
    writer.writeheader()
    writer.writerows(rows)
    session = ForumSession(forum=Forum(name="Forum", audience="mixed"), held_on=date(2026, 5, 1))
    db_session.add(session)
    db_session.commit()

    assert import_session_items(officer, session, io.BytesIO(out.getvalue().encode())) == 300
    db_session.commit()
    items = list(db_session.scalars(select(FeedbackItem).order_by(FeedbackItem.id)))
    assert [item.text for item in items] == [row["text"] for row in rows]

    found = scanner()
    flagged = 0
    cases = {c.item_id: c.reason for c in db_session.scalars(select(SafeguardingCase))}
    for item, row in zip(items, rows, strict=True):
        one_by_one = [p for p, pattern in found._patterns if pattern.search(normalise(item.text))]
        if one_by_one:
            flagged += 1
            assert item.status == ItemStatus.SAFEGUARDING and item.public_text == ""
            assert cases[item.id] == "Indicator phrases: " + ", ".join(one_by_one)
        else:
            assert item.status == ItemStatus.APPROVED and item.id not in cases
            assert item.public_text == public_copy(item.text, row["language"])
        assert item.moderated_by_id == officer.id and item.session_id == session.id
        wanted = {s for s in row["themes"].split(";") if s}
        assert {t.slug for t in item.themes} == wanted
    assert flagged == len(cases) > 10
    assert db_session.scalar(select(OutboxMessage.id).where(OutboxMessage.to_address == lead.email))
    assert sum(1 for item in items if "[phone number removed]" in item.public_text) > 3

    groups = duplicate_groups([item.text for item in items])
    same = {}
    for item, group in zip(items, groups, strict=True):
        same.setdefault(group, []).append(item)
    for members in same.values():
        if len(members) == 1:
            assert members[0].duplicate_group is None
        else:
            assert {m.duplicate_group for m in members} == {members[0].id}
    assert any(len(members) > 1 for members in same.values())
