"""What the webhook tests share: a clock they move, a client application and its subscription on
the store under test, a worker trusting the test receivers — gathered in a `Scene`, the
`hooks` fixture of `tests/integration/conftest.py`."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
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
from tests.webhook_receivers import Answer, Receiver, receiver, trusting
from tests.world import NOW, World

CASE_KINDS = ["Case.CaseOpened", "Case.ConsentGiven", "Case.ReferralMade", "Case.ReferralAccepted"]
OPENED = ["Case.CaseOpened"]
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


def project(app: Maillage, engine: Engine) -> None:
    ProjectionRunner(app, engine).catch_up()


def deliveries(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        rows = conn.execute(select(webhook_delivery).order_by(webhook_delivery.c.position))
        return [dict(r._mapping) for r in rows]


@dataclass
class Scene:
    """A store under test with its world, its projections caught up, and loopback receivers;
    `settings` lets webhooks reach them (`loopback_settings`)."""

    world: World
    app: Maillage
    engine: Engine
    store_settings: Settings
    tmp_path: Path
    clock: Clock = field(default_factory=Clock)
    workers: list[Deliverer] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        return loopback_settings(self.store_settings)

    def with_settings(self, **more: object) -> Settings:
        return loopback_settings(self.store_settings, **more)

    def receiver(self, answer: Answer | None = None) -> AbstractContextManager[Receiver]:
        return receiver(self.tmp_path, answer)

    def subscribe(
        self,
        url: str,
        kinds: Iterable[str] = OPENED,
        *,
        institution: str = "aemo",
        settings: Settings | None = None,
        client_kinds: Iterable[str] | None = None,
    ) -> WithSecret:
        chosen = settings or self.settings
        return subscribe(self.engine, chosen, self.world.i(institution), url, kinds, client_kinds)

    def project(self) -> None:
        project(self.app, self.engine)

    def open_cases(self, count: int = 1) -> None:
        """`count` cases opened by AEMO, projected."""
        for _ in range(count):
            self.world.open_case()
        self.project()

    def worker(
        self, settings: Settings | None = None, *, clock: Any = "scene", **more: Any
    ) -> Deliverer:
        """A worker trusting the receivers' certificate, its jitter fixed at its largest, on
        the scene's clock (`clock=None`: real time, which standardwebhooks' verification
        reads); closed with the scene."""
        if clock == "scene":
            clock = self.clock
        if clock is not None:
            more["clock"] = clock
        made = Deliverer(
            self.engine,
            settings or self.settings,
            random=lambda: 1.0,
            verify=trusting(self.tmp_path),
            **more,
        )
        self.workers.append(made)
        return made

    def deliveries(self) -> list[dict[str, Any]]:
        return deliveries(self.engine)

    def by_subscription(self) -> dict[str, dict[str, Any]]:
        """The deliveries by their subscription's id (one each)."""
        return {str(r["subscription_id"]): r for r in self.deliveries()}
