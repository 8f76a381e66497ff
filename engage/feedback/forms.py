"""Forms for having your say, forums and sessions (with their attendance counts), imports,
questions and safeguarding indicators. Many items at once are entered as rows in the
session page's table, read in the view."""

import re

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovSelect,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import Email, InputRequired, Optional, ValidationError

from engage.feedback.logic import CONSENT, MAX_TEXT
from engage.feedback.reach import DIMENSIONS, NOT_SAID
from engage.feedback.vocabulary import Audience, IndicatorCategory, group_label
from engage.forms import (
    BaseForm,
    DateInput,
    RadioChoiceField,
    WholeNumberField,
    submit_field,
    text_field,
)
from engage.once import once_field


def _text_field(label, description=None):
    return text_field(
        label, MAX_TEXT, _l("Write what you want to tell us"), area=True, description=description
    )


class HaveYourSayForm(BaseForm):
    text = _text_field(
        _l("What would you like to tell us?"),
        _l("Do not include names, addresses or phone numbers. We take them out before anything "
           "is shared."),
    )  # fmt: skip
    area = SelectField(
        _l("Which area is it about? (optional)"), widget=GovSelect(), validators=[Optional()]
    )
    place = text_field(_l("Or type a town, village or postcode (optional)"), 120)
    email = EmailField(
        _l("Email address (optional)"),
        description=_l("Only if you want to hear what happens with your feedback"),
        widget=GovTextInput(),
        validators=[Optional(), Email(message=_l("Enter an email address like name@example.com"))],
    )
    consent = BooleanField(CONSENT, widget=GovCheckboxInput(), validators=[Optional()])
    # Left empty by people; filled in by spam robots. Hidden from view and from screen readers.
    website = StringField(_l("Leave this empty"), validators=[Optional()])
    once = once_field()
    submit = submit_field(_l("Send"))


class ForumForm(BaseForm):
    name = text_field(_l("Name"), 120, _l("Enter the forum's name"))
    audience = RadioChoiceField(
        _l("Who is it for?"), choices=Audience.choices(), message=_l("Choose who the forum is for")
    )
    partners = text_field(_l("Partners who run it with us (optional)"), 300)
    area_ids = SelectMultipleField(
        _l("Areas it covers"), widget=GovCheckboxesInput(), coerce=int, validators=[Optional()]
    )
    submit = submit_field(_l("Save forum"))


class SessionForm(BaseForm):
    """The fields for the session; the attendance counts are added per group in `session_form`."""

    held_on = DateField(
        _l("Date"),
        widget=DateInput(),
        format="%d %m %Y",
        description=_l("For example, 27 3 2027"),
        validators=[InputRequired(message=_l("Enter the date of the session"))],
    )
    starts_at = text_field(_l("Start time (optional)"), 5, description=_l("For example, 18:30"))
    place = text_field(_l("Place"), 200)
    facilitator = text_field(_l("Facilitator"), 120)
    prompts = text_field(_l("Questions put to people (one a line)"), 3000, area=True)

    def validate_starts_at(self, field) -> None:
        if field.data and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", field.data):
            raise ValidationError(str(_l("Enter a time like 18:30")))

    attendees = WholeNumberField(
        _l("How many people came (optional until it has happened)"), minimum=0, maximum=100_000
    )
    public = BooleanField(
        _l("Show it on the public “have your say” calendar"),
        widget=GovCheckboxInput(),
        validators=[Optional()],
    )
    submit = submit_field(_l("Save session"))

    def profile(self, area_codes: list[str]) -> dict:
        """The counts entered, as {dimension: {group: n}}; empty boxes are left out."""
        result: dict[str, dict[str, int]] = {}
        for dimension, groups in {**DIMENSIONS, "area": tuple(area_codes)}.items():
            for group in (*groups, NOT_SAID) if dimension != "area" else groups:
                value = self[profile_field(dimension, group)].data
                if value is not None:
                    result.setdefault(dimension, {})[group] = value
        return result


def profile_field(dimension: str, group: str) -> str:
    return f"count__{dimension}__{group.replace('-', '_')}"


def session_form(areas, **kwargs) -> SessionForm:
    """A session form with a count box for each group, and one per area the forum covers."""

    class Form(SessionForm):
        pass

    counts = {**{d: g + (NOT_SAID,) for d, g in DIMENSIONS.items()}}
    for dimension, groups in counts.items():
        for group in groups:
            label = LazyString(group_label, dimension, group)
            setattr(Form, profile_field(dimension, group), _count(label))
    for area in areas:
        setattr(Form, profile_field("area", area.code), _count(area.name))
    return Form(**kwargs)


def _count(label):
    return WholeNumberField(label, minimum=0, maximum=100_000)


class ImportItemsForm(BaseForm):
    file = FileField(
        _l("CSV file"),
        widget=GovFileInput(),
        validators=[FileRequired(message=_l("Choose a file to upload"))],
    )
    submit = submit_field(_l("Check and import"))


class QuestionForm(BaseForm):
    title = text_field(_l("The question"), 200, _l("Enter the question"))
    body = text_field(_l("More about it (optional)"), 3000, area=True)
    open = BooleanField(
        _l("Open for answers"), widget=GovCheckboxInput(), default=True, validators=[Optional()]
    )
    submit = submit_field(_l("Save question"))


class IndicatorForm(BaseForm):
    phrase = text_field(
        _l("Phrase"), 120, _l("Enter a phrase"),
        description=_l("Whole words. End with * to match any ending, like abus*"),
    )  # fmt: skip
    category = RadioChoiceField(
        _l("Category"),
        widget=GovSelect(),
        choices=IndicatorCategory.choices(),
        message=_l("Choose a category from the list"),
    )
    submit = submit_field(_l("Add phrase"))
