"""Shared form pieces: GOV.UK widgets whose built-in words go through Babel."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovPasswordInput, GovSubmitInput
from wtforms import SubmitField

from engage.errors import UserError


class BaseForm(FlaskForm):
    def show(self, error: UserError, default_field: str | None = None) -> None:
        """Put a logic error beside the field it names (or `default_field`, or the first
        field), so the GOV.UK error summary links to it."""
        names = [  # short names: a form shown with a prefix keeps them
            key
            for key, f in self._fields.items()
            if f.type not in ("CSRFTokenField", "SubmitField")
        ]
        name = next((n for n in (error.field, default_field) if n in names), None)
        if name is None and names:
            name = names[0]
        if name is None:
            self.form_errors.append(error.message)
        else:
            self[name].errors = [*self[name].errors, error.message]


class PasswordInput(GovPasswordInput):
    """GOV.UK password input with its show/hide button in the reader's language."""

    def __init__(self, autocomplete: str = "current-password") -> None:
        super().__init__()
        self.autocomplete = autocomplete

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params.update(
            autocomplete=self.autocomplete,
            showPasswordText=_("Show"),
            hidePasswordText=_("Hide"),
            showPasswordAriaLabelText=_("Show password"),
            hidePasswordAriaLabelText=_("Hide password"),
            passwordShownAnnouncementText=_("Your password is visible"),
            passwordHiddenAnnouncementText=_("Your password is hidden"),
        )
        return params


class DateInput(GovDateInput):
    """GOV.UK date input with its Day, Month and Year labels in the reader's language."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        for item, label in zip(params["items"], (_("Day"), _("Month"), _("Year")), strict=True):
            item["label"] = label
        return params


def submit_field(label: str | None = None) -> SubmitField:
    return SubmitField(label or _l("Continue"), widget=GovSubmitInput())
