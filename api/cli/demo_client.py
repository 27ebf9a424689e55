"""The demo's client application: the département's child welfare (ASE) information system,
following the events of the cases the ASE may know through the catch-up feed, so that a newcomer
can try `POST /oauth/token` then `GET /feed` with the id and secret `maillage demo` prints."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from api.composition import Services
from api.integration.clients import Registered
from domain.access import ReadPurpose
from domain.integration import FEED_KINDS

NAME = "Système d'information de l'ASE du Haut-Rhin"
CASE_KINDS = sorted(kind for kind in FEED_KINDS if kind.startswith("Case."))


@dataclass(frozen=True)
class DemoClient:
    registered: Registered
    who: str = (
        "the département's child welfare (ASE) information system, following case events "
        "(no personal field)"
    )


def register_demo_client(services: Services, ase: UUID, by: UUID) -> DemoClient:
    """Register the ASE's client application (its secret, shown once, is the demo's to print)."""
    registry = services.clients
    registered = registry.register(
        name=NAME,
        institution_id=ase,
        kinds=CASE_KINDS,
        personal_data=False,
        purpose=ReadPurpose.COORDINATION,
        by=by,
    )
    return DemoClient(registered)


def try_it(client: DemoClient, base: str = "http://127.0.0.1:8000") -> str:
    """What to type to get the client's token, then read its feed."""
    return (
        "then, with `maillage serve` running, the ASE's information system gets a token and "
        "follows its feed:\n"
        '  curl -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials '
        f"{base}/oauth/token\n"
        f'  curl -H "Authorization: Bearer $ACCESS_TOKEN" "{base}/feed?after=0&limit=50"'
    )
