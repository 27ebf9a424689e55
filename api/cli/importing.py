"""Bulk import: an institution's history from another system, recorded through the same rules.

The input is JSON Lines, one command per line, each the body the HTTP API takes for that command
plus who acted (`by`) and the source's reference of the case (`case`):

    {"command": "open_case", "case": "AEMO-2019-042", "by": {...}, "beneficiary": {...},
     "legal_framework": "judicial", "occurred_at": "2019-03-04T09:00:00+01:00"}
    {"command": "record_intervention", "case": "AEMO-2019-042", "by": {...},
     "kind": "home_visit", "occurred_at": "2019-03-11T14:00:00+01:00"}

Every line goes through the use case the API would run (the acting professional's employment,
the basis of the act, consents or legal grounds for a share, the case's own rules, sealing of
personal fields), except the backdating window: history is dated as it happened (never in the
future). Dates are ISO 8601 strings, as over HTTP (`api.http.schemas.dates`): a number is no
date. A refused line is reported with its number, rule and field (named as the line spells it),
and nothing of it is recorded; the others go on.

Speed: lines are decided in units of work (`UseCaseBase.unit_of_work`) of `batch` events,
each saved in one transaction with its cases' keys created at once. If another writer changed
one of a unit's cases meanwhile, the unit is recorded nothing of and its lines are run again one
by one, as the API would.

A case's id is derived from the source and its reference (UUID v5): importing a file twice
refuses its `open_case` lines (`already-imported`) instead of duplicating the cases; the other
lines of a file already imported would be recorded again — resume an interrupted import with
`from_line` (the report says which lines are recorded).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Annotated, Literal, get_args
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from api.http.schemas.cases import (
    ActorRef,
    CaseCreate,
    CoordinationMeeting,
    InterventionCreate,
    Join,
    Reason,
    ShareCreate,
)
from domain.application import Maillage, Recorded
from domain.case import Case
from domain.errors import MaillageError, NotFoundError
from domain.usecases.base import UnitOfWork

# Case ids of imported cases: uuid5(IMPORTED_CASES, "<source>\n<reference>").
IMPORTED_CASES = UUID("6d2b8f0e-52a1-4c53-9a43-1f0c4b8e7a10")
HISTORY = timedelta(days=365 * 150)  # no backdating window for history, only "not in the future"


class _Line(BaseModel):
    model_config = ConfigDict(extra="forbid")
    case: str = Field(min_length=1, max_length=200, description="The source's case reference.")
    by: ActorRef

    def run(self, maillage: Maillage, case_id: UUID) -> Recorded:
        """The API's own command for this body (its `record`), by the line's professional."""
        record = self.record  # type: ignore[attr-defined]
        result: Recorded = record(maillage, case_id, self.by.domain())
        return result


class OpenCase(CaseCreate, _Line):
    command: Literal["open_case"]

    def run(self, maillage: Maillage, case_id: UUID) -> Recorded:
        return self.record(maillage, self.by.domain(), case_id=case_id)


class JoinCase(Join, _Line):
    command: Literal["join_case"]


class RecordIntervention(InterventionCreate, _Line):
    command: Literal["record_intervention"]


class ShareInformation(ShareCreate, _Line):
    command: Literal["share_information"]


class HoldCoordinationMeeting(CoordinationMeeting, _Line):
    command: Literal["hold_coordination_meeting"]


class CloseCase(Reason, _Line):
    command: Literal["close_case"]

    def run(self, maillage: Maillage, case_id: UUID) -> Recorded:
        return maillage.close_case(
            case_id=case_id, by=self.by.domain(), reason=self.reason, occurred_at=self.occurred_at
        )


Command = Annotated[
    OpenCase
    | JoinCase
    | RecordIntervention
    | ShareInformation
    | HoldCoordinationMeeting
    | CloseCase,
    Field(discriminator="command"),
]
COMMANDS: TypeAdapter[Command] = TypeAdapter(Command)
# The commands' names (`open_case`…), read from the union above.
COMMAND_NAMES = frozenset(
    get_args(line.model_fields["command"].annotation)[0] for line in get_args(get_args(Command)[0])
)


def imported_case_id(source: str, reference: str) -> UUID:
    return uuid.uuid5(IMPORTED_CASES, f"{source}\n{reference}")


@dataclass(frozen=True)
class Refusal:
    line: int
    rule: str
    detail: str
    field: str | None = None

    def as_json(self) -> str:
        return json.dumps(
            {"line": self.line, "rule": self.rule, "field": self.field, "detail": self.detail},
            ensure_ascii=False,
        )


@dataclass
class ImportReport:
    read: int = 0
    recorded: int = 0  # lines
    events: int = 0
    refused: list[Refusal] = field(default_factory=list)
    replayed_units: int = 0  # units run again line by line after a concurrent change

    def saved(self, lines: int, events: int) -> None:
        self.recorded += lines
        self.events += events


def parse(lines: Iterable[str], *, from_line: int = 1) -> Iterator[tuple[int, Command | Refusal]]:
    """Each line's number and its command, or why it cannot be read (nothing decided yet)."""
    for number, text in enumerate(lines, start=1):
        if number < from_line or not text.strip():
            continue
        try:
            yield number, COMMANDS.validate_json(text)
        except ValidationError as error:
            first = error.errors()[0]
            yield number, Refusal(number, "invalid-line", first["msg"], _field(first))


def _field(error: ErrorDetails) -> str | None:
    """The line's key at fault (`occurred_at`, `beneficiary.birth_date`), named as the line
    spells it: without the command the union of commands puts first."""
    if error["type"].startswith("union_tag_"):
        return "command"
    loc = error["loc"]
    if loc and loc[0] in COMMAND_NAMES:
        loc = loc[1:]
    return ".".join(str(part) for part in loc) or None


class Importer:
    def __init__(self, maillage: Maillage, *, source: str, batch: int = 2000) -> None:
        if not source.strip():
            raise ValueError("name the source system: case ids are derived from it")
        self.maillage = maillage
        self.source = source
        self.batch = batch
        self.skipped: set[UUID] = set()  # cases the file opens that were imported before

    def run(
        self,
        lines: Iterable[str],
        *,
        from_line: int = 1,
        progress: Callable[[int], None] | None = None,
    ) -> ImportReport:
        report = ImportReport()
        self.skipped.clear()
        live = self.maillage.time
        # History is dated as it happened: every rule holds but the backdating window.
        self.maillage.time = replace(live, backdating_window=HISTORY)
        try:
            self._run(lines, from_line, progress, report)
        finally:
            self.maillage.time = live
        return report

    def _run(
        self,
        lines: Iterable[str],
        from_line: int,
        progress: Callable[[int], None] | None,
        report: ImportReport,
    ) -> None:
        pending: list[tuple[int, Command]] = []
        with self.maillage.unit_of_work() as unit:
            for number, parsed in parse(lines, from_line=from_line):
                report.read += 1
                if isinstance(parsed, Refusal):
                    report.refused.append(parsed)
                    continue
                if self._decide(number, parsed, report):
                    pending.append((number, parsed))
                if unit.pending_events >= self.batch:
                    self._save(unit, pending, report)
                    pending = []
                    if progress is not None:
                        progress(number)
            self._save(unit, pending, report)

    def _decide(self, number: int, command: Command, report: ImportReport) -> bool:
        """Decide the line within the current unit of work; False (and why) if refused."""
        case_id = imported_case_id(self.source, command.case)
        try:
            if isinstance(command, OpenCase) and self._exists(case_id):
                self.skipped.add(case_id)
            if case_id in self.skipped:
                report.refused.append(
                    Refusal(number, "already-imported", "this case was imported before", "case")
                )
                return False
            command.run(self.maillage, case_id)
        except MaillageError as error:
            report.refused.append(Refusal(number, error.rule, error.message, error.field))
            return False
        return True

    def _exists(self, case_id: UUID) -> bool:
        try:
            self.maillage.load(Case, case_id)
        except NotFoundError:
            return False
        return True

    def _save(
        self, unit: UnitOfWork, lines: list[tuple[int, Command]], report: ImportReport
    ) -> None:
        if not lines:
            return
        events = unit.pending_events
        try:
            self.maillage.save_unit(unit)
        except IntegrityError:
            # Another writer changed one of these cases (or opened one of them) meanwhile:
            # nothing of the unit was recorded. Its lines run again one by one, as the API would.
            unit.clear()
            report.replayed_units += 1
            for number, command in lines:
                self._one(number, command, report)
            return
        report.saved(len(lines), events)

    def _one(self, number: int, command: Command, report: ImportReport) -> None:
        with self.maillage.unit_of_work() as single:
            if not self._decide(number, command, report):
                return
            events = single.pending_events
            try:
                self.maillage.save_unit(single)
            except IntegrityError:
                report.refused.append(
                    Refusal(
                        number,
                        "concurrent-update",
                        "the case changed meanwhile: import this line again",
                        "case",
                    )
                )
                return
        report.saved(1, events)
