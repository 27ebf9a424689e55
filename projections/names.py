"""Display names for the ids a view mentions, read from the registry read model.

Names are **current**: the registry's display name of a professional, an institution or a
partnership at the time of reading (a renamed service shows its new name on old entries; the id
stays the stable reference). One query per kind asked, whatever the number of ids: a view gathers
every id it shows, then asks once.

A name may be missing (an id the registry never knew, or a read side still catching up): callers
show the id then, never an empty string.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy import Connection, Table, select

from projections.tables import institution_view, partnership_terms_view, professional_view


@dataclass(frozen=True)
class Names:
    professionals: Mapping[UUID, str] = field(default_factory=dict)
    institutions: Mapping[UUID, str] = field(default_factory=dict)
    partnerships: Mapping[UUID, str] = field(default_factory=dict)  # their titles

    def professional(self, ident: UUID | None) -> str | None:
        return self.professionals.get(ident) if ident is not None else None

    def institution(self, ident: UUID | None) -> str | None:
        return self.institutions.get(ident) if ident is not None else None

    def partnership(self, ident: UUID | None) -> str | None:
        return self.partnerships.get(ident) if ident is not None else None


def names(
    conn: Connection,
    *,
    professionals: Iterable[UUID | None] = (),
    institutions: Iterable[UUID | None] = (),
    partnerships: Iterable[UUID | None] = (),
) -> Names:
    """The current display names of these ids (those the registry knows)."""
    return Names(
        professionals=_named(conn, professional_view, "professional_id", professionals),
        institutions=_named(conn, institution_view, "institution_id", institutions),
        partnerships={
            UUID(ident): json.loads(terms)["title"]
            for ident, terms in _rows(conn, partnership_terms_view, "partnership_id", partnerships)
        },
    )


def _named(conn: Connection, table: Table, key: str, ids: Iterable[UUID | None]) -> dict[UUID, str]:
    return {UUID(ident): name for ident, name in _rows(conn, table, key, ids, "name")}


def _rows(
    conn: Connection, table: Table, key: str, ids: Iterable[UUID | None], column: str = "terms"
) -> list[tuple[str, str]]:
    wanted = sorted({str(i) for i in ids if i is not None})
    if not wanted:
        return []
    rows: list[tuple[str, str]] = []
    for start in range(0, len(wanted), 500):  # bounded IN lists on both stores
        chunk = wanted[start : start + 500]
        found = conn.execute(select(table.c[key], table.c[column]).where(table.c[key].in_(chunk)))
        rows += [(str(ident), str(value)) for ident, value in found]
    return rows
