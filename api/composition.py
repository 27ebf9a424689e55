"""The composition root: every service Maillage runs, built from `Settings` in one place.

The HTTP app (`api.http.app`), the command line (`api.cli`), bench/ and the tests all build what
they use here, so that one setting means the same thing everywhere: the store, the one clock (the
time policy, shared by the use cases, the keyring, idempotency records, tokens and the projection
runner), the read-side engine, the projection runner and the registry of client applications.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine

from api.integration.clients import ClientRegistry
from api.settings import Settings
from api.store.factory import build_application, build_engine, time_policy
from api.store.idempotency import IdempotencyStore
from domain.application import Maillage
from domain.timing import TimePolicy
from projections.runner import ProjectionRunner


@dataclass
class Services:
    """What one process runs: close it when done (`open_services` does)."""

    settings: Settings
    time: TimePolicy
    maillage: Maillage
    engine: Engine
    projections: ProjectionRunner
    idempotency: IdempotencyStore
    clients: ClientRegistry  # client applications (issue 19): their tokens, the feed, admins

    def close(self) -> None:
        self.maillage.close()
        self.engine.dispose()


def build_services(
    settings: Settings, *, time: TimePolicy | None = None, **library_env: str
) -> Services:
    """Every service over the store `settings` names. The store must be migrated
    (`api.store.migrations.ensure_current`). `library_env` overrides the event-sourcing
    library's settings (e.g. `AGGREGATE_CACHE_MAXSIZE=""` for no cache)."""
    policy = time or time_policy(settings)
    maillage = build_application(settings, time=policy, **library_env)
    engine = build_engine(settings)
    return Services(
        settings=settings,
        time=policy,
        maillage=maillage,
        engine=engine,
        projections=ProjectionRunner(
            maillage, engine, batch_size=settings.projection_batch_size, clock=policy.now
        ),
        idempotency=IdempotencyStore(
            engine,
            timedelta(hours=settings.idempotency_ttl_hours),
            clock=policy.now,
            lease=timedelta(seconds=settings.idempotency_lease_seconds),
        ),
        clients=ClientRegistry(engine, policy.now),
    )


@contextmanager
def open_services(
    settings: Settings, *, time: TimePolicy | None = None, **library_env: str
) -> Iterator[Services]:
    services = build_services(settings, time=time, **library_env)
    try:
        yield services
    finally:
        services.close()
