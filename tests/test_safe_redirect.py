"""Every redirect target stays on the site, however it is disguised."""

import re

import pytest

from engage.safe_redirect import safe_next


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "/%5Cevil.example",
        "/%2F%2Fevil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        " /dashboard",
        "/dash\r\nSet-Cookie: x=1",
        "evil.example",
        "",
        None,
        "/" + "a" * 3000,
    ],
)
def test_targets_that_leave_the_site_are_refused(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/", "/dashboard", "/find-support?q=Rothwell&page=2"])
def test_paths_on_the_site_are_followed(target):
    assert safe_next(target) == target


def test_sign_in_and_the_language_switch_never_send_people_away(client):
    for target in ("/%5Cevil.example", "//evil.example", "/\\evil.example"):
        response = client.get("/language/pl", query_string={"next": target})
        assert response.headers["Location"] == "/"


def test_a_crafted_query_cannot_change_the_scheme_or_host_of_our_own_links(client):
    crafted = "/find-support?q=Corby&_external=1&_scheme=javascript&_anchor=%0Aalert(1)"
    page = client.get(crafted).get_data(as_text=True)
    links = re.findall(r'(?:href|src|data-[a-z-]+-url)="([^"]*)"', page)
    ours = [link for link in links if not link.startswith("/language/")]  # `next` is checked
    assert ours and [link for link in ours if "alert" in link or "//" in link] == []
