"""The coherence of a case: who acts on it, for which institution, on what basis — and what is
incoherent (DOMAIN.md, "What the projections show").

Two halves, both pure and both reading only events:

- **Reducers** fold events into facts: `CaseFacts` for one case; `DelegationTerms` and
  `PartnershipTerms` for the registry entries a case refers to. The incremental projection and
  the as-of view run the same reducers — the first over the log as it arrives, the second over
  one case's events cut at a past instant — so the two cannot tell different stories.
- **`assess`** reads the facts at an instant and names the alerts (`domain.coherence_alerts`:
  alerts about past acts, judged when the act occurred, stay until acknowledged; live
  conditions end when the condition ends). Alerts that depend on time (a delegation that has
  since expired, an actor idle for too long, a convention now in force) are computed at reading
  time, so they appear — or show as resolved — without waiting for an event to arrive. Alerts
  are structured values (kind, ids, dates, reasons); the outer rooms word them.

Events are named by `EventRef` (aggregate id, version, type): the same reference whether the
facts were built by the projection or from the log on demand, and the key of the audit trail.

The reducers dispatch on event classes (`domain.event_classes`). This module gathers the public
names of the four that do the work: `coherence_registry` (the registry entries),
`coherence_facts` (one case's facts), `coherence_alerts` (what is incoherent) and
`coherence_assess` (reading them at an instant).
"""

from domain.coherence_alerts import MANY_INSTITUTIONS, NO_CONVENTION, UNKNOWN, Alert
from domain.coherence_assess import DEFAULT_IDLE_AFTER, ActorLine, Coherence, ExchangeLine, assess
from domain.coherence_facts import CaseFacts
from domain.coherence_parts import Acknowledgement, ActorFacts, BasedAction, OutsideAct, ShareFacts
from domain.coherence_registry import DelegationTerms, PartnershipTerms, Registry
from domain.events import EventRef, event_type

__all__ = [
    "DEFAULT_IDLE_AFTER",
    "MANY_INSTITUTIONS",
    "NO_CONVENTION",
    "UNKNOWN",
    "Acknowledgement",
    "ActorFacts",
    "ActorLine",
    "Alert",
    "BasedAction",
    "CaseFacts",
    "Coherence",
    "DelegationTerms",
    "EventRef",
    "ExchangeLine",
    "OutsideAct",
    "PartnershipTerms",
    "Registry",
    "ShareFacts",
    "assess",
    "event_type",
]
