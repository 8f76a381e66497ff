"""Ballots held in bulk, as a parser reads a large approval election: each project's voters as
one array, and each ballot's dict made only when something asks for it. The rules read the
arrays straight away; everything else sees an ordinary sequence of ballots."""

from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import TypeVar, overload

import numpy as np

# One object for every approval: the rules test `value is ONE` before comparing.
ONE = Fraction(1)
T = TypeVar("T")


class _Made(Sequence[T]):
    """A sequence whose items are made when asked for, equal to any sequence of equal items
    (a list, as the line-by-line reading gives)."""

    __hash__ = None  # type: ignore[assignment]  # equal to lists, so not hashable

    def _item(self, position: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        positions = range(len(self))  # IndexError and negative indices as a list's
        if isinstance(index, slice):
            return [self._item(p) for p in positions[index]]
        return self._item(positions[index])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))


class ApprovalBallots(_Made[dict[str, Fraction]]):
    """Approval ballots: `codes` lists the projects approved, ballot after ballot, in the order
    the file gave them (as positions in `project_ids`); ballot i holds codes[offsets[i] :
    offsets[i + 1]]. `voters` maps each project to the ascending indices of its voters."""

    def __init__(
        self,
        project_ids: list[str],
        codes: np.ndarray,
        offsets: np.ndarray,
        voters: dict[str, np.ndarray],
    ) -> None:
        self.project_ids, self.codes, self.offsets, self.voters = (
            project_ids,
            codes,
            offsets,
            voters,
        )
        self._made: list[dict[str, Fraction]] | None = None

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def _item(self, position: int) -> dict[str, Fraction]:
        if self._made is not None:
            return self._made[position]
        start, stop = int(self.offsets[position]), int(self.offsets[position + 1])
        names = self.project_ids
        return dict.fromkeys([names[c] for c in self.codes[start:stop].tolist()], ONE)

    def __iter__(self) -> Iterator[dict[str, Fraction]]:
        return iter(self.made())

    def made(self) -> list[dict[str, Fraction]]:
        """Every ballot as a dict (made once, on the first whole read)."""
        if self._made is None:
            names, codes, offsets = self.project_ids, self.codes.tolist(), self.offsets.tolist()
            self._made = [
                dict.fromkeys([names[c] for c in codes[start:stop]], ONE)
                for start, stop in zip(offsets, offsets[1:], strict=False)
            ]
        return self._made

    def __repr__(self) -> str:
        return f"<{len(self)} approval ballots over {len(self.project_ids)} projects>"


def approvals(
    project_ids: list[str], codes: np.ndarray, rows: np.ndarray, count: int
) -> ApprovalBallots | None:
    """`count` approval ballots from parallel arrays of project codes and the ballot (row)
    each belongs to, rows ascending; None when a ballot names a project twice."""
    order = np.argsort(codes, kind="stable")  # a radix sort for small integer codes
    by_project, rows_by_project = codes[order], rows[order]
    again = (rows_by_project[1:] == rows_by_project[:-1]) & (by_project[1:] == by_project[:-1])
    if again.any():
        return None
    ends = np.cumsum(np.bincount(codes, minlength=len(project_ids)))
    starts = np.concatenate(([0], ends[:-1])).astype(np.int64)
    voters = {
        pid: rows_by_project[start:end]
        for pid, start, end in zip(project_ids, starts.tolist(), ends.tolist(), strict=True)
    }
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=count), out=offsets[1:])
    return ApprovalBallots(project_ids, codes, offsets, voters)


class Records(_Made[dict[str, str]]):
    """Rows of named text columns (a ballot's voter_id, age, …), each row's dict made when
    asked for."""

    def __init__(self, columns: dict[str, list[str]], count: int) -> None:
        self.columns, self.size = columns, count

    def __len__(self) -> int:
        return self.size

    def _item(self, position: int) -> dict[str, str]:
        return {key: column[position] for key, column in self.columns.items()}

    def __repr__(self) -> str:
        return f"<{self.size} rows of {', '.join(self.columns)}>"
