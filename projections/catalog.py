"""Every projection the service runs, in one place (the runner's default)."""

from __future__ import annotations

from projections.feed import Feed
from projections.projector import Projector
from projections.projectors import AuditTrail, CaseCoherence, RegistryNames
from projections.referral_inbox import ReferralInbox
from projections.report_projector import Reports
from projections.transfers import Transfers

PROJECTORS: tuple[Projector, ...] = (
    RegistryNames(),
    AuditTrail(),
    CaseCoherence(),
    Reports(),
    ReferralInbox(),
    Transfers(),
    Feed(),
)
