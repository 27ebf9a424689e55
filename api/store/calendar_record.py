"""The time zone a store's reports are cut in, recorded once: serving under another is refused.

Reports count an act in the month of the service's calendar (`MAILLAGE_TIME_ZONE`), cut when a
report is asked for: the read side keeps instants, so nothing would need rebuilding after a
change. But every period would be cut anew, published ones included — and a published report
never changes (`domain.report_family`): two readings of one month under two zones differ by
the acts of a few hours at its edges, few enough to single someone out. So the HTTP service
records its zone in the store the first time it starts (`service_setting`, migration 0010;
kept by backups, as it is not derived) and refuses to start under another one.

Changing it on purpose (a store set up with the wrong zone, before anything was published):
stop the service, delete the row (`DELETE FROM service_setting WHERE name = 'time_zone'`),
start it with the new zone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Engine, MetaData, String, Table, insert, select
from sqlalchemy.exc import IntegrityError

TIME_ZONE = "time_zone"

service_setting = Table(
    "service_setting",
    MetaData(),
    Column("name", String(64), primary_key=True),
    Column("value", String(300), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)


class TimeZoneChangedError(RuntimeError):
    """The service would cut published reports anew: it refuses to start."""


def settle_time_zone(engine: Engine, zone: str, now: datetime) -> str:
    """Record `zone` as the store's, the first time (two processes starting together: one
    records it, the other reads it); refuse another one afterwards. Returns the zone."""
    query = select(service_setting.c.value, service_setting.c.recorded_at).where(
        service_setting.c.name == TIME_ZONE
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        try:
            with engine.begin() as conn:
                conn.execute(
                    insert(service_setting).values(name=TIME_ZONE, value=zone, recorded_at=now)
                )
            return zone
        except IntegrityError:
            with engine.connect() as conn:
                row = conn.execute(query).one()
    if row.value != zone:
        raise TimeZoneChangedError(
            f"MAILLAGE_TIME_ZONE is {zone} but this store's reports are cut in {row.value} "
            f"(recorded on {row.recorded_at:%Y-%m-%d}): another zone would change the reports "
            f"of periods already published. Set MAILLAGE_TIME_ZONE={row.value}; to change it "
            "on purpose before anything is published, see README (Reports and the network map)."
        )
    return zone
