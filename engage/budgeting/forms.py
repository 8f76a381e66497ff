"""Forms for rounds and bids, and one small form for each thing an officer, reviewer or
ambassador does. Every value is declared here: what the page sends and nothing else is read."""

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
)
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import AnyOf, InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput

from engage.budgeting.logic import BID_FIELDS, ROUND_FIELDS
from engage.budgeting.models import BallotType, CountingRule, Phase, PreventionLevel
from engage.forms import (
    BaseForm,
    DateInput,
    OptionalChoiceField,
    RadioChoiceField,
    RowForm,
    WholeNumberField,
    submit_field,
    text_field,
)

WHOLE_POUNDS = _l("Enter a whole number of pounds, like 5000")
MOST_POUNDS = 1_000_000_000  # well inside the database's whole numbers
MOST_ENTRIES = 500  # rows a page can send: more than any pot's shortlist


class PoundsField(WholeNumberField):
    """Whole pounds, written as people write them: "£30,000" is 30000."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [valuelist[0].strip().lstrip("£").replace(",", "").replace(" ", "")]
        super().process_formdata(valuelist)


def _date(label):
    return DateField(
        label,
        widget=DateInput(),
        format="%d %m %Y",
        description=_l("For example, 27 3 2027. Leave empty to move it on by hand."),
        validators=[Optional()],
    )


def _pounds(label, description=None):
    return PoundsField(
        label,
        minimum=1,
        maximum=MOST_POUNDS,
        description=description,
        validators=[InputRequired(message=WHOLE_POUNDS)],
    )


def _hidden_id():
    return WholeNumberField(
        "", widget=HiddenInput(), minimum=1, maximum=2**62, validators=[InputRequired()]
    )


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes whose values are ids: anything else is refused in our own words."""

    widget = GovCheckboxesInput()
    option_widget = CheckboxInput()
    choices: Sequence[tuple[Any, ...]] | None  # (value, label): never grouped

    def process_formdata(self, valuelist):
        try:
            self.data = [self.coerce(value) for value in valuelist]
        except (TypeError, ValueError):
            self.data = []
            raise ValueError(str(_l("Choose from the list"))) from None

    def pre_validate(self, form):
        known = {value for value, *_rest in self.choices or []}
        if any(value not in known for value in self.data or []):
            raise ValidationError(str(_l("Choose from the list")))


class RoundForm(BaseForm):
    title = text_field(_l("Title"), 200, required=_l("Enter a title"))
    description = text_field(_l("What the money is for"), 3000, area=True)
    priorities = text_field(
        _l("Priority themes (optional)"),
        2000,
        area=True,
        description=_l("One a line, like “Safe places to go”. Bidders say which one they meet."),
    )
    eligibility = text_field(
        _l("Who may bid (optional)"),
        2000,
        area=True,
        description=_l("For example: voluntary and community groups working in the county"),
    )
    pot = _pounds(
        _l("Pot (£)"),
        _l(
            "The money the ambassadors decide on, in whole pounds. You can split it into "
            "area pots on the round's page while it is a draft."
        ),
    )
    max_bid = _pounds(_l("Largest bid (£)"))
    ballot_type = RadioChoiceField(
        _l("How ambassadors vote"),
        message=_l("Choose how ambassadors vote"),
        choices=[(kind.value, kind.label) for kind in BallotType],
        default=BallotType.APPROVAL.value,
    )
    max_choices = WholeNumberField(
        _l("How many projects each may tick (for “up to a number”)"), minimum=1, maximum=10_000
    )
    points = WholeNumberField(
        _l("How many points each spreads (for points)"), minimum=1, maximum=1_000_000
    )
    rule = RadioChoiceField(
        _l("How the votes are counted"),
        message=_l("Choose how the votes are counted"),
        choices=[(rule.value, rule.label) for rule in CountingRule],
        default=CountingRule.MES.value,
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
    organisation = OptionalChoiceField(
        _l("Organisation"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the organisation"))],
    )
    pot_id = OptionalChoiceField(
        _l("Which pot"),
        description=_l("Each area has its own pot, voted on by the ambassadors from there"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the pot this bid is for"))],
    )
    theme = OptionalChoiceField(_l("Which of the round's priorities it meets"))
    title = text_field(_l("Project title"), 120, required=_l("Enter a project title"))
    summary = text_field(
        _l("Summary in plain words"),
        1500,
        required=_l("Write a short summary"),
        area=True,
        description=_l("Ambassadors aged 14 to 24 read this. Short sentences and everyday words."),
    )
    title_pl = text_field(_l("Project title in Polish (optional)"), 120)
    summary_pl = text_field(
        _l("Summary in Polish (optional)"),
        1500,
        area=True,
        description=_l("Shown to people reading the site in Polish; without it they see the "
                       "English, marked as English."),
    )  # fmt: skip
    cost = _pounds(_l("Cost (£)"))
    area = text_field(_l("Where it happens"), 120)
    prevention_level = RadioChoiceField(
        _l("Who it is for"),
        message=_l("Choose who it is for"),
        choices=[(level.value, level.label) for level in PreventionLevel],
        default=PreventionLevel.PRIMARY.value,
    )
    minimum_age = WholeNumberField(_l("Youngest age (optional)"), maximum=120)
    maximum_age = WholeNumberField(_l("Oldest age (optional)"), maximum=120)
    reach = WholeNumberField(
        _l("How many young people it will reach (optional)"), maximum=10_000_000
    )
    evidence = text_field(_l("Evidence it works (optional)"), 3000, area=True)
    submit = submit_field(_l("Send bid"))

    def values(self) -> dict:
        data = {name: self[name].data for name in BID_FIELDS if name in self}
        data.setdefault("pot_id", self.single_pot)
        for name in ("area", "evidence", "theme", "title_pl", "summary_pl"):
            data[name] = data.get(name) or ""
        return data


class WithdrawForm(BaseForm):
    """Withdraw a bid: the button is the whole form."""


class AdvanceForm(BaseForm):
    """Move a round on; `from_phase` is the phase the officer saw, so a second click (or a
    second officer) moves nothing further."""

    from_phase = StringField(
        widget=HiddenInput(), validators=[InputRequired(), AnyOf([p.value for p in Phase])]
    )


class ShortlistRow(RowForm):
    bid_id = _hidden_id()
    chosen = BooleanField()
    reason = text_field(None, 1000)


class ShortlistForm(BaseForm):
    bids = FieldList(FormField(ShortlistRow), max_entries=MOST_ENTRIES)
    submit = submit_field(_l("Save shortlist"))


class AppointForm(BaseForm):
    email = text_field(
        _l("Add someone to the panel by their email address"),
        254,
        required=_l("Enter an email address"),
        description=_l("Officers, youth ambassadors or community members with an account"),
    )
    submit = submit_field(_l("Add to panel"))


class RescoreForm(BaseForm):
    score_id = _hidden_id()


class CountForm(AdvanceForm):
    """Count the votes (in the phase the officer saw)."""


class AddPotForm(BaseForm):
    name = text_field(
        _l("Name, like North"), 80, required=_l("Enter a name for the pot, like North")
    )
    amount = _pounds(_l("Amount (£)"))
    areas = MultiCheckboxField(
        _l("Its areas"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the areas whose ambassadors vote in it"))],
    )
    submit = submit_field(_l("Add pot"))


class RemovePotForm(BaseForm):
    pot_id = _hidden_id()


SCORES = [("", _l("Choose a score"))] + [(str(n), str(n)) for n in range(6)]


def _score(label):
    return OptionalChoiceField(
        label,
        choices=SCORES,
        invalid=_l("Give every criterion a score from 0 to 5"),
        validators=[InputRequired(message=_l("Give every criterion a score from 0 to 5"))],
    )


class ScoreForm(BaseForm):
    """A reviewer's scores for one bid (the page holds one per bid, each with its prefix)."""

    reach = _score(_l("Reach: how many of the right young people it will reach"))
    evidence = _score(_l("Evidence: how sure we can be that it works"))
    value_for_money = _score(_l("Value for money"))
    fit = _score(_l("Fit with the partnership's strategy"))
    comment = text_field(_l("Comment"), 2000, area=True)
    submit = submit_field(_l("Save scores"))

    def marks(self) -> dict[str, int]:
        return {key: int(self[key].data) for key in ("reach", "evidence", "value_for_money", "fit")}


class ConflictForm(BaseForm):
    note = text_field(_l("Why you are stepping back (optional, only officers see it)"), 1000)
    submit = submit_field(_l("Declare a conflict of interest"))


class BallotRow(RowForm):
    """One shortlisted project on a ballot: ticked, or given points. The page labels each row
    with its project; labels given here spare every row of every ballot a lookup of the
    default label's translation."""

    bid_id = _hidden_id()
    ticked = BooleanField("")
    points = WholeNumberField("", maximum=1_000_000)


class BallotForm(BaseForm):
    ballot = FieldList(FormField(BallotRow), max_entries=MOST_ENTRIES)

    def choices(self, points: bool) -> dict[int, int]:
        """bid id -> points (1 for a tick); a project sent twice is sent wrongly."""
        rows = [row.form for row in self.ballot]
        choices = {
            row.bid_id.data: (row.points.data or 0) if points else int(row.ticked.data)
            for row in rows
        }
        if len(choices) != len(rows):
            raise ValueError("a project was sent twice")
        return choices


class EmptyBallotForm(BaseForm):
    """Save an empty ballot, once the voter has been asked: the button is the whole form."""

    submit = submit_field(_l("Yes, save an empty ballot"))


class PaperBallotForm(BallotForm):
    paper_ref = text_field(
        _l("Number written on the paper"), 32, required=_l("Enter the number written on the paper")
    )


class PaperVoterForm(BaseForm):
    ambassador = OptionalChoiceField(
        _l("Youth ambassador who handed in a paper"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose an ambassador"))],
    )
    submit = submit_field(_l("Record that they voted on paper"))


class AmbassadorAreasForm(BaseForm):
    areas = MultiCheckboxField(
        _l("Areas"),
        description=_l(
            "Where they live or spend their time. They vote in the area pots for these areas."
        ),
        coerce=int,
        validators=[Optional()],
    )
    submit = submit_field(_l("Save areas"))


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


class PabulibImportForm(BaseForm):
    file = FileField(
        _l("A pabulib .pb file"),
        widget=GovFileInput(),
        validators=[FileRequired(message=_l("Choose a .pb file to upload"))],
    )
    title = text_field(_l("Title for the round (optional)"), 200)
    submit = submit_field(_l("Import"))
