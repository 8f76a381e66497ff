"""The results' one picture: the pot cut into the projects it paid for, and under equal shares
each funded project's cost cut into what its backers paid from their shares. Drawn on the
server as SVG (engage.charts), with the same facts as a list beside it."""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from engage.budgeting.explanation import paid, title
from engage.budgeting.models import Bid
from engage.budgeting.results import MESStepRecord, PotResult
from engage.charts import Part, SplitBar, split_bars
from engage.i18n import money

FULL, SECOND, LEFT_OVER = 0, 1, 3  # colours: a full part (or a project), the next, unspent
ALL_LEFT = 2  # colour of what backers paid when it was all they had left
MOST_SLICES = 40  # up to this many backers, each one's payment is its own slice of the bar


@dataclass(frozen=True)
class Split:
    """A funded project in the picture's list: how its cost was paid."""

    number: int
    title: str
    cost: int
    lines: list[str]


@dataclass(frozen=True)
class Picture:
    svg: Markup
    pot_line: str
    splits: list[Split]


def _pot_bar(record: PotResult, bids: dict[str, Bid]) -> SplitBar:
    parts = [
        Part(bids[pid].cost, FULL if n % 2 else SECOND, str(n))
        for n, pid in enumerate(record.selected, start=1)
    ]
    if record.left > 0:
        parts.append(Part(record.left, LEFT_OVER))
    return SplitBar(_("The pot: %(pot)s", pot=money(record.amount)), record.amount, tuple(parts))


def _slices(step: MESStepRecord) -> tuple[Part, ...]:
    """Each backer's payment as a slice when there are few; otherwise one slice per group."""
    slices = []
    for group in step.payments:
        colour = ALL_LEFT if group.all_left else FULL
        if step.supporters <= MOST_SLICES and group.low == group.high:
            slices += [Part(group.low, colour)] * group.people
        else:
            slices.append(Part(group.total, colour))
    return tuple(slices)


def _project_bar(number: int, step: MESStepRecord, bids: dict[str, Bid]) -> SplitBar:
    label = f"{number}. {title(bids[step.project])}: {money(step.cost)}"
    return SplitBar(label, step.cost, _slices(step))


def pot_line(record: PotResult) -> str:
    return ngettext(
        "The %(pot)s pot: %(used)s went to %(num)d project, and %(left)s was not spent.",
        "The %(pot)s pot: %(used)s went to %(num)d projects, and %(left)s was not spent.",
        len(record.selected),
        pot=money(record.amount),
        used=money(record.cost),
        left=money(record.left),
    )


def picture(record: PotResult, bids: dict[str, Bid]) -> Picture:
    """The picture and its text equivalent for one pot."""
    bars = [_pot_bar(record, bids)]
    splits = []
    mes_steps = [s for s in record.steps if isinstance(s, MESStepRecord) and s.payments]
    numbers = {pid: n for n, pid in enumerate(record.selected, start=1)}
    for step in mes_steps:
        number = numbers[step.project]
        bars.append(_project_bar(number, step, bids))
    steps = {s.project: s for s in mes_steps}
    for pid, number in numbers.items():
        lines = [paid(group) for group in steps[pid].payments] if pid in steps else []
        splits.append(Split(number, title(bids[pid]), bids[pid].cost, lines))
    legend = (
        ((_("Paid from a share"), FULL), (_("Paid all they had left"), ALL_LEFT))
        if mes_steps
        else ()
    )
    heading = (
        _("How the %(name)s pot was shared", name=record.name)
        if record.name
        else _("How the pot was shared")
    )
    svg = split_bars(
        heading,
        bars,
        legend,
        _(
            "The pot, cut into the projects it paid for; then each project's cost, cut into "
            "what its backers paid. The list that follows gives the same facts."
        ),
    )
    return Picture(Markup(svg), pot_line(record), splits)
