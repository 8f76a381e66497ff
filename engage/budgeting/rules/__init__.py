"""Participatory budgeting voting rules, as a plain library (no Flask): elections, pabulib
files, the greedy rule and the Method of Equal Shares, in exact rational arithmetic."""

from engage.budgeting.rules.election import Election, Satisfaction, VoteType
from engage.budgeting.rules.greedy import greedy
from engage.budgeting.rules.mes import equal_shares, equal_shares_add1

__all__ = ["Election", "Satisfaction", "VoteType", "equal_shares", "equal_shares_add1", "greedy"]
