"""The retention policy: a closed case's beneficiary is erased N years after the closing.

Run from a scheduler (`maillage apply-retention`); each erasure is an event of the case with the
ground `retention_expired`, so what was erased, when and why stays in the log."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from api.composition import Services
from domain.case_values import ErasureGround
from domain.errors import BeneficiaryErasedError, RetentionNotDueError
from domain.privacy import retention_cutoff
from projections.queries import cases_closed_before


def cases_due(services: Services, years: int) -> list[UUID]:
    """Cases closed more than `years` ago whose beneficiary is not erased yet (the read side
    caught up first, so a case closed a moment ago is not missed)."""
    services.projections.catch_up()
    cutoff = retention_cutoff(services.maillage.time.now(), years)
    with services.engine.connect() as conn:
        return cases_closed_before(conn, cutoff)


def apply_retention(
    services: Services,
    years: int,
    *,
    progress: Callable[[UUID], None] | None = None,
) -> list[UUID]:
    """Erase every case due; returns those erased."""
    app = services.maillage
    app.keyring.wipe()  # what earlier erasures could not wipe yet
    cutoff = retention_cutoff(app.time.now(), years)
    erased = []
    for case_id in cases_due(services, years):
        try:  # decided again on the case itself: it may have been reopened or erased since
            app.erase_beneficiary(
                case_id=case_id,
                ground=ErasureGround.RETENTION_EXPIRED,
                reference=f"retention of {years} years after closing",
                requested_by="retention policy",
                closed_before=cutoff,
            )
        except (RetentionNotDueError, BeneficiaryErasedError):
            continue
        erased.append(case_id)
        if progress is not None:
            progress(case_id)
    return erased
