"""The program's part of the meeting pack, as display-ready text: the deliverables with
status and overdue marks, and the decisions since the implementeringsstyregruppe's last
meeting. The web layer fills it from the store; the report only shows it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PackDeliverable:
    """One deliverable's row: title, specialty, owner, status and due date as words, whether
    it is overdue (due before the pack's day and not finished), and the decision behind it."""

    title: str
    specialty: str
    owner: str
    status: str
    due: str
    overdue: bool
    decision: str


@dataclass(frozen=True)
class PackDecision:
    """One decision's row: the meeting (date, body, title) it was taken at, its text,
    status, specialty, owner and due date as words."""

    meeting: str
    text: str
    status: str
    specialty: str
    owner: str
    due: str


@dataclass(frozen=True)
class ProgramPack:
    """The program section: ``since`` says from which meeting the decisions are listed."""

    deliverables: tuple[PackDeliverable, ...]
    decisions: tuple[PackDecision, ...]
    since: str

    @property
    def overdue(self) -> int:
        """How many deliverables are overdue."""
        return sum(d.overdue for d in self.deliverables)
