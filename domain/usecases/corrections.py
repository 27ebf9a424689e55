"""Correcting or annulling an act recorded in error (`domain.case_corrections`): the author
within the correction window, a supervisor of the act's institution at any time.

Like every action on a case (`CaseActions._act`): the corrector must be employed by the
institution they act for, and the correction is recorded on a basis the domain decides. It is
dated now; the act's corrected date (`act_occurred_at`) follows the backdating rules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

from domain.case import Case
from domain.usecases.base import Recorded
from domain.usecases.case_actions import CaseActions
from domain.values import ActionKind, Actor, Basis

OnAct = Callable[[Case, Basis, datetime, timedelta], None]


class CorrectionUseCases(CaseActions):
    def correct_act(
        self,
        *,
        case_id: UUID,
        act_id: UUID,
        by: Actor,
        reason: str,
        supervisor: bool = False,
        kind: str | None = None,
        act_occurred_at: datetime | None = None,
        summary: str | None = None,
    ) -> Recorded:
        """A new kind, date and/or summary for an intervention (`entity_id`: the act)."""
        corrected_at = (
            self.time.check_occurred_at(act_occurred_at, field="act_occurred_at")
            if act_occurred_at is not None
            else None
        )
        return self._on_act(
            case_id,
            act_id,
            by,
            lambda case, basis, at, window: case.correct_act(
                act_id=act_id,
                by=by,
                basis=basis,
                supervisor=supervisor,
                reason=reason,
                kind=kind,
                act_occurred_at=corrected_at,
                summary=summary,
                occurred_at=at,
                window=window,
            ),
        )

    def annul_act(
        self, *, case_id: UUID, act_id: UUID, by: Actor, reason: str, supervisor: bool = False
    ) -> Recorded:
        """Annul an intervention, a coordination meeting or a share (`entity_id`: the act)."""
        return self._on_act(
            case_id,
            act_id,
            by,
            lambda case, basis, at, window: case.annul_act(
                act_id=act_id,
                by=by,
                basis=basis,
                supervisor=supervisor,
                reason=reason,
                occurred_at=at,
                window=window,
            ),
        )

    def _on_act(self, case_id: UUID, act_id: UUID, by: Actor, step: OnAct) -> Recorded:
        window = self.time.correction_window
        return self._act(
            case_id,
            by,
            ActionKind.COORDINATION,
            None,
            lambda case, basis, at: step(case, basis, at, window),
            entity_id=act_id,
        )
