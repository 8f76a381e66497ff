"""Shared form pieces: GOV.UK widgets whose built-in words go through Babel."""

import re
from collections.abc import Sequence
from typing import Any

from flask_babel import LazyString, format_number, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    Form,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from engage.errors import UserError

# WTForms' own English messages, each answered in our own words in the reader's language: a
# field that forgot to pass a message still never shows "Not a valid integer value.".
STOCK_MESSAGES = {
    "This field is required.": _l("Fill in this part"),
    "Not a valid choice.": _l("Choose from the list"),
    "Invalid Choice: could not coerce.": _l("Choose from the list"),
    "Choices cannot be None.": _l("Choose from the list"),
    "'%(value)s' is not a valid choice for this field.": _l("Choose from the list"),
    "'%(value)s' are not valid choices for this field.": _l("Choose from the list"),
    "Not a valid integer value.": _l("Enter a whole number, like 12"),
    "Not a valid decimal value.": _l("Enter a number, like 52.4"),
    "Not a valid float value.": _l("Enter a number, like 52.4"),
    "Not a valid date value.": _l("Enter a real date, like 27 3 2027"),
    "Not a valid datetime value.": _l("Enter a real date and time"),
    "Not a valid time value.": _l("Enter a time like 18:30"),
    "Not a valid week value.": _l("Enter a real week"),
    "Invalid email address.": _l("Enter an email address like name@example.com"),
    "Invalid URL.": _l("Enter a web address starting with https://"),
    "Invalid input.": _l("Check what you entered here"),
    "Invalid value, must be one of: %(values)s.": _l("Choose from the list"),
    "Invalid value, can't be any of: %(values)s.": _l("Choose something else"),
    "Number must be at least %(min)s.": _l("Enter a number of at least %(min)s"),
    "Number must be at most %(max)s.": _l("Enter a number of no more than %(max)s"),
    "Number must be between %(min)s and %(max)s.": _l("Enter a number from %(min)s to %(max)s"),
    "Field must be equal to %(other_name)s.": _l("The two entries must match"),
    "This field cannot be edited.": _l("This part cannot be changed"),
    "This field is disabled and cannot have a value.": _l("This part cannot be changed"),
}


def _length_message(plural: str, n: int) -> str:
    if "longer than" in plural:
        return ngettext("Keep it to %(num)d character or fewer",
                        "Keep it to %(num)d characters or fewer", n)  # fmt: skip
    if "exactly" in plural:
        return ngettext("Enter exactly %(num)d character", "Enter exactly %(num)d characters", n)
    return ngettext("Enter at least %(num)d character", "Enter at least %(num)d characters", n)


class OurWords:
    """What WTForms asks to translate: its stock messages, answered in our own words."""

    def gettext(self, string: str) -> str:
        own = STOCK_MESSAGES.get(string)
        if own is not None:
            return str(own)
        if "characters long" in string or "character" in string:
            return _("Check the length of what you entered")
        return _("Check what you entered here")

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _length_message(plural, n).replace("%", "%%")


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form) -> OurWords:
            return OurWords()

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


class RowForm(Form):
    """One row of a table of fields (through FieldList/FormField), in our own words too."""

    class Meta:
        def get_translations(self, form) -> OurWords:
            return OurWords()


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
    """GOV.UK date input with its Day, Month and Year labels in the reader's language. A form
    posted with the wrong number of parts (by a script) is drawn with three boxes, not a
    crash."""

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None:
            field.raw_data = ([*field.raw_data, "", "", ""])[:3]
        params = super().map_gov_params(field, **kwargs)
        for item, label in zip(params["items"], (_("Day"), _("Month"), _("Year")), strict=True):
            item["label"] = label
        return params


def submit_field(label: str | None = None) -> SubmitField:
    return SubmitField(label or _l("Continue"), widget=GovSubmitInput())


# Fields that answer hostile input in words (never a crash, never a stock English message)

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip(value):
    return value.strip() if isinstance(value, str) else value


class NoControlCharacters:
    """Refuses NUL and other control characters, which no person types (PostgreSQL refuses
    NUL outright)."""

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and CONTROL_CHARACTERS.search(field.data):
            raise ValidationError(_("Remove the invisible control characters from this text"))


def text_field(label, max_length: int, required: str | None = None, area: bool = False,
               **kwargs):  # fmt: skip
    """A one-line or (`area`) multi-line text field: stripped, length-checked, clean."""
    presence = [DataRequired(message=required)] if required else [Optional()]
    field_class, widget = (TextAreaField, GovTextArea()) if area else (StringField, GovTextInput())
    too_long = LazyString(
        lambda: _("Keep it to %(n)s characters or fewer", n=format_number(max_length))
    )
    return field_class(
        label,
        widget=kwargs.pop("widget", widget),
        filters=[strip, lambda value: value if value is not None else ""],
        validators=[*presence, Length(max=max_length, message=too_long), NoControlCharacters()],
        **kwargs,
    )


class OptionalChoiceField(SelectField):
    """A list whose empty first option means "any" (None); anything not on the list, or not
    of the right type, is refused with our own words."""

    choices: Sequence[tuple[Any, ...]]  # (value, label): never grouped

    def __init__(self, label=None, coerce=str, invalid=None, **kwargs) -> None:
        kwargs.setdefault("widget", GovSelect())
        super().__init__(label, coerce=coerce, validate_choice=False, **kwargs)
        self.invalid = invalid or _l("Choose from the list")

    def process_formdata(self, valuelist) -> None:
        raw = valuelist[0] if valuelist else ""
        self.data = None
        if raw in ("", None):
            return
        try:
            self.data = self.coerce(raw)
        except (TypeError, ValueError):
            raise ValueError(str(self.invalid)) from None

    def pre_validate(self, form) -> None:
        if self.data is not None and self.data not in {value for value, *_rest in self.choices}:
            raise ValidationError(str(self.invalid))

    def _choices_generator(self, choices):
        for value, label, *other in choices:
            selected = self.data is None if value in ("", None) else value == self.data
            yield (value, label, selected, other[0] if other else {})

    def process_data(self, value) -> None:
        self.data = value if value not in ("", None) else None


class RadioChoiceField(RadioField):
    """Radios whose "choose one" message also answers a value that is not one of them."""

    choices: Sequence[tuple[Any, ...]]  # (value, label): never grouped

    def __init__(self, label=None, message=None, **kwargs) -> None:
        kwargs.setdefault("widget", GovRadioInput())
        kwargs.setdefault("validators", [InputRequired(message=message)])
        super().__init__(label, **kwargs)
        self.message = message or _l("Choose one of the options")

    def pre_validate(self, form) -> None:
        if self.data not in {str(value) for value, *_rest in self.choices}:
            raise ValidationError(str(self.message))


class WholeNumberField(IntegerField):
    """A whole number in a range the database can hold, refused in our own words."""

    def __init__(self, label=None, minimum: int = 0, maximum: int = 1_000_000, **kwargs) -> None:
        kwargs.setdefault("widget", GovTextInput())
        message = _l("Enter a whole number from %(low)d to %(high)d", low=minimum, high=maximum)
        # A new list: the one given is the class's, shared by every form built from it.
        validators = [*kwargs.pop("validators", [Optional()])]
        validators.append(NumberRange(min=minimum, max=maximum, message=message))
        super().__init__(label, validators=validators, **kwargs)
        self.message = message

    def process_formdata(self, valuelist) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not raw:
            return
        if not raw.lstrip("-").isdecimal() or not raw.isascii():
            raise ValueError(str(self.message))
        self.data = int(raw)


class IdsField(SelectMultipleField):
    """Record ids ticked on a page whose list is too long to check here (the logic checks them
    against the database): each must be a whole number a database id can be."""

    def __init__(self, label=None, **kwargs) -> None:
        kwargs.setdefault("validators", [Optional()])
        super().__init__(label, coerce=int, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist) -> None:
        ids = []
        for raw in valuelist:
            if not raw.isascii() or not raw.isdecimal() or not 0 < int(raw) < 2**31:
                self.data = []
                raise ValueError(str(_l("Tick from the list")))
            ids.append(int(raw))
        self.data = ids


class GetForm(BaseForm):
    """Filters read from the query string: no CSRF token, since they change nothing."""

    class Meta:
        csrf = False


class PageForm(GetForm):
    """Which page of a long list (`?page=`): a bad or missing number is the first page."""

    page = WholeNumberField(_l("Page"), minimum=1, maximum=100_000)

    def number(self) -> int:
        return (self.page.data or 1) if self.validate() else 1
