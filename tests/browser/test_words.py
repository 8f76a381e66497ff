"""Words people would write, Polish everywhere and an officer's daily work, in Chromium, at
320 CSS px and on a desktop, with axe: a Polish-speaking officer filters the paged moderation
queue on a phone; the demo's two officers write and approve a response (four eyes) with a
Polish title only; a Polish reader on a phone sees the Polish title, the English rest marked
"(po angielsku)" with lang="en", the theme's Polish name and counts in the right Polish form."""

import re
from datetime import date

from playwright.sync_api import expect

from engage import demo
from engage.accounts.roles import Role
from engage.extensions import db
from engage.feedback import logic
from engage.feedback.models import Theme
from tests.browser.conftest import DESKTOP, PHONE, assert_reflows, axe_violations, sign_in


def _checked(page) -> None:
    """The page reflows at 320 px and axe finds nothing, on a phone and on a desktop."""
    assert_reflows(page)
    assert axe_violations(page) == []
    page.set_viewport_size(DESKTOP)
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)


def _item(text: str, **extra):
    return logic.submit_online(
        logic.NewItem(text=text, received_on=date(2026, 11, 1), **{"source": "online", **extra}),
        consent=False,
    )


def test_officers_work_the_queue_and_a_polish_reader_reads_the_answer_on_a_phone(
    browser, live_server, app
):
    users = demo.read_demo_users()
    demo.load_demo_users(users)
    first, second = [u for u in users if u.role is Role.ENGAGEMENT_OFFICER][:2]
    lighting = Theme(slug="lighting", name="Environment and lighting", keywords=["dark"])
    lighting.name_pl = "Otoczenie i oświetlenie"
    db.session.add(lighting)
    db.session.commit()
    _item("The underpass is dark and we need a youth club", source="session", young_person=True)
    _item("Bins are never emptied on our street")

    def person(locale: str, viewport: dict):
        context = browser.new_context(base_url=live_server, locale=locale, viewport=viewport)
        return context.new_page()

    # A Polish-speaking officer filters the queue on a phone: the filters, the sources and the
    # count are in Polish, and only the young person's comment from a session is left.
    office = person("pl-PL", PHONE)
    sign_in(office, first.email, first.password)
    office.goto("/feedback/moderation")
    expect(office.locator("main")).to_contain_text("2 opinie czekają na moderację")
    expect(office.locator("select[name=theme] option")).to_contain_text(
        ["Wszystkie", "Otoczenie i oświetlenie"]
    )
    _checked(office)
    office.locator("select[name=source]").select_option("session")
    office.locator("select[name=age]").select_option("young")
    office.locator("form.engage-filters button[type=submit]").click()
    expect(office.get_by_role("status")).to_have_text("Tym filtrom odpowiada 1 opinia.")
    expect(office.get_by_text("we need a youth club")).to_be_visible()
    expect(office.get_by_text("Bins are never emptied")).to_have_count(0)
    _checked(office)
    office.locator(".engage-card form button[type=submit]").first.click()

    # The first demo officer writes the response in English with a Polish title, on a desktop.
    writer = person("en-GB", DESKTOP)
    sign_in(writer, first.email, first.password)
    writer.goto("/responses")
    writer.get_by_role("link", name="Write a response").click()
    writer.get_by_label("Short title", exact=True).fill("Lights in the underpass")
    writer.get_by_label("Short title in Polish (optional)").fill("Światła w przejściu podziemnym")
    writer.get_by_label("You said", exact=True).fill("The underpass is dark.")
    writer.get_by_label("We did", exact=True).fill("The council has put up new lights.")
    writer.get_by_label("Done", exact=True).check()
    writer.get_by_label("Council").check()
    writer.get_by_role("button", name="Save draft").click()
    writer.get_by_label(re.compile("underpass is dark")).first.check()
    writer.get_by_role("button", name="Link the ticked feedback").first.click()
    expect(writer.get_by_text("1 item linked")).to_be_visible()
    writer.get_by_role("button", name="Send for approval").click()
    expect(writer.get_by_role("button", name="Approve and publish")).to_have_count(0)
    _checked(writer)

    # The demo's second officer approves it: four eyes work out of the box.
    reviewer = person("pl-PL", PHONE)
    sign_in(reviewer, second.email, second.password)
    reviewer.goto(writer.url)
    _checked(reviewer)
    reviewer.locator("form button[type=submit]", has_text="Zatwierdź i opublikuj").click()
    expect(reviewer.locator("main")).to_contain_text("Opublikowano.")

    # A Polish reader on a phone.
    reader = person("pl-PL", PHONE)
    reader.goto("/you-said-we-did")
    reader.get_by_role("link", name="Światła w przejściu podziemnym").click()
    expect(reader.locator("h1")).to_have_text("Światła w przejściu podziemnym")
    marked = reader.locator("p[lang=en]", has_text="The council has put up new lights.")
    expect(marked.locator(".engage-in-english")).to_have_text("(po angielsku)")
    expect(marked.locator(".engage-in-english")).to_have_attribute("lang", "pl")
    expect(reader.locator("main")).to_contain_text("Na podstawie 1 opinii")
    expect(reader.locator("main")).to_contain_text("1 z nich od młodej osoby.")
    _checked(reader)
