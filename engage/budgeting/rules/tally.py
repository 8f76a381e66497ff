"""Choosing a rule by name, as rounds and the command line do."""

from engage.budgeting.rules.election import Election, Satisfaction, TieBreak, lexicographic
from engage.budgeting.rules.greedy import Outcome, greedy
from engage.budgeting.rules.mes import MESOutcome, equal_shares, equal_shares_add1

RULES = ("greedy", "mes")
COMPLETIONS = ("none", "add1")


def tally(
    election: Election,
    rule: str,
    satisfaction: Satisfaction | None = None,
    completion: str = "none",
    tie_break: TieBreak = lexicographic,
) -> Outcome | MESOutcome:
    if rule == "greedy":
        return greedy(election, satisfaction, tie_break=tie_break)
    if rule != "mes":
        raise ValueError(f"unknown rule {rule!r}; use one of {RULES}")
    if completion == "add1":
        return equal_shares_add1(election, satisfaction, tie_break)
    if completion != "none":
        raise ValueError(f"unknown completion {completion!r}; use one of {COMPLETIONS}")
    return equal_shares(election, satisfaction, tie_break=tie_break)
