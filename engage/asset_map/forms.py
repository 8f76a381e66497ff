"""Forms for finding support and reporting a problem with a listing."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from engage.forms import BaseForm, submit_field

LANGUAGES = {
    "en": "English",
    "pl": "Polski",
    "pa": "ਪੰਜਾਬੀ (Punjabi)",
    "ur": "اردو (Urdu)",
    "ro": "Română",
    "pt": "Português",
    "lt": "Lietuvių",
}


def day_choices() -> list[tuple[str, str]]:
    return [
        ("", _l("Any day")),
        ("now", _l("Open now")),
        ("MO", _l("Monday")),
        ("TU", _l("Tuesday")),
        ("WE", _l("Wednesday")),
        ("TH", _l("Thursday")),
        ("FR", _l("Friday")),
        ("SA", _l("Saturday")),
        ("SU", _l("Sunday")),
    ]


def level_choices() -> list[tuple[str, str]]:
    return [
        ("", _l("Any")),
        ("primary", _l("For everyone (primary)")),
        ("secondary", _l("For people showing risk (secondary)")),
        ("tertiary", _l("For people already involved (tertiary)")),
    ]


class SearchForm(BaseForm):
    """Read from the query string, so every search is a shareable link."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Town, village or postcode"),
        description=_l("For example, Rothwell or NN14"),
        widget=GovTextInput(),
        validators=[Optional(), Length(max=80, message=_l("Enter 80 characters or fewer"))],
    )
    category = SelectField(_l("Type of support"), widget=GovSelect(), validators=[Optional()])
    age = IntegerField(
        _l("Age of the person who needs support"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=0, max=120, message=_l("Enter an age from 0 to 120")),
        ],
    )
    free = BooleanField(_l("Free only"), widget=GovCheckboxInput(), validators=[Optional()])
    self_referral = BooleanField(
        _l("I can contact them myself (no referral needed)"),
        widget=GovCheckboxInput(),
        validators=[Optional()],
    )
    day = SelectField(_l("When"), widget=GovSelect(), validators=[Optional()])
    language = SelectField(_l("Language spoken"), widget=GovSelect(), validators=[Optional()])
    level = SelectField(_l("Who it is for"), widget=GovSelect(), validators=[Optional()])

    def set_choices(self, terms) -> None:
        self.category.choices = [("", _l("All types"))] + [(t.id, t.name) for t in terms]
        self.day.choices = day_choices()
        self.language.choices = [("", _l("Any language"))] + list(LANGUAGES.items())
        self.level.choices = level_choices()


class ProblemReportForm(BaseForm):
    kind = RadioField(
        _l("What is wrong with this listing?"),
        widget=GovRadioInput(),
        choices=[
            ("closed", _l("The service has closed or stopped")),
            ("wrong_details", _l("Some details are wrong (times, address, contact)")),
            ("not_in_area", _l("It is not in this area")),
            ("other", _l("Something else")),
        ],
        validators=[InputRequired(message=_l("Select what is wrong with the listing"))],
    )
    details = TextAreaField(
        _l("Tell us more (optional)"),
        description=_l("Do not include your name or anyone's personal details."),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=2000, message=_l("Enter 2,000 characters or fewer"))],
    )
    submit = submit_field(_l("Send report"))
