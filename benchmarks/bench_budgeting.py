"""Participatory-budgeting rule figures: our library (engage.budgeting.rules) against pabutools
1.2.3, the reference implementation, on the same elections, with the issue's targets.

1. Generated approval elections, 1k, 10k and 100k voters × 50 and 150 projects (costs £5,000 to
   £200,000, budget about a quarter of the total cost, each voter approving 1 to 8 projects
   chosen with skewed popularity; fixed seeds). Each is written to .pb text with our writer;
   both parsers read that same text. Then greedy, MES and MES+Add1 (cost satisfaction) in both
   libraries: times, the ratio pabutools/ours, and whether the selected sets are identical.
2. One cumulative election, 10k voters × 50 projects, each voter spreading 10 points over 1 to 5
   projects: greedy and MES with points satisfaction.
3. `python benchmarks/bench_budgeting.py a.pb b.pb` compares on those files instead.

pabutools runs in a child process with a time budget per call (TIMEOUT); a call over budget is
stopped and its ratio printed as a lower bound. pabutools' Add1 is not run at 100k voters: it
re-runs MES for every 1% budget raise, and one of its MES runs there already takes 7 to 25
seconds, so it would take tens of minutes. Timings are printed, never asserted; the fastest of
a few runs is kept when a run is short."""

import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from engage.budgeting.rules import (
    Election,
    Satisfaction,
    VoteType,
    equal_shares,
    equal_shares_add1,
    greedy,
    pabulib,
)

SIZES = [(1_000, 50), (1_000, 150), (10_000, 50), (10_000, 150), (100_000, 50), (100_000, 150)]
CUMULATIVE_SIZE = (10_000, 50)
TIMEOUT = 120.0  # seconds per pabutools call
REFERENCE_ADD1_MAX_VOTERS = 50_000  # beyond this pabutools' Add1 takes too long
TARGET_RATIO = 50
TARGET_SECONDS = 1.0
TARGETS = {("greedy", 100_000), ("mes", 100_000), ("add1", 10_000)}  # (rule, voters)
REPEAT_BUDGET = 0.5  # repeat a measurement while the runs so far took less than this
REPEAT_MOST = 5
APPROVALS_PER_BALLOT = np.array([20, 20, 17, 13, 10, 8, 7, 5]) / 100  # 1 to 8 projects

OURS: dict[str, Callable] = {"greedy": greedy, "mes": equal_shares, "add1": equal_shares_add1}
RULE_NAMES = {"greedy": "greedy", "mes": "MES", "add1": "MES+Add1"}


@dataclass
class Measure:
    seconds: float | None  # None: stopped at TIMEOUT, failed or not run
    selected: list[str] | None = None
    note: str = ""


@dataclass
class Row:
    election: str
    rule: str
    ours: Measure
    reference: Measure


summary: list[Row] = []
targets: list[tuple[str, str, bool]] = []  # what, measured, met


# -- elections


def _costs(rng: np.random.Generator, projects: int) -> dict[str, Fraction]:
    raw = rng.lognormal(np.log(40_000), 0.8, projects)
    costs = np.clip(np.round(raw, -2), 5_000, 200_000).astype(np.int64)
    return {str(i): Fraction(int(c)) for i, c in enumerate(costs.tolist(), start=1)}


def _popularity(rng: np.random.Generator, projects: int) -> np.ndarray:
    """Zipf-like weights (the favourite is about `projects` times as popular as the least),
    shuffled so that popularity is unrelated to project id and cost."""
    weights = 1 / np.arange(1, projects + 1) ** 0.9
    rng.shuffle(weights)
    return weights


def _budget(costs: dict[str, Fraction]) -> Fraction:
    return Fraction(round(int(sum(costs.values())) / 4, -3))


def approval_election(voters: int, projects: int, seed: int) -> Election:
    """Each voter approves 1 to 8 projects, drawn without replacement in proportion to their
    popularity (Efraimidis-Spirakis keys: the k largest log(u) / weight)."""
    rng = np.random.default_rng(seed)
    costs = _costs(rng, projects)
    ids = list(costs)
    weights = _popularity(rng, projects)
    sizes = rng.choice(np.arange(1, 9), size=voters, p=APPROVALS_PER_BALLOT).tolist()
    one = Fraction(1)
    ballots = []
    for start in range(0, voters, 10_000):
        keys = np.log(rng.random((min(10_000, voters - start), projects))) / weights
        ranked = np.argsort(-keys, axis=1)[:, :8].tolist()
        for row, size in zip(ranked, sizes[start : start + len(ranked)], strict=True):
            ballots.append(dict.fromkeys((ids[j] for j in row[:size]), one))
    return Election(costs, _budget(costs), ballots)


def cumulative_election(voters: int, projects: int, seed: int) -> Election:
    """Each voter spreads 10 points over 1 to 5 projects (drawn by popularity as above)."""
    rng = np.random.default_rng(seed)
    costs = _costs(rng, projects)
    ids = list(costs)
    weights = _popularity(rng, projects)
    sizes = rng.integers(1, 6, size=voters).tolist()
    keys = np.log(rng.random((voters, projects))) / weights
    ranked = np.argsort(-keys, axis=1)[:, :5].tolist()
    ballots = []
    for row, size in zip(ranked, sizes, strict=True):
        cuts = sorted(rng.choice(np.arange(1, 10), size - 1, replace=False).tolist())
        points = np.diff([0, *cuts, 10]).tolist()
        ballots.append({ids[j]: Fraction(p) for j, p in zip(row[:size], points, strict=True)})
    return Election(costs, _budget(costs), ballots, VoteType.CUMULATIVE)


# -- measuring


def _best(func: Callable[[], object]) -> tuple[float, object]:
    """The fastest of a few runs (one when a run is slow) and the last result."""
    best, spent, result = float("inf"), 0.0, None
    for _ in range(REPEAT_MOST):
        started = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - started
        best, spent = min(best, seconds), spent + seconds
        if spent >= REPEAT_BUDGET:
            break
    return best, result


def _reference_rule(instance, profile, rule: str, sat: Satisfaction) -> list[str]:
    """As the tests run pabutools, on pabutools' own parse of the file."""
    from tests.budgeting.reference import run_reference

    return run_reference(instance, profile, rule, sat)


def _reference_worker(text: str, rules: list[str], sat: Satisfaction, sender) -> None:
    """In the child process: parse with pabutools, then run each rule, sending
    (seconds, selected, error) after each step."""
    try:
        from pabutools.election.pabulib import parse_pabulib_from_string

        seconds, (instance, profile) = _best(lambda: parse_pabulib_from_string(text))
        sender.send((seconds, None, ""))
        for rule in rules:
            seconds, selected = _best(lambda r=rule: _reference_rule(instance, profile, r, sat))
            sender.send((seconds, selected, ""))
    except Exception as error:  # reported to the parent, which prints it
        sender.send((None, None, f"{type(error).__name__}: {error}"))


def run_reference(text: str, rules: list[str], sat: Satisfaction) -> dict[str, Measure]:
    """pabutools' parse and rules on `text`, each stopped after TIMEOUT seconds; a stopped rule
    costs a new child process (and a new parse) for the rules after it."""
    context = multiprocessing.get_context("spawn")
    results: dict[str, Measure] = {}
    pending = list(rules)
    while True:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_reference_worker, args=(text, pending, sat, sender))
        child.start()
        sender.close()
        stopped = _collect(receiver, ["parse", *pending], results)
        child.terminate()
        child.join()
        receiver.close()
        if stopped is None or stopped == "parse":
            break
        pending = pending[pending.index(stopped) + 1 :]
        if not pending:
            break
    for name in ["parse", *rules]:
        results.setdefault(name, Measure(None, None, "not run: pabutools could not parse"))
    return results


def _collect(receiver, names: list[str], results: dict[str, Measure]) -> str | None:
    """Record each step's message; the name of the step that was stopped or failed, if any."""
    for name in names:
        if not receiver.poll(TIMEOUT):
            results.setdefault(name, Measure(None, None, f"> {TIMEOUT:.0f} s (stopped)"))
            return name
        seconds, selected, error = receiver.recv()
        if error:
            results.setdefault(name, Measure(None, None, f"failed: {error}"))
            return name
        results.setdefault(name, Measure(seconds, selected))  # a re-parse keeps the first
    return None


# -- printing


def _time(measure: Measure) -> str:
    if measure.seconds is None:
        return measure.note
    if measure.seconds < 0.1:
        return f"{measure.seconds * 1000:.1f} ms"
    if measure.seconds < 1:
        return f"{measure.seconds * 1000:.0f} ms"
    return f"{measure.seconds:.2f} s"


def _ratio(ours: Measure, reference: Measure) -> tuple[str, float | None, bool]:
    """pabutools/ours as text, its value, and whether that value is only a lower bound."""
    if ours.seconds is None or ours.seconds == 0:
        return "-", None, False
    if reference.seconds is not None:
        value = reference.seconds / ours.seconds
        return f"{value:.1f}x", value, False
    if reference.note.startswith(">"):
        value = TIMEOUT / ours.seconds
        return f"> {value:.1f}x", value, True
    return "-", None, False


def _identical(ours: Measure, reference: Measure) -> str:
    if ours.selected is None or reference.selected is None:
        return "not compared"
    mine, theirs = set(ours.selected), set(reference.selected)
    if mine == theirs:
        return f"identical ({len(mine)} projects)"
    return (
        f"!!! MISMATCH !!! only ours: {sorted(mine - theirs)}; "
        f"only pabutools: {sorted(theirs - mine)}"
    )


def _print_row(row: Row) -> None:
    ratio, _, _ = _ratio(row.ours, row.reference)
    same = "" if row.rule == "parse" else _identical(row.ours, row.reference)
    print(
        f"  {RULE_NAMES.get(row.rule, row.rule):<9} ours {_time(row.ours):>9}   "
        f"pabutools {_time(row.reference):>18}   ratio {ratio:>8}   {same}".rstrip()
    )


def _check_target(label: str, voters: int, row: Row) -> None:
    if (row.rule, voters) not in TARGETS:
        return
    _, ratio, lower_bound = _ratio(row.ours, row.reference)
    fast = row.ours.seconds is not None and row.ours.seconds < TARGET_SECONDS
    faster = ratio is not None and ratio >= TARGET_RATIO
    shown = "at least " if lower_bound else ""
    ratio_text = "unknown" if ratio is None else f"{shown}{ratio:.0f}x"
    for what, measured, met in [
        (f"{RULE_NAMES[row.rule]} >= {TARGET_RATIO}x pabutools", ratio_text, faster),
        (f"{RULE_NAMES[row.rule]} ours < {TARGET_SECONDS:.0f} s", _time(row.ours), fast),
    ]:
        targets.append((f"{label}: {what}", measured, met))
        print(f"  target {what}: {measured}, {'met' if met else 'NOT MET'}")


def _add1_runs(election: Election, outcome) -> int:
    """How many MES runs Add1 made: one per 1% raise up to its final budget."""
    if not election.budget or not election.ballots:
        return 1
    return round((outcome.share * len(election.ballots) / election.budget - 1) * 100) + 1


def _explain(rule: str, election: Election, outcome) -> str:
    """What the rule spent; for Add1 how far it raised the voters' budget (one MES run per 1%)."""
    if not election.budget or not election.ballots:
        return "nothing to spend"
    spent = f"spends {float(outcome.cost / election.budget):.0%} of the budget"
    if rule != "add1":
        return spent
    virtual = outcome.share * len(election.ballots) / election.budget
    runs = _add1_runs(election, outcome)
    greedy_part = f", greedy added {len(outcome.completed_by_greedy)}"
    return f"{spent}; voters' budget raised to {float(virtual):.0%} (~{runs} MES runs){greedy_part}"


# -- one election


def bench_election(
    label: str,
    text: str,
    voters: int,
    sat: Satisfaction,
    rules: list[str],
    reference_rules: list[str],
    check_targets: bool = True,
) -> None:
    """Parse `text` with both libraries, run `rules` in ours and `reference_rules` in
    pabutools, and print and record each comparison (and the issue's targets, which are for
    the generated approval elections)."""
    parse_seconds, election = _best(lambda: pabulib.parse(text))
    ours = {"parse": Measure(parse_seconds)}
    notes, outcomes = {}, {}
    for rule in rules:
        seconds, outcomes[rule] = _best(lambda r=rule: OURS[r](election, sat))
        ours[rule] = Measure(seconds, sorted(outcomes[rule].selected))
        notes[rule] = _explain(rule, election, outcomes[rule])
    reference = run_reference(text, reference_rules, sat)
    for rule in rules:
        if rule not in reference_rules:
            reference[rule] = Measure(None, None, "not run")
    if "add1" in outcomes and "add1" not in reference_rules:
        runs, mes = _add1_runs(election, outcomes["add1"]), reference["mes"].seconds
        if mes is not None:
            minutes = runs * mes / 60
            reference["add1"].note = f"not run (~{minutes:.0f} min)"
            notes["add1"] += (
                f"\n            pabutools' Add1 would re-run its MES ~{runs} times; on the smaller"
                f" elections each re-run takes about one MES time ({_time(reference['mes'])}"
                f" here): ~{minutes:.0f} min"
            )
    for rule in ["parse", *rules]:
        row = Row(label, rule, ours[rule], reference[rule])
        summary.append(row)
        _print_row(row)
        if rule in notes:
            print(f"            ours {notes[rule]}")
        if check_targets:
            _check_target(label, voters, row)


def _describe(election: Election) -> str:
    lengths = [len(b) for b in election.ballots]
    mean = sum(lengths) / max(1, len(lengths))
    total = sum(election.costs.values())
    share = f" ({float(election.budget / total):.0%} of the total cost)" if total else ""
    return f"budget £{int(election.budget):,}{share}, {mean:.1f} projects per ballot"


def _label(voters: int, projects: int) -> str:
    return f"{voters // 1000}k x {projects}"


def bench_generated() -> None:
    for seed, (voters, projects) in enumerate(SIZES, start=1):
        election = approval_election(voters, projects, seed)
        label = _label(voters, projects)
        print(f"-- {label}: {voters:,} approval ballots, {projects} projects")
        print(f"  {_describe(election)}")
        rules = ["greedy", "mes", "add1"]
        reference_rules = rules if voters <= REFERENCE_ADD1_MAX_VOTERS else ["greedy", "mes"]
        if voters > REFERENCE_ADD1_MAX_VOTERS:
            print("  (pabutools' Add1 not run here: one MES per 1% raise, tens of minutes or more)")
        text = pabulib.write(election)
        bench_election(label, text, voters, Satisfaction.COST, rules, reference_rules)
    voters, projects = CUMULATIVE_SIZE
    election = cumulative_election(voters, projects, 99)
    label = _label(voters, projects) + " points"
    print(f"-- {label}: {voters:,} cumulative ballots (10 points each), {projects} projects")
    print(f"  {_describe(election)}")
    text = pabulib.write(election)
    rules = ["greedy", "mes"]
    bench_election(label, text, voters, Satisfaction.POINTS, rules, rules, check_targets=False)


def bench_file(path: str) -> None:
    text = Path(path).read_text(encoding="utf-8-sig")
    try:
        election = pabulib.parse(text)
    except pabulib.PabulibError as error:
        print(f"-- {path}: our parser refuses it: {error}")
        return
    voters = len(election.ballots)
    print(f"-- {path}: {voters:,} {election.vote_type} ballots, {len(election.costs)} projects")
    if election.vote_type is VoteType.ORDINAL:
        print("  ordinal ballots: not compared (no satisfaction both libraries share)")
        return
    print(f"  {_describe(election)}")
    sat = election.default_satisfaction()
    rules = ["greedy", "mes"] if sat is Satisfaction.POINTS else ["greedy", "mes", "add1"]
    reference_rules = [r for r in rules if r != "add1" or voters <= REFERENCE_ADD1_MAX_VOTERS]
    if reference_rules != rules:
        print("  (pabutools' Add1 not run: too many voters, tens of minutes or more)")
    bench_election(Path(path).name, text, voters, sat, rules, reference_rules, check_targets=False)


def print_summary() -> None:
    if not summary:
        return
    print("-- Summary (ratio = pabutools time / ours)")
    width = max(len("election"), *(len(row.election) for row in summary))
    print(f"  {'election':<{width}}  {'rule':<9} {'ours':>9}  {'pabutools':>18}  {'ratio':>8}")
    for row in summary:
        ratio, _, _ = _ratio(row.ours, row.reference)
        same = "" if row.rule == "parse" else _identical(row.ours, row.reference)
        print(
            f"  {row.election:<{width}}  {RULE_NAMES.get(row.rule, row.rule):<9} "
            f"{_time(row.ours):>9}  {_time(row.reference):>18}  {ratio:>8}  {same}".rstrip()
        )
    if targets:
        print("-- Targets")
        width = max(len(what) for what, _, _ in targets)
        for what, measured, met in targets:
            print(f"  {what:<{width}}  {measured:>14}  {'met' if met else 'NOT MET'}")


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"


def main(paths: list[str] | None = None) -> None:
    summary.clear()
    targets.clear()
    started = time.perf_counter()
    print(f"({_load()} at the start: other work on the machine skews these timings)")
    if paths:
        for path in paths:
            bench_file(path)
    else:
        bench_generated()
    print_summary()
    print(f"({_load()} at the end; {time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main(sys.argv[1:])
