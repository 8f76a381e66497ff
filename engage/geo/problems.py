"""Problems found in a file, kept in bounded memory however many rows are wrong."""

from engage.importing import MAX_PROBLEMS, ImportFailed, Problem


class Problems:
    """The first problems found (enough to act on) and how many there were in all."""

    def __init__(self) -> None:
        self.kept: list[Problem] = []
        self.total = 0

    def add(self, line: int | None, field: str | None, message: str) -> None:
        self.total += 1
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(Problem(line, field, message))

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        if self.total:
            error = ImportFailed(self.kept)
            error.total = self.total
            raise error
