"""Forms for rounds and bids. Ballots are built from the shortlist in the template."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from engage.budgeting.logic import BID_FIELDS, ROUND_FIELDS
from engage.forms import BaseForm, DateInput, submit_field

WHOLE_POUNDS = _l("Enter a whole number of pounds, like 5000")


def _date(label):
    return DateField(
        label,
        widget=DateInput(),
        format="%d %m %Y",
        description=_l("For example, 27 3 2027. Leave empty to move it on by hand."),
        validators=[Optional()],
    )


def _pounds(label, description=None, required=True):
    return IntegerField(
        label,
        description=description,
        widget=GovTextInput(),
        validators=[
            InputRequired(message=WHOLE_POUNDS) if required else Optional(),
            NumberRange(min=1, message=_l("Enter an amount more than £0")),
        ],
    )


class RoundForm(BaseForm):
    title = StringField(
        _l("Title"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter a title")), Length(max=200)],
    )
    description = TextAreaField(
        _l("What the money is for"), widget=GovTextArea(), validators=[Optional(), Length(max=3000)]
    )
    priorities = TextAreaField(
        _l("Priority themes (optional)"),
        description=_l("One a line, like “Safe places to go”. Bidders say which one they meet."),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=2000)],
    )
    eligibility = TextAreaField(
        _l("Who may bid (optional)"),
        description=_l("For example: voluntary and community groups working in the county"),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=2000)],
    )
    pot = _pounds(
        _l("Pot (£)"),
        _l(
            "The money the ambassadors decide on, in whole pounds. You can split it into "
            "area pots on the round's page while it is a draft."
        ),
    )
    max_bid = _pounds(_l("Largest bid (£)"))
    ballot_type = RadioField(
        _l("How ambassadors vote"),
        widget=GovRadioInput(),
        choices=[
            ("approval", _l("Tick any projects they support")),
            ("k_approval", _l("Tick up to a number of projects")),
            ("knapsack", _l("Tick projects whose costs add up to no more than the pot")),
            ("points", _l("Spread a number of points")),
        ],
        default="approval",
        validators=[InputRequired(message=_l("Choose how ambassadors vote"))],
    )
    max_choices = IntegerField(
        _l("How many projects each may tick (for “up to a number”)"),
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=1)],
    )
    points = IntegerField(
        _l("How many points each spreads (for points)"),
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=1)],
    )
    rule = RadioField(
        _l("How the votes are counted"),
        widget=GovRadioInput(),
        choices=[
            ("mes", _l("Method of Equal Shares: everyone's share of the money counts equally")),
            ("greedy", _l("Most votes first, skipping what no longer fits")),
        ],
        default="mes",
        validators=[InputRequired(message=_l("Choose how the votes are counted"))],
    )
    bidding_from = _date(_l("Bidding opens on (optional)"))
    review_from = _date(_l("Bidding closes and review starts on (optional)"))
    voting_from = _date(_l("Voting opens on (optional)"))
    counting_from = _date(_l("Voting closes on (optional)"))
    submit = submit_field(_l("Save round"))

    def values(self) -> dict:
        data = {name: self[name].data for name in ROUND_FIELDS if name != "schedule"}
        for name in ("description", "priorities", "eligibility"):
            data[name] = data[name] or ""
        data["schedule"] = {
            phase: self[f"{phase}_from"].data.isoformat()
            for phase in ("bidding", "review", "voting", "counting")
            if self[f"{phase}_from"].data
        }
        return data


class BidForm(BaseForm):
    """The view removes `pot_id` when the round has one pot, and `theme` when it has no
    priorities (see `single_pot`)."""

    single_pot: int | None = None
    organisation = SelectField(
        _l("Organisation"),
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the organisation"))],
    )
    pot_id = SelectField(
        _l("Which pot"),
        description=_l("Each area has its own pot, voted on by the ambassadors from there"),
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the pot this bid is for"))],
    )
    theme = SelectField(
        _l("Which of the round's priorities it meets"),
        widget=GovSelect(),
        validators=[Optional()],
    )
    title = StringField(
        _l("Project title"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter a project title")), Length(max=120)],
    )
    summary = TextAreaField(
        _l("Summary in plain words"),
        description=_l("Ambassadors aged 14 to 24 read this. Short sentences and everyday words."),
        widget=GovTextArea(),
        validators=[InputRequired(message=_l("Write a short summary")), Length(max=1500)],
    )
    cost = _pounds(_l("Cost (£)"))
    area = StringField(
        _l("Where it happens"), widget=GovTextInput(), validators=[Optional(), Length(max=120)]
    )
    prevention_level = RadioField(
        _l("Who it is for"),
        widget=GovRadioInput(),
        choices=[
            ("primary", _l("Everyone (primary)")),
            ("secondary", _l("People showing risk (secondary)")),
            ("tertiary", _l("People already involved (tertiary)")),
        ],
        default="primary",
        validators=[InputRequired(message=_l("Choose who it is for"))],
    )
    minimum_age = IntegerField(
        _l("Youngest age (optional)"),
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, max=120)],
    )
    maximum_age = IntegerField(
        _l("Oldest age (optional)"),
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, max=120)],
    )
    reach = IntegerField(
        _l("How many young people it will reach (optional)"),
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0)],
    )
    evidence = TextAreaField(
        _l("Evidence it works (optional)"),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=3000)],
    )
    submit = submit_field(_l("Send bid"))

    def values(self) -> dict:
        data = {name: self[name].data for name in BID_FIELDS if name in self}
        data.setdefault("pot_id", self.single_pot)
        for name in ("area", "evidence", "theme"):
            data[name] = data.get(name) or ""
        return data


def reading_age_hint(text: str) -> str | None:
    """A gentle warning when sentences or words are long for a teenage reader."""
    sentences = [s for s in text.replace("!", ".").replace("?", ".").split(".") if s.strip()]
    words = text.split()
    if not sentences or not words:
        return None
    per_sentence = len(words) / len(sentences)
    long_words = sum(1 for w in words if len(w.strip(".,;:!?()")) >= 12) / len(words)
    if per_sentence > 20 or long_words > 0.1:
        return str(
            _l("Some sentences or words are long. Ambassadors may find shorter ones easier.")
        )
    return None
