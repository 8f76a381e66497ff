"""The base of every fixed list the site shows: a `StrEnum` whose members each have a label in
the reader's language. One class drives a form's choices, the words on the page and the check
that a stored or posted value is one of the list."""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

_LABELS: dict[type, Mapping[Any, Any]] = {}


class Vocabulary(StrEnum):
    """A fixed list whose labels are registered with `labels(Enum, {...})`."""

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])

    @classmethod
    def choices(cls) -> list[tuple[str, Any]]:
        """(value, lazy label) pairs for a form, translated when the form is drawn."""
        return [(member.value, _LABELS[cls][member]) for member in cls]

    @classmethod
    def name_of(cls, value: object) -> str:
        """The label of a stored value, or the value itself if it is not on the list (old
        data is shown as it is rather than crashing the page)."""
        try:
            return cls(str(value)).label
        except ValueError:
            return "" if value is None else str(value)

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)


def labels(vocabulary: type[Vocabulary], words: Mapping[Any, Any]) -> None:
    """Registers the labels of every member of `vocabulary` (all of them, or it fails now)."""
    missing = set(vocabulary) - set(words)
    if missing:
        raise ValueError(f"{vocabulary.__name__} has no label for {sorted(missing)}")
    _LABELS[vocabulary] = words
