"""The Method of Equal Shares (MES): the budget is split equally between voters; a project is
bought by its supporters, each paying in proportion to how much they value it (`price` per
unit of satisfaction) or everything they have left; at each step the project with the lowest
price is funded. With Add1, the voters' shares are raised 1% at a time while the outcome still
fits the real budget, then the greedy rule fills what is left.

Exact: all money is held as fractions, as the reference implementation (pabutools) does.
Fast: voters with the same money left and the same satisfaction are handled as one group, so
the work per step grows with the number of distinct amounts, not the number of voters. Each
amount also has a float copy, used only to skip exact work whose outcome is certain: a float
sum of n non-negative terms is within n × 2^-53 of the exact one, so a project whose float
spending is further than TOLERANCE from its cost is certainly short of (or over) it; and every
price comes from exact fractions, its float guess checked exactly before it is trusted.

Add1 re-runs MES for every 1% raise but keeps only one run's outcome; the others only need
which projects they choose. Those runs hold floats only, each amount with a bound on its
distance from the exact one (see `_Bounds`), and settle a choice only when the bounds prove
it: every price is bracketed, and the winner's bracket lies wholly below every other's. When
they cannot (a near or exact tie), that raise is run exactly; the kept raise is always re-run
exactly, for its prices and steps."""

from engage.budgeting.rules.mes.add1 import equal_shares_add1, equal_shares_add1_units
from engage.budgeting.rules.mes.outcome import MESOutcome, MESStep, Unfunded
from engage.budgeting.rules.mes.run import equal_shares, is_exhaustive

__all__ = [
    "MESOutcome",
    "MESStep",
    "Unfunded",
    "equal_shares",
    "equal_shares_add1",
    "equal_shares_add1_units",
    "is_exhaustive",
]
