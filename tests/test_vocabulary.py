"""Every fixed list the site shows is a Vocabulary with a label in both languages, and every
form error is in our own words: WTForms' stock English never reaches a page."""

import pytest
from flask_babel import force_locale
from wtforms import DateField, DecimalField, FloatField, IntegerField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, NumberRange

import engage.models  # noqa: F401  (every package's vocabularies)
from engage.forms import BaseForm
from engage.i18n import in_reader_language
from engage.vocabulary import Vocabulary


def _vocabularies(base=Vocabulary) -> list[type[Vocabulary]]:
    found = []
    for sub in base.__subclasses__():
        found += [sub, *_vocabularies(sub)]
    return found


def test_the_fixed_lists_are_vocabularies():
    names = {v.__name__ for v in _vocabularies()}
    expected = {"Audience", "Source", "ItemStatus", "IndicatorCategory", "ReachStatus",
                "AgeGroup", "EthnicGroup", "Partner", "Status", "Stage", "Phase",
                "BallotType", "BidStatus", "ServiceStatus", "ProblemKind", "Decision", "Role",
                "AgeBand"}  # fmt: skip
    assert expected <= names


@pytest.mark.parametrize("vocabulary", _vocabularies(), ids=lambda v: v.__name__)
def test_every_member_has_a_label_in_english_and_in_polish(app, vocabulary):
    with app.test_request_context():
        english = [member.label for member in vocabulary]
        with force_locale("pl"):
            polish = [member.label for member in vocabulary]
            choices = [(value, str(label)) for value, label in vocabulary.choices()]
    assert all(english) and all(polish)
    assert choices == list(zip(vocabulary.values(), polish, strict=True))
    assert polish != english  # translated, not copied


def test_an_unknown_stored_value_is_shown_as_it_is(app):
    from engage.feedback.vocabulary import Source

    with app.test_request_context():
        assert Source.name_of("session") == "Forum or session"
        assert Source.name_of("carrier pigeon") == "carrier pigeon"


class EveryKind(BaseForm):
    class Meta:
        csrf = False

    whole = IntegerField("Whole")
    number = FloatField("Number")
    money = DecimalField("Money")
    day = DateField("Day")
    pick = SelectField("Pick", choices=[("a", "A")])
    needed = StringField("Needed", validators=[InputRequired()])
    short = StringField("Short", validators=[Length(max=3)])
    email = StringField("Email", validators=[Email()])
    range_ = IntegerField("Range", validators=[NumberRange(min=1, max=5)])


BAD = {"whole": "x", "number": "x", "money": "x", "day": "31 2", "pick": "zz", "needed": "",
       "short": "abcdef", "email": "nope", "range_": "9"}  # fmt: skip
STOCK = ("Not a valid", "This field is required", "Invalid", "Field cannot", "Number must")


@pytest.mark.parametrize(
    "locale, expected",
    [
        ("en", {"whole": "Enter a whole number, like 12", "pick": "Choose from the list",
                "short": "Keep it to 3 characters or fewer", "needed": "Fill in this part",
                "range_": "Enter a number from 1 to 5"}),
        ("pl", {"whole": "Proszę wpisać liczbę całkowitą, na przykład 12",
                "pick": "Proszę wybrać z listy", "short": "Maksymalnie 3 znaki",
                "needed": "Proszę wypełnić to pole", "range_": "Proszę wpisać liczbę od 1 do 5"}),
    ],
)  # fmt: skip
def test_wtforms_stock_messages_come_out_in_our_own_words(app, locale, expected):
    with app.test_request_context(method="POST", data=BAD), force_locale(locale):
        form = EveryKind()
        assert not form.validate()
        errors = {name: [str(e) for e in form[name].errors] for name in BAD}
    assert set(errors) == {name for name, found in errors.items() if found}  # each refused
    shown = " ".join(e for found in errors.values() for e in found)
    assert not any(stock in shown for stock in STOCK), shown
    for name, words in expected.items():
        assert words in errors[name], (name, errors[name])


def test_entered_text_is_shown_in_the_readers_language_or_marked_as_english(app):
    with app.test_request_context(headers={"Accept-Language": "pl"}):
        assert in_reader_language("Boxing", "Boks", "p") == "<p>Boks</p>"
        marked = in_reader_language("Boxing <b>", "", "p", "govuk-body")
        assert marked == (
            '<p class="govuk-body" lang="en">Boxing &lt;b&gt; '
            '<span class="engage-in-english" lang="pl">(po angielsku)</span></p>'
        )
    with app.test_request_context(), force_locale("en_GB"):
        assert in_reader_language("Boxing", "Boks") == "<span>Boxing</span>"
