"""Forms for monitoring returns: the provider's return (a box per age band for each target area
and for elsewhere, then gender, ethnic group and new or returning), the officer's decision, and
the target an officer sets."""

from flask_babel import lazy_gettext as _l

from engage.feedback.reach import DIMENSIONS, NOT_SAID
from engage.feedback.vocabulary import group_label
from engage.forms import (
    BaseForm,
    IdsField,
    WholeNumberField,
    submit_field,
    text_field,
)
from engage.geo.models import Area
from engage.monitoring.logic import ReturnValues, Target
from engage.monitoring.models import OTHER_AREAS, AgeBand

RETURNING = {"new": _l("New this quarter"), "returning": _l("Came before")}


def count_field(label) -> WholeNumberField:
    return WholeNumberField(label, minimum=0, maximum=100_000)


class ReturnForm(BaseForm):
    sessions = WholeNumberField(
        _l("Sessions held this quarter"),
        minimum=0,
        maximum=10_000,
        validators=[],
    )
    story = text_field(
        _l("What happened: a short story (it may be published, so no names)"), 2000, area=True
    )
    submit = submit_field(_l("Send the return"))

    def values(self, rows: list[str]) -> ReturnValues:
        cohort: dict[str, dict[str, int]] = {}
        for row in rows:
            for band in AgeBand:
                n = self[cohort_field(row, band)].data
                if n:
                    cohort.setdefault(row, {})[band.value] = n
        return ReturnValues(
            sessions=self.sessions.data or 0,
            cohort=cohort,
            gender=self._counts("gender", (*DIMENSIONS["gender"], NOT_SAID)),
            ethnicity=self._counts("ethnicity", (*DIMENSIONS["ethnicity"], NOT_SAID)),
            returning=self._counts("returning", tuple(RETURNING)),
            story=self.story.data or "",
        )

    def _counts(self, dimension: str, groups: tuple[str, ...]) -> dict[str, int]:
        found = {g: self[count_name(dimension, g)].data for g in groups}
        return {g: n for g, n in found.items() if n}


def cohort_field(row: str, band: str) -> str:
    return f"cohort__{row.replace('-', '_')}__{band}"


def count_name(dimension: str, group: str) -> str:
    return f"count__{dimension}__{group}"


def return_form(target: Target, **kwargs) -> ReturnForm:
    """A return form with a row of age boxes for each target area and one for elsewhere."""

    class Form(ReturnForm):
        pass

    for row, name in [*((a.code, a.name) for a in target.areas), (OTHER_AREAS, None)]:
        for band in AgeBand:
            label = f"{name or _l('Other areas')}: {band.label}"
            setattr(Form, cohort_field(row, band), count_field(label))
    for dimension in ("gender", "ethnicity"):
        for group in (*DIMENSIONS[dimension], NOT_SAID):
            label = group_label(dimension, group)
            setattr(Form, count_name(dimension, group), count_field(label))
    for group, label in RETURNING.items():
        setattr(Form, count_name("returning", group), count_field(label))
    return Form(**kwargs)


def fill(form: ReturnForm, target: Target, profile: dict, sessions: int, story: str) -> None:
    """Put a return sent before back in the boxes (to change it)."""
    form.sessions.data, form.story.data = sessions, story
    for row, counts in (profile.get("cohort") or {}).items():
        for band, n in counts.items():
            name = cohort_field(row, band)
            if name in form:
                form[name].data = n
    for dimension in ("gender", "ethnicity", "returning"):
        for group, n in (profile.get(dimension) or {}).items():
            name = count_name(dimension, group)
            if name in form:
                form[name].data = n


class AcceptForm(BaseForm):
    submit = submit_field(_l("Accept the return"))


class ChangesForm(BaseForm):
    note = text_field(_l("What needs to change"), 2000, area=True)
    submit = submit_field(_l("Ask for changes"))


class TargetForm(BaseForm):
    minimum_age = WholeNumberField(_l("Youngest age in the target cohort"), 0, 120)
    maximum_age = WholeNumberField(_l("Oldest age in the target cohort"), 0, 120)
    area_ids = IdsField(_l("Areas the project is for"))
    share = WholeNumberField(
        _l("Share of participants expected from the cohort, as a percentage"), 0, 100
    )
    participants = WholeNumberField(_l("How many people it expects to reach in all (optional)"))
    quarters = WholeNumberField(_l("How many quarterly returns are due"), 1, 20)
    submit = submit_field(_l("Save the target"))

    def complete(self) -> bool:
        required = (self.minimum_age, self.maximum_age, self.share, self.quarters)
        missing = [f for f in required if f.data is None]
        for f in missing:
            f.errors = [*f.errors, str(_l("Enter a whole number"))]
        return not missing


def area_choices(areas: list[Area]) -> list[tuple[int, str]]:
    return [(a.id, a.name) for a in areas]
