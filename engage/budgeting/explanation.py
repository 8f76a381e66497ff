"""A counted pot in plain words, in the reader's language: how the money was shared, one
sentence per project not funded saying why, and how many voters backed a winner under each
rule. Every number comes from the kept result (see reasons.py); only the words are chosen here."""

from dataclasses import dataclass

from babel.lists import format_list
from flask_babel import format_percent, ngettext
from flask_babel import gettext as _

from engage.budgeting.models import Bid
from engage.budgeting.results import PaymentGroup, PotResult, WhyNot, WhyNotRecord
from engage.i18n import current_locale, money, money_pence

NAMED = 3  # projects named in a sentence before "and N other projects"


@dataclass(frozen=True)
class Reason:
    """Why one project was not funded."""

    bid: Bid
    sentence: str


def title(bid: Bid) -> str:
    return bid.title


def pounds(amount: float) -> str:
    """Money as people say it: whole pounds when there are no pence (£1,499), else with them."""
    return money(int(amount)) if amount == int(amount) else money_pence(amount)


def names(pids: list[str], bids: dict[str, Bid]) -> str:
    """Projects as a list in the reader's language: "A, B and 2 other projects"."""
    shown = [title(bids[pid]) for pid in pids[:NAMED]]
    rest = len(pids) - len(shown)
    if rest:
        shown.append(ngettext("%(num)d other project", "%(num)d other projects", rest))
    return format_list(shown, locale=current_locale())


def _spent(why: WhyNotRecord, bids: dict[str, Bid]) -> str:
    values = {"title": title(bids[why.project]), "winners": names(why.went_to, bids)}
    if why.spenders == why.backers:
        return ngettext(
            "The one person who backed %(title)s had already spent their share on %(winners)s.",
            "All %(num)d people who backed %(title)s had already spent their share on %(winners)s.",
            why.backers,
            **values,
        )
    return ngettext(
        "Of the %(backers)d people who backed %(title)s, %(num)d had already spent their share "
        "on %(winners)s.",
        "Of the %(backers)d people who backed %(title)s, %(num)d had already spent their share "
        "on %(winners)s.",
        why.spenders,
        backers=why.backers,
        **values,
    )


def _no_room(why: WhyNotRecord, bids: dict[str, Bid], points: bool) -> str:
    if len(why.went_to) > NAMED:
        return _no_room_counted(why, bids, points)
    values = {
        "title": title(bids[why.project]),
        "cost": money(why.cost),
        "left": pounds(why.money),
        "winners": names(why.went_to, bids),
    }
    if points and why.tied:
        return _(
            "%(title)s needed %(cost)s, but only %(left)s was left after %(winners)s, which had "
            "as many points or more.",
            **values,
        )
    if points:
        return _(
            "%(title)s needed %(cost)s, but only %(left)s was left after %(winners)s, which had "
            "more points.",
            **values,
        )
    if why.tied:
        return _(
            "%(title)s needed %(cost)s, but only %(left)s was left after %(winners)s, which had "
            "as many votes or more.",
            **values,
        )
    return _(
        "%(title)s needed %(cost)s, but only %(left)s was left after %(winners)s, which had "
        "more votes.",
        **values,
    )


def _no_room_counted(why: WhyNotRecord, bids: dict[str, Bid], points: bool) -> str:
    """As _no_room, for a project with many funded before it: they are counted, not named."""
    values = {"title": title(bids[why.project]), "cost": money(why.cost), "left": pounds(why.money)}
    ahead = len(why.went_to)
    if points and why.tied:
        return ngettext(
            "%(title)s needed %(cost)s, but only %(left)s was left after the %(num)d project "
            "with as many points or more.",
            "%(title)s needed %(cost)s, but only %(left)s was left after the %(num)d projects "
            "with as many points or more.",
            ahead,
            **values,
        )
    if points:
        return ngettext(
            "%(title)s needed %(cost)s, but only %(left)s was left after the %(num)d project "
            "with more points.",
            "%(title)s needed %(cost)s, but only %(left)s was left after the %(num)d projects "
            "with more points.",
            ahead,
            **values,
        )
    if why.tied:
        return ngettext(
            "%(title)s needed %(cost)s, but only %(left)s was left after the %(num)d project "
            "with as many votes or more.",
            "%(title)s needed %(cost)s, but only %(left)s was left after the %(num)d projects "
            "with as many votes or more.",
            ahead,
            **values,
        )
    return ngettext(
        "%(title)s needed %(cost)s, but only %(left)s was left after the %(num)d project with "
        "more votes.",
        "%(title)s needed %(cost)s, but only %(left)s was left after the %(num)d projects with "
        "more votes.",
        ahead,
        **values,
    )


def why_not(why: WhyNotRecord, bids: dict[str, Bid], points: bool, pot: int) -> str:
    """The one sentence that says why a project was not funded."""
    name = title(bids[why.project])
    if why.reason == WhyNot.NO_VOTES:
        return _("No one voted for %(title)s.", title=name)
    if why.reason == WhyNot.TOO_DEAR:
        return _(
            "%(title)s costs %(cost)s, more than the whole %(pot)s pot.",
            title=name,
            cost=money(why.cost),
            pot=money(pot),
        )
    if why.reason == WhyNot.FEW_BACKERS:
        return ngettext(
            "Only one person backed %(title)s, and their share of %(money)s was less than its "
            "%(cost)s cost.",
            "The %(num)d people who backed %(title)s had %(money)s between them, less than its "
            "%(cost)s cost.",
            why.backers,
            title=name,
            money=pounds(why.money),
            cost=money(why.cost),
        )
    if why.reason == WhyNot.SPENT:
        return _spent(why, bids)
    if why.reason == WhyNot.FREE:
        return _(
            "%(title)s costs %(cost)s, and equal shares weighs projects by their cost, so it "
            "was not chosen.",
            title=name,
            cost=money(0),
        )
    return _no_room(why, bids, points)


def reasons(record: PotResult, bids: dict[str, Bid], points: bool) -> list[Reason]:
    """One sentence for each shortlisted project not funded, in the order of the count."""
    return [
        Reason(bids[why.project], why_not(why, bids, points, record.amount))
        for why in record.why_not or []
        if why.project in bids
    ]


def _everything_fitted(record: PotResult) -> bool:
    return bool(record.selected) and all(
        why.reason == WhyNot.NO_VOTES for why in record.why_not or []
    )


def how_shared(record: PotResult, points: bool) -> list[str]:
    """How the rule shared the money, in a few short sentences."""
    if _everything_fitted(record):
        return [_("There was enough money for every project someone voted for, so all are funded.")]
    if record.rule == "mes":
        return _equal_shares(record, points)
    return [
        _("We put the projects in order, the most points first.")
        if points
        else _("We put the projects in order, the most votes first."),
        _("We funded each one in turn if enough money was left. If not, we skipped it."),
    ]


def _equal_shares(record: PotResult, points: bool) -> list[str]:
    said = [
        _("Everyone who voted got an equal share of the pot."),
        _("Your share could only pay for projects you backed."),
        ngettext(
            "At first, the one person who voted had all of it: %(share)s.",
            "At first, each of the %(num)d people who voted had %(share)s.",
            record.choosers or 0,
            share=pounds(record.equal_share or 0),
        ),
    ]
    if record.share is not None and record.share != record.equal_share:
        said += [
            _("Then we made each share one pound bigger at a time, so more of the pot is used."),
            _(
                "We stopped at %(share)s each. One pound more, and the projects would have cost "
                "more than the pot.",
                share=pounds(record.share),
            ),
        ]
    return [
        *said,
        _("Then we funded projects one by one."),
        _("Each time, we chose the project where each point cost its backers the least.")
        if points
        else _("Each time, we chose the project where each backer paid the smallest part of it."),
        _("Its backers paid for it from their shares."),
        _("Once people had spent their share, they could not help pay for anything else."),
    ]


def fairness(record: PotResult, points: bool) -> list[str]:
    """How many voters backed at least one funded project, and how many would have under the
    other rule."""
    voters = record.choosers or 0
    if not voters or record.backed_funded is None or record.other_backed_funded is None:
        return []
    said = [
        ngettext(
            "%(num)d of %(voters)d voters (%(percent)s) backed at least one funded project.",
            "%(num)d of %(voters)d voters (%(percent)s) backed at least one funded project.",
            record.backed_funded,
            voters=voters,
            percent=format_percent(record.backed_funded / voters),
        )
    ]
    other = {
        "num": record.other_backed_funded,
        "voters": voters,
        "percent": format_percent(record.other_backed_funded / voters),
    }
    if record.other_rule == "mes":
        said.append(
            _("With equal shares, it would have been %(num)d of %(voters)d (%(percent)s).", **other)
        )
    elif points:
        said.append(
            _(
                "With the most points first, it would have been %(num)d of %(voters)d "
                "(%(percent)s).",
                **other,
            )
        )
    else:
        said.append(
            _(
                "With the most votes first, it would have been %(num)d of %(voters)d "
                "(%(percent)s).",
                **other,
            )
        )
    return said


def empty_ballots(record: PotResult) -> str:
    count = record.empty_ballots
    if not count:
        return ""
    return ngettext(
        "%(num)d person saved an empty ballot: they took part but chose no project.",
        "%(num)d people saved an empty ballot: they took part but chose no project.",
        count,
    )


def paid(group: PaymentGroup) -> str:
    """Who paid what towards a funded project, as a line of the picture's text equivalent."""
    if group.low != group.high:
        values = {
            "low": pounds(group.low),
            "high": pounds(group.high),
            "total": pounds(group.total),
        }
        if group.all_left:
            return ngettext(
                "%(num)d person paid all they had left, %(total)s in all.",
                "%(num)d people paid all they had left: between %(low)s and %(high)s each, "
                "%(total)s in all.",
                group.people,
                **values,
            )
        return ngettext(
            "%(num)d person paid %(total)s.",
            "%(num)d people paid between %(low)s and %(high)s each, %(total)s in all.",
            group.people,
            **values,
        )
    if group.all_left:
        return ngettext(
            "%(num)d person paid %(each)s: all they had left.",
            "%(num)d people paid %(each)s each: all they had left.",
            group.people,
            each=pounds(group.low),
        )
    return ngettext(
        "%(num)d person paid %(each)s.",
        "%(num)d people paid %(each)s each.",
        group.people,
        each=pounds(group.low),
    )
