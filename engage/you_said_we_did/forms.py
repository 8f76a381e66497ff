"""Every form of “you said, we did”: the response, each action on it, the board's filters,
following, readers' verdicts and drafts put to people. One form per action."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovTextInput,
)
from wtforms import DateField, EmailField, HiddenField, SelectMultipleField
from wtforms.validators import Email, InputRequired, Length, Optional

from engage.forms import (
    BaseForm,
    DateInput,
    GetForm,
    IdsField,
    OptionalChoiceField,
    RadioChoiceField,
    WholeNumberField,
    submit_field,
    text_field,
)
from engage.once import once_field
from engage.you_said_we_did.models import ANSWER_LABELS, PARTNER_LABELS, STATUS_LABELS, Status

MAX_COMMENT = 5000
STATUS_CHOICES = [(s.value, label) for s, label in STATUS_LABELS.items()]
PARTNER_CHOICES = [(p.value, label) for p, label in PARTNER_LABELS.items()]


def _ids(label) -> SelectMultipleField:
    return SelectMultipleField(
        label, widget=GovCheckboxesInput(), coerce=int, validators=[Optional()]
    )


class ResponseForm(BaseForm):
    title = text_field(_l("Short title"), 160, _l("Give the response a short title"))
    you_said = text_field(
        _l("You said"), 3000, _l("Sum up what people said"), area=True,
        description=_l("What people told us, in their terms"),
    )  # fmt: skip
    we_did = text_field(
        _l("We did"), 5000, area=True,
        description=_l("What was done or decided, and what happens next"),
    )  # fmt: skip
    title_pl = text_field(
        _l("Short title in Polish (optional)"), 160,
        description=_l("The Polish versions are shown to people reading the site in Polish; "
                       "without them they see the English, marked as English."),
    )  # fmt: skip
    you_said_pl = text_field(_l("You said, in Polish (optional)"), 3000, area=True)
    we_did_pl = text_field(_l("We did, in Polish (optional)"), 5000, area=True)
    status = RadioChoiceField(
        _l("Status"),
        _l("Choose a status"),
        choices=STATUS_CHOICES,
        default=Status.CONSIDERING.value,
    )
    reason = text_field(_l("If not taken forward, why (published)"), 3000, area=True)
    progress = WholeNumberField(_l("Progress (%)"), minimum=0, maximum=100, default=0)
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
        choices=PARTNER_CHOICES,
        validators=[Optional()],
    )
    theme_ids = _ids(_l("Themes"))
    area_ids = _ids(_l("Areas"))
    project_ids = _ids(_l("Funded projects it reports on (you voted, we funded)"))
    submit = submit_field(_l("Save draft"))


class ActionForm(BaseForm):
    """A button that changes a response: submit, approve, send back, start a change."""


class LinkForm(BaseForm):
    items = IdsField()


class UnlinkForm(BaseForm):
    item = WholeNumberField(minimum=1, maximum=2**31 - 1, validators=[InputRequired()])


class UpdateForm(BaseForm):
    text = text_field(_l("What has happened"), 5000, _l("Write what has happened"), area=True)
    progress = WholeNumberField(_l("Progress (%) (optional)"), minimum=0, maximum=100)
    status = OptionalChoiceField(
        _l("New status (optional)"), choices=[("", _l("No change")), *STATUS_CHOICES]
    )
    submit = submit_field(_l("Propose the update"))


class LinkSearchForm(GetForm):
    q = text_field(_l("Words"), 100)
    theme = OptionalChoiceField(_l("Theme"), coerce=int)
    area = OptionalChoiceField(_l("Area"), coerce=int)


class BoardFilterForm(GetForm):
    q = text_field(_l("Search"), 100, widget=GovTextInput())
    area = OptionalChoiceField(_l("Area"), coerce=int)
    theme = OptionalChoiceField(_l("Theme"), coerce=int)
    partner = OptionalChoiceField(_l("Who is responsible"))
    status = OptionalChoiceField(_l("Status"))
    page = WholeNumberField(_l("Page"), minimum=1, maximum=100_000)

    def with_choices(self, areas, themes, theme_name) -> "BoardFilterForm":
        everything = ("", _l("All"))
        self.area.choices = [everything, *((a.id, a.name) for a in areas)]
        self.theme.choices = [everything, *((t.id, theme_name(t)) for t in themes)]
        self.partner.choices = [everything, *PARTNER_CHOICES]
        self.status.choices = [everything, *STATUS_CHOICES]
        return self


class FollowForm(BaseForm):
    email = EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter your email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(message=_l("Enter an email address like name@example.com"),
                  check_deliverability=False),
        ],
    )  # fmt: skip
    area = OptionalChoiceField(_l("Area"), coerce=int)
    theme = OptionalChoiceField(_l("Theme"), coerce=int)

    def with_choices(self, areas, themes, theme_name) -> "FollowForm":
        anything = ("", _l("Any"))
        self.area.choices = [anything, *((a.id, a.name) for a in areas)]
        self.theme.choices = [anything, *((t.id, theme_name(t)) for t in themes)]
        return self


class RatingForm(BaseForm):
    answer = RadioChoiceField(
        _l("Did this answer what people said?"),
        _l("Choose yes, partly or no"),
        choices=[(a.value, label) for a, label in ANSWER_LABELS.items()],
    )
    comment = text_field(
        _l("Anything to add? (optional)"), MAX_COMMENT, area=True,
        description=_l("Do not include names or contact details. An officer reads it before "
                       "it is used."),
    )  # fmt: skip
    once = once_field()
    submit = submit_field(_l("Send"))


class ReactionForm(BaseForm):
    choice = RadioChoiceField(_l("Which works better?"), _l("Choose one of the two"))
    comment = text_field(_l("Why? (optional)"), MAX_COMMENT, area=True)
    once = once_field()
    submit = submit_field(_l("Send"))

    def for_consultation(self, consultation) -> "ReactionForm":
        self.choice.choices = [("a", consultation.option_a), ("b", consultation.option_b)]
        return self


class ConsultationForm(BaseForm):
    title = text_field(
        _l("What you are asking"), 160, _l("Say what you are asking"),
        description=_l("For example: Which poster should the knife crime campaign use?"),
    )  # fmt: skip
    draft = text_field(_l("The draft message or idea"), 5000, _l("Write the draft"), area=True)
    option_a = text_field(_l("Option A"), 300, _l("Describe option A"))
    option_b = text_field(_l("Option B"), 300, _l("Describe option B"))
    audience = RadioChoiceField(
        _l("Who is asked"),
        _l("Choose who is asked"),
        choices=[
            ("ambassadors", _l("The youth ambassadors (signed in, one answer each)")),
            ("link", _l("Anyone with the link, for example at a forum session")),
        ],
        default="ambassadors",
    )
    submit = submit_field(_l("Ask"))


class ConfirmForm(BaseForm):
    """Only a token and a button (unsubscribe, open or close a draft)."""

    value = HiddenField()
