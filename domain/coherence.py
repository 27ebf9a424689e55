"""The coherence of a case: who acts on it, for which institution, on what basis — and what is
incoherent (DOMAIN.md, "What the projections show").

Two halves, both pure and both reading only events:

- **Reducers** fold events into facts: `CaseFacts` for one case; `DelegationTerms` and
  `PartnershipTerms` for the registry entries a case refers to. The incremental projection and
  the as-of view run the same reducers — the first over the log as it arrives, the second over
  one case's events cut at a past instant — so the two cannot tell different stories.
- **`assess`** reads the facts at an instant and names the alerts. Alerts that depend on time (a
  delegation that has since expired, an actor idle for too long) are computed at reading time, so
  they appear without waiting for an event to arrive.

Events are named by `EventRef` (aggregate id, version, type): the same reference whether the
facts were built by the projection or from the log on demand, and the key of the audit trail.

The reducers dispatch on event classes (`domain.event_classes`). This module gathers the public
names of the three that do the work: `coherence_registry` (the registry entries),
`coherence_facts` (one case's facts) and `coherence_assess` (reading them at an instant).
"""

from domain.coherence_assess import (
    DEFAULT_IDLE_AFTER,
    MANY_INSTITUTIONS,
    ActorLine,
    Alert,
    Coherence,
    assess,
)
from domain.coherence_facts import ActorFacts, BasedAction, CaseFacts, ShareFacts
from domain.coherence_registry import DelegationTerms, PartnershipTerms, Registry
from domain.events import EventRef, event_type

__all__ = [
    "DEFAULT_IDLE_AFTER",
    "MANY_INSTITUTIONS",
    "ActorFacts",
    "ActorLine",
    "Alert",
    "BasedAction",
    "CaseFacts",
    "Coherence",
    "DelegationTerms",
    "EventRef",
    "PartnershipTerms",
    "Registry",
    "ShareFacts",
    "assess",
    "event_type",
]
