"""Shared form pieces: GOV.UK widgets whose built-in words go through Babel."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovPasswordInput, GovSubmitInput
from wtforms import SubmitField


class BaseForm(FlaskForm):
    pass


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
