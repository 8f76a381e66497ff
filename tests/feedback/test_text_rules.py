"""The plain-Python rules behind feedback: redaction, safeguarding phrases, similarity, reach
and charts. Open-ended inputs are generated with Hypothesis."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from engage.charts import Bar, bar_chart
from engage.feedback.reach import add_profiles, check_profile, compare
from engage.feedback.redaction import EMAIL, PHONE, POSTCODE, VEHICLE, redact
from engage.feedback.similarity import ThemeSuggester, duplicate_groups, representative, tokens
from engage.feedback.triage import Scanner

words = st.lists(
    st.sampled_from(
        ["the", "park", "is", "dark", "at", "night", "and", "we", "need", "lights", "youth",
         "club", "bus", "ok", "A1", "M1", "NN17", "Corby", "2026", "£5", "x"]
    ),
    max_size=12,
).map(" ".join)  # fmt: skip
emails = st.from_regex(r"[a-z]{1,8}(\.[a-z]{1,5})?@[a-z]{2,8}\.(org|co\.uk|com)", fullmatch=True)
mobiles = st.from_regex(r"07[0-9]{3} ?[0-9]{6}", fullmatch=True) | st.from_regex(
    r"\+44 ?7[0-9]{3} ?[0-9]{3} ?[0-9]{3}", fullmatch=True
)
postcodes = st.sampled_from(["NN17 1AA", "nn17 1aa", "NN171AA", "SW1A 2AA", "B1 1AA", "M60 1NW"])
plates = st.sampled_from(["AB12 CDE", "AB12CDE", "A123 BCD", "ABC 123D"])


@settings(max_examples=300)
@given(words, st.one_of(emails, mobiles, postcodes, plates), words)
def test_personal_data_never_survives_in_the_public_copy(before, secret, after):
    text = f"{before} {secret} {after}"
    public = redact(text).text
    assert secret not in public
    for pattern in (EMAIL, PHONE, POSTCODE, VEHICLE):
        assert not pattern.search(public)


@settings(max_examples=200)
@given(words)
def test_redaction_leaves_ordinary_words_alone_and_is_stable(text):
    once = redact(text)
    assert once.text == text and not once.changed  # districts, towns and roads stay
    assert redact(once.text).text == once.text


def test_each_kind_is_labelled_and_counted_in_the_readers_language():
    result = redact(
        "Jay Smith (jay@example.org, 07700 900123) lives at NN17 1AA, car AB12 CDE. jay smith!",
        names=["Jay Smith"],
        labels={"name": "[imię usunięte]"},
    )
    assert result.text == (
        "[imię usunięte] ([email removed], [phone number removed]) lives at [postcode removed], "
        "car [vehicle registration removed]. [imię usunięte]!"
    )
    assert result.found == {"email": 1, "phone": 1, "postcode": 1, "vehicle": 1, "name": 2}


def test_phone_number_styles():
    for number in ["01536 123456", "(01536) 123456", "+44 (0)1536 123456", "0800-123-4567"]:
        assert redact(f"ring {number} now").text == "ring [phone number removed] now", number
    assert redact("in 2026 there were 120000 people").text == "in 2026 there were 120000 people"


def test_safeguarding_phrases_match_whole_words_whatever_the_case_or_spacing():
    scanner = Scanner(["hits me", "abus*", "kill myself", "carry a knife"])
    assert scanner.scan("My dad  HITS   me") == ["hits me"]
    assert scanner.scan("it was abusive") == ["abus*"]
    assert scanner.scan("I don’t want to kill myself") == ["kill myself"]
    assert scanner.scan("knife crime talks are good") == []
    assert scanner.scan("he shits me up") == []  # not inside another word
    assert Scanner([]).scan("anything") == []


@given(st.text(max_size=200))
def test_scanning_any_text_never_fails(text):
    assert isinstance(Scanner(["hits me", "abus*"]).scan(text), list)


def test_themes_are_suggested_from_keywords_and_from_similar_tagged_items():
    tagged = [
        (tokens("the street lights are broken by the park"), [1]),
        (tokens("dark alley with no lights at night"), [1]),
        (tokens("we need a youth club open on fridays"), [2]),
        (tokens("nothing for young people to do after school"), [2]),
    ]
    model = ThemeSuggester(tagged, {3: ["knife", "stab"]})
    themes = [s.theme for s in model.suggest("lights broken in the dark alley")]
    assert themes[0] == 1
    knife = model.suggest("a boy got stabbed near the shops")
    assert (knife[0].theme, knife[0].why) == (3, "keyword")
    assert model.suggest("") == []


def test_near_duplicates_share_a_group_and_different_texts_do_not():
    texts = [
        "There is nowhere for young people to go in the evenings round here",
        "there is nowhere for young people to go in the evenings around here!",
        "The buses stop running at 7pm so nobody can get home safely",
        "Knife crime campaigns should show the real harm",
        "the buses stop running at 7pm so nobody can get home safely",
    ]
    groups = duplicate_groups(texts)
    assert groups[0] == groups[1] and groups[2] == groups[4]
    assert len({groups[0], groups[2], groups[3]}) == 3


def test_representative_quotes_are_the_most_typical():
    texts = [
        "more youth clubs please",
        "we need more youth clubs in the evenings",
        "youth clubs closed, we need them back",
        "my cat is called Biscuit",
    ]
    assert 3 not in representative(texts, 2)


def test_reach_compares_who_was_heard_with_who_lives_there():
    heard = add_profiles(
        [
            {"age": {"16_24": 8, "25_44": 2, "not_said": 3}},
            {"age": {"16_24": 2, "45_64": 0}},
        ]
    )
    assert heard == {"age": {"16_24": 10, "25_44": 2, "not_said": 3, "45_64": 0}}
    population = {
        "age": {"under_16": 200, "16_24": 100, "25_44": 300, "45_64": 250, "65_over": 150}
    }
    rows = {r.group: r for r in compare(heard, population)}
    assert round(rows["16_24"].heard_share, 3) == round(10 / 12, 3)
    assert rows["16_24"].population_share == 0.1 and rows["16_24"].status == "over"
    assert rows["25_44"].status == "under" and rows["25_44"].gap == round((2 / 12 - 0.3) * 100, 1)
    assert rows["65_over"].heard == 0 and rows["65_over"].status == "under"


def test_an_attendance_profile_must_add_up():
    assert check_profile({"age": {"16_24": 5, "25_44": 6}}, attendees=10) == [
        "age: more people than the 10 who came"
    ]
    assert check_profile({"age": {"toddlers": 1}}, attendees=None) == [
        "age: unknown group toddlers"
    ]
    assert check_profile({"age": {"16_24": 5}}, attendees=5) == []


def test_charts_escape_labels_and_describe_themselves():
    svg = bar_chart("Items <by> theme", [Bar("<script>", (3,)), Bar("Parks", (7,))])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert re.search(r"<title[^>]*>Items &lt;by&gt; theme</title>", svg)
    assert svg.count("<rect") == 2
