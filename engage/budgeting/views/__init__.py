"""Participatory budgeting pages: rounds for everyone, set-up and counting for officers, bids
for providers, review for the panel, ballots for youth ambassadors, and published results. One
blueprint; each module holds the pages of one job, each POST a route and a form of its own."""

from engage.budgeting.pots import pot_name
from engage.budgeting.views import ballots, bids, manage, review, rounds
from engage.budgeting.views.common import bp

PAGES = (ballots, bids, manage, review, rounds)  # imported for their routes on `bp`


def register(app) -> None:
    app.jinja_env.globals.update(pot_name=pot_name)
    app.jinja_env.filters["bid_title_of"] = lambda pid, titles: titles[pid]


__all__ = ["bp", "register"]
