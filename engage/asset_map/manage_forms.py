"""Forms of the officers' and providers' pages: one small form per action."""

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput

from engage.asset_map.form_base import AssetForm
from engage.asset_map.vocabulary import ReportStatus
from engage.forms import submit_field
from engage.safe_redirect import safe_next


def web_address(form, field) -> None:
    """Only http(s) addresses with a host: no javascript:, data: or file: links."""
    if not field.data:
        return
    parts = urlsplit(field.data.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValidationError(_l("Enter a web address starting with https:// or http://"))


class ConfirmForm(AssetForm):
    """An action with nothing to ask but where to go back to."""

    next = HiddenField(validators=[Optional(), Length(max=500)])

    def back_to(self, default: str) -> str:
        return safe_next(self.next.data) or default


class ResolveForm(AssetForm):
    outcome = RadioField(
        _l("What happened?"),
        widget=GovRadioInput(),
        choices=[(s.value, s.label) for s in (ReportStatus.RESOLVED, ReportStatus.DISMISSED)],
        validators=[InputRequired(message=_l("Choose what happened to the report"))],
    )
    note = TextAreaField(
        _l("What was done"),
        widget=GovTextArea(),
        validators=[
            Optional(),
            Length(max=1000, message=_l("Enter 1,000 characters or fewer")),
        ],
    )
    submit = submit_field(_l("Close the report"))


class DecisionForm(AssetForm):
    reason = TextAreaField(
        _l("Reason (shown to the provider if you reject)"),
        widget=GovTextArea(),
        validators=[
            Optional(),
            Length(max=1000, message=_l("Enter 1,000 characters or fewer")),
        ],
    )


class ImportForm(AssetForm):
    file = FileField(
        _l("File"),
        description=_l(
            "The CSV template, Open Referral UK JSON (a service, a list, an API page or a "
            "package), or an HSDS data package of CSV files as a .zip."
        ),
        widget=GovFileInput(),
        validators=[FileRequired(message=_l("Choose a file to upload"))],
    )
    submit = submit_field(_l("Check and import"))


class MultiCheckboxField(SelectMultipleField):
    widget = GovCheckboxesInput()
    option_widget = CheckboxInput()


class MapTermForm(AssetForm):
    categories = MultiCheckboxField(
        _l("Our categories for this term"),
        description=_l("Services with this term are found under every category you tick."),
        validators=[InputRequired(message=_l("Tick at least one category"))],
    )
    submit = submit_field(_l("Save the mapping"))


class FeedForm(AssetForm):
    name = StringField(
        _l("Name of the directory"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter the directory's name")),
            Length(max=200, message=_l("Enter 200 characters or fewer")),
        ],
    )
    url = StringField(
        _l("Address of its Open Referral UK API"),
        description=_l("For example, https://directory.example.org/api/v1"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter the API's address")),
            Length(max=500, message=_l("Enter 500 characters or fewer")),
            web_address,
        ],
    )
    submit = submit_field(_l("Add the feed"))
