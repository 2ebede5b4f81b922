"""The exceptions bassplan raises, one per kind of failure.

BassError
├── InputError (ValueError)    bad data or scenario: file, row or key path, field, rule
├── InfeasiblePlanError        a constraint cannot be met: which, where, best value reachable
└── SolverError (RuntimeError) the solver itself failed
"""

from __future__ import annotations

from bassplan.domain.phrase import Phrase


class BassError(Exception):
    """Base of every error bassplan raises on purpose."""


class InputError(BassError, ValueError):
    """Input that breaks a rule: one line naming where, which field and which rule.

    ``rule`` is the English text; ``words``, where given, is the same rule as a phrase of
    the word store, so that a page can say it in the reader's language
    (``bassplan.i18n.say_error``)."""

    def __init__(self, source: str, where: str, field: str, rule: str, *,
                 words: Phrase | None = None) -> None:
        self.source = source
        self.where = where
        self.field = field
        self.rule = rule
        self.words = words
        super().__init__(self.line())

    def line(self) -> str:
        """Return the one-line message shown to the user."""
        place = f"{self.source}, {self.where}" if self.where else self.source
        return f"{place}: field '{self.field}': {self.rule}"


class InfeasiblePlanError(BassError):
    """A plan cannot satisfy a constraint; says which, where, and the best reachable value."""

    def __init__(self, constraint: str, place: str, best: str, *,
                 words: Phrase | None = None) -> None:
        self.constraint = constraint
        self.place = place
        self.best = best
        self.words = words  # the same message (and any hint) as a phrase of the word store
        super().__init__(f"{constraint} cannot be met at {place}; the best reachable is {best}")


class SolverError(BassError, RuntimeError):
    """The optimisation solver failed for a reason other than infeasibility."""
