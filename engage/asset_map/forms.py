"""Forms for finding support and reporting a problem with a listing."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from engage.asset_map.form_base import AssetForm
from engage.asset_map.manage_forms import MultiCheckboxField, web_address
from engage.asset_map.vocabulary import ProblemKind
from engage.forms import submit_field, text_field
from engage.i18n import current_locale

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


class SearchForm(AssetForm):
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
        self.category.choices = [("", _l("All types"))] + [
            (t.id, t.label(current_locale())) for t in terms
        ]
        self.day.choices = day_choices()
        self.language.choices = [("", _l("Any language"))] + list(LANGUAGES.items())
        self.level.choices = level_choices()


class ProblemReportForm(AssetForm):
    kind = RadioField(
        _l("What is wrong with this listing?"),
        widget=GovRadioInput(),
        choices=[(kind.value, kind.label) for kind in ProblemKind],
        validators=[InputRequired(message=_l("Select what is wrong with the listing"))],
    )
    details = TextAreaField(
        _l("Tell us more (optional)"),
        description=_l("Do not include your name or anyone's personal details."),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=2000, message=_l("Enter 2,000 characters or fewer"))],
    )
    submit = submit_field(_l("Send report"))


class ServiceForm(AssetForm):
    name = StringField(
        _l("Name of the service"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter the name of the service")), Length(max=200)],
    )
    description = TextAreaField(
        _l("What it offers"),
        description=_l("Plain words a 14-year-old or a busy parent understands."),
        widget=GovTextArea(),
        validators=[InputRequired(message=_l("Say what the service offers")), Length(max=3000)],
    )
    description_pl = text_field(
        _l("What it offers, in Polish (optional)"),
        3000,
        area=True,
        description=_l("Shown to people reading the site in Polish; without it they see the "
                       "English, marked as English. The open data stays in English."),
    )  # fmt: skip
    categories = MultiCheckboxField(_l("Type of support"), validators=[Optional()])
    status = RadioField(
        _l("Is it running?"),
        widget=GovRadioInput(),
        choices=[
            ("active", _l("Running")),
            ("temporarily_closed", _l("Temporarily closed")),
            ("inactive", _l("Stopped")),
        ],
        default="active",
        validators=[InputRequired(message=_l("Say whether it is running"))],
    )
    eligibility = TextAreaField(
        _l("Who it is for"), widget=GovTextArea(), validators=[Optional(), Length(max=1000)]
    )
    minimum_age = IntegerField(
        _l("Youngest age (optional)"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=0, max=120, message=_l("Enter an age from 0 to 120")),
        ],
    )
    maximum_age = IntegerField(
        _l("Oldest age (optional)"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=0, max=120, message=_l("Enter an age from 0 to 120")),
        ],
    )
    free = BooleanField(_l("It is free"), widget=GovCheckboxInput(), validators=[Optional()])
    cost_description = StringField(
        _l("What it costs, if not free"),
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200)],
    )
    access = RadioField(
        _l("How people get support"),
        widget=GovRadioInput(),
        choices=[
            ("self_referral", _l("They contact the service themselves")),
            ("referral", _l("A professional refers them")),
            ("both", _l("Either")),
        ],
        default="self_referral",
        validators=[InputRequired(message=_l("Say how people get support"))],
    )
    languages = MultiCheckboxField(_l("Languages spoken"), validators=[Optional()])
    prevention_level = RadioField(
        _l("Who it is for, in prevention terms"),
        widget=GovRadioInput(),
        default="primary",
        validators=[InputRequired(message=_l("Choose a prevention level"))],
    )
    email = StringField(
        _l("Email (optional)"),
        widget=GovTextInput(),
        validators=[Optional(), Length(max=254), Email(message=_l("Enter an email address"))],
    )
    phone = StringField(
        _l("Phone (optional)"), widget=GovTextInput(), validators=[Optional(), Length(max=40)]
    )
    url = StringField(
        _l("Website (optional)"),
        widget=GovTextInput(),
        validators=[Optional(), Length(max=300), web_address],
    )
    opening_times = TextAreaField(
        _l("Opening times"),
        description=_l("One per line, like MO 18:00-20:00 (MO, TU, WE, TH, FR, SA, SU)."),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=1000)],
    )
    submit = submit_field(_l("Save"))

    def set_choices(self, terms) -> None:
        self.categories.choices = [(t.id, t.label(current_locale())) for t in terms]
        self.languages.choices = list(LANGUAGES.items())
        self.prevention_level.choices = [c for c in level_choices() if c[0]]

    def values(self) -> dict:
        from engage.asset_map.editing import parse_opening_times
        from engage.asset_map.fields import PLAIN

        data = {name: self[name].data for name in PLAIN}
        data["free"] = bool(data["free"])
        for name in ("name", "description", "eligibility"):
            data[name] = (data[name] or "").strip()
        data["languages"] = self.languages.data or ["en"]
        data["categories"] = sorted(self.categories.data or [])
        for name in ("cost_description", "email", "phone", "url", "description_pl"):
            data[name] = (self[name].data or "").strip()
        data["opening_times"] = parse_opening_times(self.opening_times.data or "")
        return data

    def fill(self, snapshot: dict) -> None:
        for name, value in snapshot.items():
            if name == "opening_times":
                self.opening_times.data = "\n".join(value)
            elif name in self:
                self[name].data = value


class ClaimForm(AssetForm):
    organisation = SelectField(
        _l("Organisation"),
        widget=GovSelect(),
        validators=[InputRequired(message=_l("Choose the organisation"))],
    )
    reason = TextAreaField(
        _l("Your role there"),
        description=_l("For example, youth work lead. The engagement team checks every request."),
        widget=GovTextArea(),
        validators=[InputRequired(message=_l("Say what your role is")), Length(max=500)],
    )
    submit = submit_field(_l("Ask to look after this listing"))


class NewServiceForm(ServiceForm):
    organisation_name = StringField(
        _l("Organisation"),
        description=_l("An organisation already listed, or a new one"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter the organisation's name")), Length(max=200)],
    )
    location_name = StringField(
        _l("Venue name (optional)"), widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    address = StringField(
        _l("Street address (optional)"),
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200)],
    )
    city = StringField(
        _l("Town (optional)"), widget=GovTextInput(), validators=[Optional(), Length(max=100)]
    )
    postcode = StringField(
        _l("Postcode (optional)"), widget=GovTextInput(), validators=[Optional(), Length(max=10)]
    )
    latitude = FloatField(_l("Latitude (optional)"), widget=GovTextInput(), validators=[Optional()])
    longitude = FloatField(
        _l("Longitude (optional)"), widget=GovTextInput(), validators=[Optional()]
    )

    def location(self) -> dict | None:
        values = {
            "name": self.location_name.data,
            "address": self.address.data,
            "city": self.city.data,
            "postcode": self.postcode.data,
            "latitude": self.latitude.data,
            "longitude": self.longitude.data,
        }
        return values if any(v not in (None, "") for v in values.values()) else None
