"""Run pabutools (the reference, a test-only dependency) on the same election as our rules."""

from fractions import Fraction

from pabutools.election import (
    ApprovalBallot,
    ApprovalProfile,
    Cardinality_Sat,
    Cost_Sat,
    CumulativeBallot,
    CumulativeProfile,
    Instance,
    Project,
)
from pabutools.election.satisfaction import Additive_Cardinal_Sat
from pabutools.rules import (
    completion_by_rule_combination,
    exhaustion_by_budget_increase,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)

from engage.budgeting.rules import Election, Satisfaction

SAT = {
    Satisfaction.COST: Cost_Sat,
    Satisfaction.CARDINALITY: Cardinality_Sat,
    Satisfaction.POINTS: Additive_Cardinal_Sat,
}


def to_pabutools(election: Election):
    projects = {pid: Project(pid, cost) for pid, cost in election.costs.items()}
    instance = Instance(projects.values(), budget_limit=election.budget)
    if election.default_satisfaction() is Satisfaction.POINTS:
        ballots = [
            CumulativeBallot({projects[pid]: Fraction(v) for pid, v in ballot.items()})
            for ballot in election.ballots
        ]
        return instance, CumulativeProfile(ballots, instance=instance)
    ballots = [ApprovalBallot([projects[pid] for pid in ballot]) for ballot in election.ballots]
    return instance, ApprovalProfile(ballots, instance=instance)


def run_reference(instance, profile, rule: str, sat: Satisfaction) -> list[str]:
    """pabutools' outcome for greedy, mes or add1 (MES then Add1 then greedy), sorted ids."""
    sat_class = SAT[sat]
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=sat_class)
    elif rule == "mes":
        outcome = method_of_equal_shares(instance, profile, sat_class=sat_class)
    else:
        outcome = completion_by_rule_combination(
            instance,
            profile,
            [exhaustion_by_budget_increase, greedy_utilitarian_welfare],
            [
                {"rule": method_of_equal_shares, "rule_params": {"sat_class": sat_class}},
                {"sat_class": sat_class},
            ],
        )
    return sorted(p.name for p in outcome)


def reference(election: Election, rule: str, sat: Satisfaction) -> list[str]:
    instance, profile = to_pabutools(election)
    return run_reference(instance, profile, rule, sat)
