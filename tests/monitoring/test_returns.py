"""Funded projects' quarterly returns: who may send one, what is checked, an officer's decision,
and the reach against the target cohort that accepted returns show."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from engage.accounts.roles import Role
from engage.asset_map.models import OrganisationMember
from engage.extensions import db
from engage.geo.models import Area
from engage.monitoring import logic
from engage.monitoring.logic import ReturnError, ReturnValues
from engage.monitoring.models import MonitoringReturn, ReturnStatus
from engage.notifications.models import OutboxMessage
from tests.factories import create_funded_project, create_geography, create_return, create_user

TODAY = date(2026, 11, 29)


@pytest.fixture
def wards(app):
    create_geography()
    return {a.code: a for a in db.session.scalars(select(Area))}


def test_quarters_run_from_the_quarter_funded_and_are_due_two_weeks_after_they_end(app):
    project = create_funded_project(funded_at=datetime(2026, 2, 10))
    quarters = logic.quarters(project, TODAY)
    assert [q.start for q in quarters] == [date(2026, 1, 1), date(2026, 4, 1), date(2026, 7, 1),
                                           date(2026, 10, 1)]  # fmt: skip
    assert quarters[0].due_on == date(2026, 4, 14)
    assert [q.state(TODAY) for q in quarters] == ["overdue", "overdue", "overdue", "open"]
    assert quarters[2].label == "2026 Q3"


def test_without_an_officers_target_the_bid_sets_it(app, wards):
    project = create_funded_project(areas=[wards["T-W1"]], minimum_age=13, maximum_age=19)
    target = logic.target_of(project)
    assert (target.share, target.recorded) == (60, False)
    assert [a.code for a in target.areas] == ["T-W1"]
    assert [b.value for b in target.bands] == ["11_17", "18_24"]
    assert target.ages == "11–24"


def test_an_officer_sets_the_target(app, wards):
    project = create_funded_project(areas=[wards["T-W1"]])
    officer = create_user(role=Role.ENGAGEMENT_OFFICER)
    values = {"minimum_age": 11, "maximum_age": 17, "share": 70, "participants": 40,
              "quarters": 2, "area_ids": [wards["T-W1"].id, wards["T-W2"].id]}  # fmt: skip
    logic.set_target(officer, project, values)
    target = logic.target_of(project)
    assert (target.share, target.quarters, target.recorded) == (70, 2, True)
    assert {a.code for a in target.areas} == {"T-W1", "T-W2"}
    assert len(logic.quarters(project, TODAY)) == 2
    with pytest.raises(ReturnError):
        logic.set_target(officer, project, {**values, "minimum_age": 30})
    with pytest.raises(ReturnError):
        logic.set_target(officer, project, {**values, "area_ids": []})


def test_the_bidder_and_those_who_look_after_the_organisation_may_report_and_no_one_else(app):
    provider = create_user(role=Role.VCSE_PROVIDER)
    project = create_funded_project(provider=provider)
    member, stranger = create_user(role=Role.VCSE_PROVIDER), create_user(role=Role.VCSE_PROVIDER)
    db.session.add(OrganisationMember(organisation_id=project.bid.organisation_id,
                                      user_id=member.id, status="approved"))  # fmt: skip
    db.session.commit()
    officer = create_user(role=Role.ENGAGEMENT_OFFICER)
    assert [logic.may_report(u, project) for u in (provider, member, stranger, officer)] == [
        True, True, False, False,
    ]  # fmt: skip
    assert logic.projects_of(member) == [project]
    with pytest.raises(ReturnError):
        logic.submit_return(stranger, project, date(2026, 1, 1), ReturnValues(1, {}), TODAY)


def _values(**cohort) -> ReturnValues:
    cohort = cohort or {"T-W1": {"11_17": 18}, "other": {"25_plus": 7}}
    return ReturnValues(sessions=5, cohort=cohort,
                        gender={"female": 12, "male": 13}, returning={"new": 20, "returning": 5},
                        story="We ran it.")  # fmt: skip


def test_a_return_is_checked_then_saved_once_per_quarter(app, wards):
    provider = create_user(role=Role.VCSE_PROVIDER)
    project = create_funded_project(provider=provider, areas=[wards["T-W1"]])
    saved = logic.submit_return(provider, project, date(2026, 1, 1), _values(), TODAY)
    assert (saved.participants, saved.sessions, saved.status) == (25, 5, ReturnStatus.SUBMITTED)
    assert saved.profile["cohort"]["T-W1"] == {"11_17": 18}
    again = logic.submit_return(provider, project, date(2026, 1, 1), _values(), TODAY)
    assert again.id == saved.id
    assert db.session.scalar(select(db.func.count(MonitoringReturn.id))) == 1
    too_many = ReturnValues(2, {"T-W1": {"11_17": 3}}, gender={"female": 4})
    unknown_row = ReturnValues(2, {"T-W2": {"11_17": 3}})
    no_such_quarter = date(2026, 2, 1)
    for values, start in ((too_many, date(2026, 4, 1)), (unknown_row, date(2026, 4, 1)),
                          (_values(), no_such_quarter), (_values(), date(2027, 1, 1))):  # fmt: skip
        with pytest.raises(ReturnError):
            logic.submit_return(provider, project, start, values, TODAY)


def test_an_officer_accepts_once_and_an_accepted_return_cannot_change(app):
    provider = create_user(role=Role.VCSE_PROVIDER)
    project = create_funded_project(provider=provider)
    kept = create_return(project)
    first, second = create_user(role=Role.ENGAGEMENT_OFFICER), create_user(role=Role.ADMIN)
    logic.accept_return(first, kept)
    assert kept.status == ReturnStatus.ACCEPTED and kept.reviewed_by_id == first.id
    with pytest.raises(ReturnError):
        logic.accept_return(second, kept)
    with pytest.raises(ReturnError):
        logic.submit_return(
            provider, project, kept.period_start, ReturnValues(1, {"other": {"11_17": 1}}), TODAY
        )


def test_asking_for_changes_tells_the_provider_who_sends_it_again(app):
    provider = create_user(role=Role.VCSE_PROVIDER)
    project = create_funded_project(provider=provider)
    kept = create_return(project)
    officer = create_user(role=Role.ENGAGEMENT_OFFICER)
    with pytest.raises(ReturnError):
        logic.ask_for_changes(officer, kept, "  ")
    logic.ask_for_changes(officer, kept, "Split the ages, please")
    assert kept.status == ReturnStatus.CHANGES_REQUESTED
    email = db.session.scalar(select(OutboxMessage))
    assert email.to_address == provider.email and "Split the ages, please" in email.body_text
    logic.submit_return(
        provider, project, kept.period_start, ReturnValues(1, {"other": {"11_17": 3}}), TODAY
    )
    assert kept.status == ReturnStatus.SUBMITTED


def test_reach_counts_only_accepted_returns_in_the_target_cohort(app, wards):
    project = create_funded_project(areas=[wards["T-W1"], wards["T-W2"]])
    create_return(project, date(2026, 1, 1), {"T-W1": {"11_17": 30, "18_24": 5},
                  "T-W2": {"11_17": 6}, "other": {"11_17": 9}}, status="accepted",
                  returning={"new": 40, "returning": 10})  # fmt: skip
    create_return(project, date(2026, 4, 1), {"T-W1": {"11_17": 100}}, status="submitted")
    reach = logic.reach(project)
    cohort = 30 + 6  # 11-17 from the two target wards; 18-24 and elsewhere are not in it
    assert (reach.participants, reach.in_cohort, reach.returns) == (50, cohort, 1)
    assert reach.share == pytest.approx(100 * cohort / 50)
    assert (reach.new, reach.returning) == (40, 10)
    assert reach.reading() == (
        "72% of participants were 11–17 from East Ward, West Ward; target 60%"
    )
    assert reach.met is True
    assert logic.reach(project, date(2026, 4, 1)).participants == 0


def test_no_accepted_return_says_so(app):
    reach = logic.reach(create_funded_project())
    assert reach.share is None
    assert reach.reading() == "No accepted returns yet; target 60% aged 11–17"


def test_an_accepted_return_shows_on_the_public_board_at_once(app, client):
    project = create_funded_project()
    kept = create_return(project, date(2026, 1, 1), {"other": {"11_17": 4}})
    db.session.commit()
    assert "No accepted returns yet" in client.get("/you-said-we-did").text
    assert client.get("/you-said-we-did").headers["X-Page-Cache"] == "hit"
    logic.accept_return(create_user(role=Role.ENGAGEMENT_OFFICER), kept)
    db.session.commit()
    page = client.get("/you-said-we-did")
    assert page.headers["X-Page-Cache"] == "miss"
    assert "No accepted returns yet" not in page.text and "target 60%" in page.text
