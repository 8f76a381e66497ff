"""Ballots held in bulk, as a parser reads a large approval election: each project's voters as
one array, and each ballot's dict made only when something asks for it. The rules read the
arrays straight away; everything else sees an ordinary sequence of ballots."""

from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import overload

import numpy as np

# One object for every approval: the rules test `value is ONE` before comparing.
ONE = Fraction(1)


class ApprovalBallots(Sequence[dict[str, Fraction]]):
    """Approval ballots: `codes` lists the projects approved, ballot after ballot, in the order
    the file gave them (as positions in `project_ids`); ballot i holds codes[offsets[i] :
    offsets[i + 1]]. `voters` maps each project to the ascending indices of its voters."""

    __hash__ = None  # type: ignore[assignment]  # equal to lists, so not hashable

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

    @overload
    def __getitem__(self, index: int) -> dict[str, Fraction]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Fraction]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Fraction] | list[dict[str, Fraction]]:
        if isinstance(index, slice):
            return self.made()[index]
        if self._made is not None:
            return self._made[index]
        position = range(len(self))[index]  # IndexError and negative indices as a list's
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

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and self.made() == list(other)

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


class Records(Sequence[dict[str, str]]):
    """Rows of named text columns (a ballot's voter_id, age, …), each row's dict made when
    asked for."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, columns: dict[str, list[str]], count: int) -> None:
        self.columns, self.size = columns, count

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> dict[str, str]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, str]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, str] | list[dict[str, str]]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        position = range(self.size)[index]
        return {key: column[position] for key, column in self.columns.items()}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __repr__(self) -> str:
        return f"<{self.size} rows of {', '.join(self.columns)}>"
