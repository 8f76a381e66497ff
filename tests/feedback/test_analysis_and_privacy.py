"""What officers and the board read: counts by theme, area, source and month (tables and SVG
charts), a theme's quotes, reach against the area's people, CSV export; and privacy."""

from datetime import date, timedelta

from sqlalchemy import func, select

from engage.database import utcnow
from engage.feedback import analysis, logic, privacy
from engage.feedback.models import Contact, FeedbackItem, Forum, ForumSession
from engage.feedback.reach import indicator
from engage.geo.models import Area, AreaFigure
from tests.factories import create_geography


def _items(officer, themes, area=None):
    forum = Forum(name="Corby Community Forum", audience="mixed", areas=[area] if area else [])
    session = ForumSession(
        forum=forum,
        held_on=date(2026, 9, 10),
        attendees=10,
        profile={"age": {"16_24": 8, "45_64": 2}, "gender": {"female": 3, "male": 7}},
    )
    rows = [
        ("We need a youth club open on Fridays", ["youth-provision"]),
        ("A youth club would keep people off the street", ["youth-provision"]),
        ("Knife crime scares me", ["knife-crime"]),
        ('=HYPERLINK("http://evil") the lights are out', ["lighting"]),
        ("Nothing to add", []),
    ]
    logic.enter_items(
        officer,
        [
            logic.NewItem(
                text=text,
                source="session",
                received_on=date(2026, 9, 10),
                session=session,
                area=area,
                themes=[themes[s] for s in slugs],
            )
            for text, slugs in rows
        ],
    )
    logic.submit_online(
        logic.NewItem(text="Online about knives", source="online", received_on=date(2026, 10, 2),
                      themes=[themes["knife-crime"]]),
        consent=False,
    )  # fmt: skip
    return forum


def test_counts_by_theme_area_source_and_month(db_session, themes, officer):
    create_geography()
    lap = db_session.scalar(select(Area).where(Area.code == "T-LAP"))
    ward = db_session.scalar(select(Area).where(Area.code == "T-W1"))
    _items(officer, themes, ward)
    everything = analysis.Filters()
    assert analysis.total(everything) == 6
    by_theme = {(t.slug if t else None): n for t, n in analysis.by_theme(everything)}
    assert by_theme == {"youth-provision": 2, "knife-crime": 2, "lighting": 1, None: 1}
    assert analysis.by_area(everything) == [(lap, 5), (None, 1)]  # the ward counts in its LAP
    assert analysis.by_source(everything) == [("session", 5), ("online", 1)]
    assert analysis.by_month(everything) == [(date(2026, 9, 1), 5), (date(2026, 10, 1), 1)]
    assert analysis.total(analysis.Filters(area_id=lap.id, theme_id=themes["knife-crime"].id)) == 1
    assert analysis.total(analysis.Filters(source="online")) == 1


def test_the_analysis_pages(client, auth, db_session, themes, officer):
    _items(officer, themes)
    auth.sign_in_as(officer)
    page = client.get("/feedback/analysis").get_data(as_text=True)
    assert "6 items, approved or waiting for moderation." in page
    assert page.count('<svg class="engage-chart" role="img"') == 4
    assert 'govuk-table__caption--s">Items by theme' in page
    csv_text = client.get(f"/feedback/analysis.csv?theme={themes['lighting'].id}").get_data(
        as_text=True
    )
    assert csv_text.splitlines()[0].startswith("id,received_on,source,forum")
    assert ",\"'=HYPERLINK(" in csv_text and len(csv_text.splitlines()) == 2
    theme = client.get("/feedback/themes/youth-provision").get_data(as_text=True)
    assert "What most people said" in theme and "youth club" in theme


def test_reach_shows_who_was_under_represented(client, auth, db_session, themes, officer):
    create_geography()
    lap = db_session.scalar(select(Area).where(Area.code == "T-LAP"))
    figures = {"age:16_24": 1000, "age:45_64": 3000, "age:under_16": 2000,
               "gender:female": 3000, "gender:male": 3000}  # fmt: skip
    for key, value in figures.items():
        dimension, group = key.split(":")
        name = indicator(dimension, group)
        db_session.add(AreaFigure(area_id=lap.id, indicator=name, value=value))
    db_session.commit()
    forum = _items(officer, themes, lap)
    result = analysis.reach(forum_id=forum.id)
    rows = {(r.dimension, r.group): r for r in result.rows}
    assert result.sessions == 1 and result.attendees == 10
    assert rows[("age", "16_24")].status == "over"
    assert rows[("gender", "female")].status == "under"
    assert rows[("gender", "female")].gap == -20.0
    assert rows[("age", "under_16")].heard == 0 and rows[("age", "under_16")].status == "under"
    auth.sign_in_as(officer)
    page = client.get(f"/feedback/reach?forum={forum.id}").get_data(as_text=True)
    assert "Under-represented" in page and "-20.0 points" in page and 'role="img"' in page


def test_contact_details_are_erased_after_the_retention_period(db_session, themes):
    item = logic.submit_online(
        logic.NewItem(text="Please tell me", source="online", received_on=date.today(),
                      email="ali@example.org"),
        consent=True,
    )  # fmt: skip
    assert privacy.purge_contacts(utcnow() + timedelta(days=364), timedelta(days=365)) == 0
    assert privacy.purge_contacts(utcnow() + timedelta(days=366), timedelta(days=365)) == 1
    assert item.contact_id is None
    assert db_session.get(FeedbackItem, item.id).text == "Please tell me"
    assert db_session.scalar(select(func.count(Contact.id))) == 0


def test_the_daily_purge_forgets_expired_links_and_old_double_click_keys(runner, db_session):
    from engage import once, tokens

    live = tokens.issue(tokens.Purpose.UNSUBSCRIBE, "kim@example.org", timedelta(days=1))
    tokens.issue(tokens.Purpose.MY_FEEDBACK, "kim@example.org", timedelta(seconds=-1))
    once.claim(once.new_key())
    db_session.add(once.SubmissionKey(key=once.new_key(), received_at=utcnow() - timedelta(days=3)))
    db_session.commit()
    output = runner.invoke(args=["feedback", "purge"]).output
    assert "expired links forgotten: 1; double-click keys forgotten: 1" in output
    assert tokens.subject_of(tokens.Purpose.UNSUBSCRIBE, live) == "kim@example.org"
