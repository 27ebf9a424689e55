"""Corrections without rewriting history: an act recorded in error is corrected or annulled by a
new event that names it (`act_id`) and gives the reason; the first event stays in the log.

What may be corrected: an intervention's kind, date or summary (`ActCorrected`, carrying only
what changes). What may be annulled: an intervention, a coordination meeting or a share of
information (`ActAnnulled`): the act was recorded in error, and from then on it is counted
nowhere — a share annulled no longer raises alerts. An act recorded on the wrong person's case is
annulled there and recorded again on the right case.

Who: the act's author (the same professional, for the same institution) within the correction
window after the act was *recorded* (`TimePolicy.correction_window`), or at any time a supervisor
employed by the act's institution. Corrections chain: each works on the act's current state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.case_rules import optional_text, reason_text
from domain.case_state import CaseState
from domain.case_values import INTERVENTION, SHARE, Acts, RecordedAct, correctable_act
from domain.errors import (
    AccessDeniedError,
    ActAnnulledError,
    ActNotCorrectableError,
    ActNotFoundError,
    CorrectionWindowPassedError,
    NothingToCorrectError,
)
from domain.values import ActionKind, Actor, Basis, parse_enum
from domain.wording import N_


class CaseCorrections(CaseState):
    """The acts a case keeps for their correction, and the two commands that correct them."""

    if TYPE_CHECKING:  # recorded by `Case`'s `@event` methods of the same names
        _act_corrected: Callable[..., None]
        _act_annulled: Callable[..., None]

    # Correctable acts by id (str). The class default keeps snapshots older than it loadable.
    acts: Mapping[str, RecordedAct] = MappingProxyType({})

    # --- state ------------------------------------------------------------------------------

    def _keep_act(self, event: Any) -> None:
        """Keep an intervention, a meeting or a share as it is recorded (called once applied,
        with the event: its timestamp is when it was recorded)."""
        found = correctable_act(event)
        if found is None:
            return
        act_id, act = found
        kind = getattr(event, "kind", None)
        self._put_act(
            RecordedAct(
                act_id=act_id,
                act=act,
                author=event.by,
                recorded_at=event.timestamp,
                occurred_at=event.occurred_at,
                kind=str(kind) if kind is not None else None,
            )
        )

    def _put_act(self, act: RecordedAct) -> None:
        acts = vars(self).get("acts")
        if not isinstance(acts, Acts):  # none yet, or a plain dict read from a snapshot
            acts = Acts(acts or {})
            self.acts = acts
        acts[str(act.act_id)] = act

    def _corrected(self, act_id: UUID, kind: str | None, occurred_at: datetime | None) -> None:
        act = self.acts.get(str(act_id))
        if act is not None:
            self._put_act(
                replace(act, kind=kind or act.kind, occurred_at=occurred_at or act.occurred_at)
            )

    def _annulled(self, act_id: UUID) -> None:
        act = self.acts.get(str(act_id))
        if act is not None:
            self._put_act(replace(act, annulled=True))

    # --- commands ---------------------------------------------------------------------------

    def correct_act(
        self,
        *,
        act_id: UUID,
        by: Actor,
        basis: Basis,
        supervisor: bool,
        reason: str,
        kind: str | None,
        act_occurred_at: datetime | None,
        summary: str | None,
        occurred_at: datetime,
        window: timedelta,
    ) -> None:
        """Correct an intervention: a new kind, date (already checked against the backdating
        rules) and/or summary, at least one differing from its current state."""
        act = self.correctable_act(act_id, by, supervisor, occurred_at, window)
        if act.act != INTERVENTION:
            raise ActNotCorrectableError(
                N_(
                    "only an intervention's kind, date or summary is corrected: annul act "
                    "{act_id} and record it again"
                ),
                field="act_id",
                act_id=act_id,
            )
        new_kind = parse_enum(ActionKind, kind, field="kind") if kind is not None else None
        changes: dict[str, Any] = {
            "kind": new_kind if new_kind is not None and new_kind != act.kind else None,
            "act_occurred_at": act_occurred_at if act_occurred_at != act.occurred_at else None,
            "summary": optional_text(summary, field="summary"),
        }
        if all(value is None for value in changes.values()):
            raise NothingToCorrectError(
                N_(
                    "the correction changes nothing of act {act_id}: give a new kind, date or "
                    "summary"
                ),
                field="act_id",
                act_id=act_id,
            )
        self._act_corrected(
            act_id=act_id,
            by=by,
            basis=basis,
            reason=reason_text(reason),
            occurred_at=occurred_at,
            was_kind=act.kind,
            was_occurred_at=act.occurred_at,
            **changes,
        )

    def annul_act(
        self,
        *,
        act_id: UUID,
        by: Actor,
        basis: Basis,
        supervisor: bool,
        reason: str,
        occurred_at: datetime,
        window: timedelta,
    ) -> None:
        """Annul an intervention, a coordination meeting or a share recorded in error. A share
        is annulled by a supervisor of its institution only: information sent is not unsent,
        and its author may not take it, and the alerts it raised, out of the views alone."""
        act = self.correctable_act(act_id, by, supervisor, occurred_at, window)
        if act.act == SHARE and not supervisor:
            raise AccessDeniedError(
                N_("a share is annulled by a supervisor of its institution, not by its author"),
                field="act_id",
                act_id=act_id,
            )
        self._act_annulled(
            act_id=act_id,
            act_type=act.act,
            by=by,
            basis=basis,
            reason=reason_text(reason),
            occurred_at=occurred_at,
            was_kind=act.kind,
            was_occurred_at=act.occurred_at,
        )

    # --- guards -----------------------------------------------------------------------------

    def correctable_act(
        self, act_id: UUID, by: Actor, supervisor: bool, at: datetime, window: timedelta
    ) -> RecordedAct:
        """The act `by` may correct or annul at `at`: one of this case, not annulled, theirs
        within the window after it was recorded, or of their institution if a supervisor."""
        self.check_not_erased()
        act = self.acts.get(str(act_id))
        if act is None:
            raise ActNotFoundError(
                N_(
                    "case {case_id} has no act {act_id} to correct (an intervention, a "
                    "coordination meeting or a share of information)"
                ),
                field="act_id",
                case_id=self.id,
                act_id=act_id,
            )
        if supervisor and by.institution_id != act.author.institution_id:
            raise AccessDeniedError(
                N_("a supervisor corrects the acts recorded for their own institution only"),
                field="act_id",
                act_id=act_id,
            )
        if not supervisor and by != act.author:
            raise AccessDeniedError(
                N_("an act is corrected by its author, or by a supervisor of its institution"),
                field="act_id",
                act_id=act_id,
            )
        if act.annulled:
            raise ActAnnulledError(
                N_("act {act_id} was annulled: it is neither corrected nor annulled again"),
                field="act_id",
                act_id=act_id,
            )
        closes = act.recorded_at + window
        if not supervisor and at > closes:
            raise CorrectionWindowPassedError(
                N_(
                    "its author corrects an act within {window_hours} hours of recording it: "
                    "the window closed at {closed_at}; a supervisor of its institution still may"
                ),
                field="act_id",
                act_id=act_id,
                window_hours=int(window.total_seconds() // 3600),
                closed_at=closes,
            )
        return act
