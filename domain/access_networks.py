"""Who acts for whom in a network (`domain.access`'s rules, for the network routes)."""

from __future__ import annotations

from uuid import UUID

from domain.access import ACTING_IN_NETWORKS, Principal, Role, check_role


def check_network_person(principal: Principal, person_id: UUID, *, doing: str) -> None:
    """In a network, a professional acts for themselves; an administrator for anyone."""
    ACTING_IN_NETWORKS.check(principal)
    if principal.subject == person_id:
        return
    check_role(principal, Role.ADMIN, doing=doing)
