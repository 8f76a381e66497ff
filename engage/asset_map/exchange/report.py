"""What an import did, told by line or path: created, updated, mapped, left aside; and the
progress it reports while it runs."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

# (done, total, stage): called as the work goes on, so a page or a bar can show it.
Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, stage: str) -> None:
    return None


@dataclass
class Note:
    """Something from the file that was not taken in as it was, and where it was."""

    where: str
    what: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    organisations_created: int = 0
    locations_created: int = 0
    # Other directories' terms read as our categories by a mapping an officer made.
    mapped: list[str] = field(default_factory=list)
    # Other directories' terms kept on services, waiting for an officer to map them.
    to_map: list[str] = field(default_factory=list)
    left_aside: list[Note] = field(default_factory=list)
    left_aside_total: int = 0
    MAX_NOTES = 200

    def leave_aside(self, where: str, what: str) -> None:
        self.left_aside_total += 1
        if len(self.left_aside) < self.MAX_NOTES:
            self.left_aside.append(Note(where, what))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ImportReport":
        notes = [Note(**note) for note in data.get("left_aside", [])]
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**{**known, "left_aside": notes})
