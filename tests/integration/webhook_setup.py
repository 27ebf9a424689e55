"""What the webhook tests share: a clock they move, a client application and its subscription on
the store under test, a worker trusting the test receivers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

from sqlalchemy import Engine, select

from api.integration.clients import ClientRegistry
from api.integration.webhooks.subscriptions import Subscriptions, WithSecret
from api.integration.webhooks.tables import webhook_delivery
from api.integration.webhooks.worker import Deliverer
from api.settings import Settings
from domain.access import ReadPurpose
from domain.application import Maillage
from projections.runner import ProjectionRunner
from tests.webhook_receivers import trusting_client
from tests.world import NOW

CASE_KINDS = ["Case.CaseOpened", "Case.ConsentGiven", "Case.ReferralMade", "Case.ReferralAccepted"]
ADMIN = uuid4()


class Clock:
    """The worker's clock: NOW until a test moves it."""

    def __init__(self, at: datetime = NOW) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def move(self, **delta: float) -> None:
        self.at += timedelta(**delta)


def loopback_settings(settings: Settings, **more: object) -> Settings:
    """The store's settings, letting webhooks reach the test receivers on loopback."""
    return settings.model_copy(update={"webhook_allow_private_targets": True, **more})


def subscribe(
    engine: Engine,
    settings: Settings,
    institution: UUID,
    url: str,
    kinds: Iterable[str] = CASE_KINDS,
    client_kinds: Iterable[str] | None = None,
) -> WithSecret:
    """A client application of `institution`, and its subscription at `url`."""
    client = ClientRegistry(engine).register(
        name="SI du département",
        institution_id=institution,
        kinds=list(client_kinds or kinds),
        personal_data=False,
        purpose=ReadPurpose.COORDINATION,
        by=ADMIN,
    )
    return Subscriptions(engine, settings).create(
        client_id=client.client_id, url=url, kinds=list(kinds), by=ADMIN
    )


def worker(
    engine: Engine, settings: Settings, tmp_path: Path, clock: Clock | None = None
) -> Deliverer:
    """A worker whose client trusts the receivers' certificate, with a clock (default: real
    time, which standardwebhooks' verification reads) and a jitter fixed at its largest."""
    client = trusting_client(settings, tmp_path)
    if clock is None:
        return Deliverer(engine, settings, client, random=lambda: 1.0)
    return Deliverer(engine, settings, client, clock=clock, random=lambda: 1.0)


def project(app: Maillage, engine: Engine) -> None:
    ProjectionRunner(app, engine).catch_up()


def deliveries(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        rows = conn.execute(select(webhook_delivery).order_by(webhook_delivery.c.position))
        return [dict(r._mapping) for r in rows]
