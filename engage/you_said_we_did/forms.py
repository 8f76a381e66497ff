"""The response form; linking items, approving and updates are small forms in the page."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from engage.forms import BaseForm, DateInput, submit_field

STATUS_LABELS = {
    "considering": _l("Considering"),
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "not_taken_forward": _l("Not taken forward"),
}
PARTNER_LABELS = {
    "partnership": _l("The partnership as a whole"),
    "council": _l("Council"),
    "police": _l("Police"),
    "nhs": _l("NHS"),
    "probation": _l("Probation and youth justice"),
    "fire": _l("Fire and rescue"),
    "vcse": _l("A voluntary or community organisation"),
}


class ResponseForm(BaseForm):
    title = StringField(
        _l("Short title"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Give the response a short title")), Length(max=160)],
    )
    you_said = TextAreaField(
        _l("You said"),
        description=_l("What people told us, in their terms"),
        widget=GovTextArea(),
        validators=[InputRequired(message=_l("Sum up what people said")), Length(max=3000)],
    )
    we_did = TextAreaField(
        _l("We did"),
        description=_l("What was done or decided, and what happens next"),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=5000)],
    )
    status = RadioField(
        _l("Status"),
        widget=GovRadioInput(),
        choices=list(STATUS_LABELS.items()),
        default="considering",
        validators=[InputRequired(message=_l("Choose a status"))],
    )
    reason = TextAreaField(
        _l("If not taken forward, why (published)"),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=3000)],
    )
    progress = IntegerField(
        _l("Progress (%)"),
        widget=GovTextInput(),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=100, message=_l("From 0 to 100"))],
    )
    due_on = DateField(
        _l("Due by (optional)"),
        description=_l("When the partners said it would be done, for example 31 3 2027"),
        widget=DateInput(),
        format="%d %m %Y",
        validators=[Optional()],
    )
    partners = SelectMultipleField(
        _l("Who is responsible"),
        widget=GovCheckboxesInput(),
        choices=list(PARTNER_LABELS.items()),
        validators=[Optional()],
    )
    theme_ids = SelectMultipleField(
        _l("Themes"), widget=GovCheckboxesInput(), coerce=int, validators=[Optional()]
    )
    area_ids = SelectMultipleField(
        _l("Areas"), widget=GovCheckboxesInput(), coerce=int, validators=[Optional()]
    )
    project_ids = SelectMultipleField(
        _l("Funded projects it reports on (you voted, we funded)"),
        widget=GovCheckboxesInput(),
        coerce=int,
        validators=[Optional()],
    )
    submit = submit_field(_l("Save draft"))


class ConsultationForm(BaseForm):
    title = StringField(
        _l("What you are asking"),
        description=_l("For example: Which poster should the knife crime campaign use?"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Say what you are asking")), Length(max=160)],
    )
    draft = TextAreaField(
        _l("The draft message or idea"),
        widget=GovTextArea(),
        validators=[InputRequired(message=_l("Write the draft")), Length(max=5000)],
    )
    option_a = StringField(
        _l("Option A"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Describe option A")), Length(max=300)],
    )
    option_b = StringField(
        _l("Option B"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Describe option B")), Length(max=300)],
    )
    audience = RadioField(
        _l("Who is asked"),
        widget=GovRadioInput(),
        choices=[
            ("ambassadors", _l("The youth ambassadors (signed in, one answer each)")),
            ("link", _l("Anyone with the link, for example at a forum session")),
        ],
        default="ambassadors",
        validators=[InputRequired(message=_l("Choose who is asked"))],
    )
    submit = submit_field(_l("Ask"))
