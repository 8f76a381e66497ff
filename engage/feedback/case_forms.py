"""Forms for the safeguarding lead (cases, privacy requests) and for officers' privacy
requests."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import EmailField, HiddenField, RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional

from engage.feedback.models import CaseStep
from engage.feedback.safeguarding import LOGGABLE
from engage.forms import BaseForm, submit_field

MAX_NOTE = 5000


def _note(label, required: str | None = None) -> TextAreaField:
    validators = [InputRequired(message=required)] if required else [Optional()]
    return TextAreaField(
        label,
        widget=GovTextArea(),
        filters=[lambda value: value or ""],
        validators=[*validators, Length(max=MAX_NOTE, message=_l("Keep it to 5,000 characters"))],
    )


class AcknowledgeForm(BaseForm):
    submit = submit_field(_l("Acknowledge: I am dealing with this"))


class CaseLogForm(BaseForm):
    kind = RadioField(
        _l("What did you do?"),
        widget=GovRadioInput(),
        choices=[(step.value, step.label) for step in LOGGABLE],
        default=CaseStep.NOTE.value,
        validators=[InputRequired(message=_l("Choose what you did"))],
    )
    note = _note(_l("Note"), _l("Write what was done"))
    submit = submit_field(_l("Add to the log"))


class DecideRequestForm(BaseForm):
    chosen = SelectMultipleField(widget=GovCheckboxesInput(), coerce=int, validators=[Optional()])
    note = _note(_l("Why anything is held back (needed if you do not choose every item)"))
    submit = submit_field(_l("Record the decision"))

    def for_request(self, kind: str, item_ids: list[int]) -> "DecideRequestForm":
        self.chosen.label.text = (
            _l("Items to release to the person")
            if kind == "access"
            else _l("Items to erase (their text goes; the case and its log stay)")
        )
        self.chosen.choices = [(i, _l("Item %(n)d", n=i)) for i in item_ids]
        return self


def _email_field() -> EmailField:
    return EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter the email address the person gave")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
        ],
    )


class FindForm(BaseForm):
    email = _email_field()
    submit = submit_field(_l("Find"))


class RequestActionForm(BaseForm):
    """The export and erase buttons: the address travels in the form, never in a URL."""

    email = HiddenField(
        validators=[InputRequired(), Length(max=254), Email(check_deliverability=False)]
    )
