"""Forms for signing in, invitations and passwords."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextInput
from wtforms import EmailField, PasswordField, RadioField
from wtforms.validators import Email, InputRequired, Length, Optional

from engage.accounts.roles import AGE_BAND_LABELS, INVITABLE_BY, ROLE_LABELS, Role
from engage.forms import BaseForm, PasswordInput, submit_field, text_field


def _email_field(label: str) -> EmailField:
    return EmailField(
        label,
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter an email address")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        ],
    )


class SignInForm(BaseForm):
    email = _email_field(_l("Email address"))
    password = PasswordField(
        _l("Password"),
        widget=PasswordInput(),
        validators=[InputRequired(message=_l("Enter your password"))],
    )
    submit = submit_field(_l("Sign in"))


class InvitationForm(BaseForm):
    display_name = text_field(
        _l("Name to show on the site"), 80, _l("Enter a name to show on the site"),
        description=_l("A first name or nickname is enough"),
    )  # fmt: skip
    email = _email_field(_l("Email address"))
    role = RadioField(
        _l("Role"),
        widget=GovRadioInput(),
        validators=[InputRequired(message=_l("Select a role"))],
    )
    age_band = RadioField(
        _l("Age band (youth ambassadors only)"),
        description=_l("We keep an age band, never a date of birth"),
        widget=GovRadioInput(),
        choices=[(band.value, label) for band, label in AGE_BAND_LABELS.items()],
        validators=[Optional()],
    )
    locale = RadioField(
        _l("Language for their emails"),
        widget=GovRadioInput(),
        choices=[("en_GB", "English"), ("pl", "Polski")],
        default="en_GB",
        validators=[InputRequired(message=_l("Select a language"))],
    )
    submit = submit_field(_l("Send invitation"))

    def limit_roles(self, inviter_role: Role) -> None:
        self.role.choices = [(r.value, ROLE_LABELS[r]) for r in INVITABLE_BY.get(inviter_role, ())]


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        description=_l("At least 12 characters. Three random words work well."),
        widget=PasswordInput(autocomplete="new-password"),
        validators=[InputRequired(message=_l("Enter a new password"))],
    )


class SetPasswordForm(BaseForm):
    password = _new_password_field(_l("Create a password"))
    submit = submit_field(_l("Create account"))


class ResetPasswordForm(BaseForm):
    password = _new_password_field(_l("New password"))
    submit = submit_field(_l("Save new password"))


class RequestPasswordResetForm(BaseForm):
    email = _email_field(_l("Email address"))
    submit = submit_field(_l("Send reset link"))


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"),
        widget=PasswordInput(),
        validators=[InputRequired(message=_l("Enter your current password"))],
    )
    password = _new_password_field(_l("New password"))
    submit = submit_field(_l("Change password"))


class ConfirmForm(BaseForm):
    """A form with only a CSRF token and a button, for actions like signing out."""


class RoleForm(BaseForm):
    role = RadioField(
        _l("Role"),
        widget=GovRadioInput(),
        choices=[(r.value, ROLE_LABELS[r]) for r in Role],
        validators=[InputRequired(message=_l("Select a role"))],
    )
    submit = submit_field(_l("Change role"))
