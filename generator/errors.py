"""Errors that studygen reports to the user; each maps to an exit status."""

from __future__ import annotations

from pathlib import Path

from generator.record import Record


class StudygenError(Exception):
    """A problem the user can fix; printed without a traceback."""

    exit_code = 1


class Problem(Record):
    where: str  # key path such as "cards[3].type", or "" for the whole file
    what: str
    line: int | None = None  # in the content file, where it is known

    def __str__(self) -> str:
        return f"{self.where}: {self.what}" if self.where else self.what

    def located(self, path: Path | str) -> str:
        """``file:line: key path: what``, the form editors and CI systems annotate."""
        return f"{path}:{self.line}: {self}" if self.line else f"{path}: {self}"


class ContentError(StudygenError):
    """One or more problems in content files, reported together."""

    def __init__(self, problems: dict[Path, list[Problem]]):
        self.problems = problems
        count = sum(len(p) for p in problems.values())
        super().__init__(f"{count} problem(s) in {len(problems)} content file(s)")

    def __reduce__(self):  # as raised in a worker process and passed to the parent
        return type(self), (self.problems,)

    def lines(self) -> list[str]:
        return [problem.located(path) for path, found in self.problems.items() for problem in found]


class OutputError(StudygenError):
    """The output directory cannot be written."""


class RenderError(StudygenError):
    """Valid content that a renderer cannot lay out (for example text too long for a card)."""


class UsageError(StudygenError):
    """Options that cannot work together (for example a number of cards with no grid on the page)."""

    exit_code = 2
