"""Our categories have Polish names, shown to Polish readers wherever categories are listed,
and an officer can give a service's description in Polish (the open data stays English)."""

from engage.accounts.roles import Role
from engage.asset_map.models import TaxonomyTerm
from engage.asset_map.seed import load_demo_directory
from tests.conftest import post_form, signed_in
from tests.factories import create_service, create_user

POLISH = {"Accept-Language": "pl-PL,pl;q=0.9"}


def test_the_demo_categories_are_named_in_polish(db_session):
    from datetime import date

    load_demo_directory(date(2026, 11, 29), None)
    terms = db_session.query(TaxonomyTerm).filter_by(vocabulary="engage").all()
    assert len(terms) == 14 and all(t.name_pl and t.description_pl for t in terms)
    sport = db_session.get(TaxonomyTerm, "sport")
    assert sport.label("pl") == "Sport i aktywność fizyczna"
    assert sport.label("en_GB") == "Sport and physical activity"


def test_an_officer_gives_a_polish_description_and_sees_categories_in_polish(app, db_session):
    service = create_service("Rothwell Youth Club")
    term = db_session.get(TaxonomyTerm, "youth-activities")
    term.name_pl = "Kluby i zajęcia dla młodzieży"
    db_session.commit()
    officer = signed_in(app, create_user(Role.ENGAGEMENT_OFFICER))
    form = officer.get(f"/services/{service.id}/edit", headers=POLISH).get_data(as_text=True)
    assert "Kluby i zajęcia dla młodzieży" in form
    data = {
        "name": "Rothwell Youth Club",
        "description": "Games and a tuck shop",
        "description_pl": "Gry i sklepik",
        "categories": "youth-activities",
        "status": "active",
        "access": "self_referral",
        "prevention_level": "primary",
        "free": "y",
        "languages": "en",
    }
    assert post_form(officer, f"/services/{service.id}/edit", data).status_code == 302
    db_session.refresh(service)
    assert service.description_pl == "Gry i sklepik"
    record = app.test_client().get(f"/api/v1/services/{service.oruk_id}").get_json()
    assert record["description"] == "Games and a tuck shop"
    assert "Gry" not in str(record)
