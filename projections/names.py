"""Display names for the ids a view mentions, read from the registry read model.

Names are **current**: the registry's display name of a professional, an institution, a
partnership or a network at the time of reading (a renamed service shows its new name on old
entries; the id stays the stable reference). One query per kind asked, whatever the number of
ids: a view gathers every id it shows, then asks once.

A delegation is named by who holds it and for whom: asking for delegations also asks for the
names of their delegates and delegating institutions (still one query per kind).

A client application of an institution (issue 19) reads cases too: its readings name it where
a professional would stand (`professional_id` is the client's id). Its name is found in the
registry of client applications (`integration_client`, configuration kept by `api.integration`,
not a read model) for the ids the registry of professionals does not know.

A name may be missing (an id the registry never knew, or a read side still catching up): callers
show the id then, never an empty string.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Select, TableClause, bindparam, column, select, table

from domain.funding import FundedKind
from domain.values import BasisKind
from projections.report_tables import report_scope_view
from projections.tables import (
    delegation_terms_view,
    institution_view,
    partnership_terms_view,
    professional_view,
)

# The registry of client applications, as names read it (its table: `api.integration.clients`).
_CLIENTS = table("integration_client", column("client_id"), column("name"))


@dataclass(frozen=True)
class Delegate:
    """Who holds a delegation (`professional_id`) and for which institution."""

    professional_id: UUID
    institution_id: UUID


@dataclass(frozen=True)
class Names:
    professionals: Mapping[UUID, str] = field(default_factory=dict)
    institutions: Mapping[UUID, str] = field(default_factory=dict)
    partnerships: Mapping[UUID, str] = field(default_factory=dict)  # their titles
    networks: Mapping[UUID, str] = field(default_factory=dict)
    delegations: Mapping[UUID, Delegate] = field(default_factory=dict)

    def professional(self, ident: UUID | None) -> str | None:
        return self.professionals.get(ident) if ident is not None else None

    def institution(self, ident: UUID | None) -> str | None:
        return self.institutions.get(ident) if ident is not None else None

    def partnership(self, ident: UUID | None) -> str | None:
        return self.partnerships.get(ident) if ident is not None else None

    def network(self, ident: UUID | None) -> str | None:
        return self.networks.get(ident) if ident is not None else None

    def delegation(self, ident: UUID | None) -> Delegate | None:
        return self.delegations.get(ident) if ident is not None else None

    def basis(self, kind: str | None, ref: UUID | None) -> str | None:
        """The name of what an act rests on: a convention's title, a network's name, the
        delegating institution of a delegation, the holding institution (`case_holder`)."""
        if kind == BasisKind.CONVENTION:
            return self.partnership(ref)
        if kind == BasisKind.NETWORK:
            return self.network(ref)
        if kind == BasisKind.CASE_HOLDER:
            return self.institution(ref)
        if kind == BasisKind.DELEGATION:
            delegate = self.delegation(ref)
            return self.institution(delegate.institution_id) if delegate is not None else None
        return None


def basis_ids(kind: str | None, ref: UUID | None) -> dict[str, list[UUID]]:
    """The ids `names` needs to name a basis (keyword -> ids), for `Names.basis`."""
    if ref is None:
        return {}
    keyword = {
        BasisKind.CONVENTION: "partnerships",
        BasisKind.NETWORK: "networks",
        BasisKind.CASE_HOLDER: "institutions",
        BasisKind.DELEGATION: "delegations",
    }.get(kind)  # type: ignore[call-overload]
    return {keyword: [ref]} if keyword is not None else {}


def names(
    conn: Connection,
    *,
    professionals: Iterable[UUID | None] = (),
    institutions: Iterable[UUID | None] = (),
    partnerships: Iterable[UUID | None] = (),
    networks: Iterable[UUID | None] = (),
    delegations: Iterable[UUID | None] = (),
) -> Names:
    """The current display names of these ids (those the registry knows)."""
    delegates = {
        UUID(ident): Delegate(UUID(professional), UUID(institution))
        for ident, professional, institution in _rows(
            conn,
            delegation_terms_view,
            "delegation_id",
            delegations,
            ("professional_id", "institution_id"),
        )
    }
    people = [*professionals, *(d.professional_id for d in delegates.values())]
    places = [*institutions, *(d.institution_id for d in delegates.values())]
    scopes = report_scope_view
    return Names(
        professionals=_people(conn, people),
        institutions=_named(conn, institution_view, "institution_id", places),
        partnerships={
            UUID(ident): json.loads(terms)["title"]
            for ident, terms in _rows(
                conn, partnership_terms_view, "partnership_id", partnerships, ("terms",)
            )
        },
        networks={
            UUID(ident): name
            for ident, name in _rows(
                conn,
                scopes,
                "scope_id",
                networks,
                ("name",),
                FundedKind.NETWORK.value,
            )
        },
        delegations=delegates,
    )


def _people(conn: Connection, ids: Iterable[UUID | None]) -> dict[UUID, str]:
    """Professionals by name; the ids no professional has, client applications by name."""
    wanted = {i for i in ids if i is not None}
    found = _named(conn, professional_view, "professional_id", wanted)
    unknown = wanted - found.keys()
    return {**found, **_named(conn, _CLIENTS, "client_id", unknown)} if unknown else found


def client_ids(conn: Connection, ids: Iterable[UUID | None]) -> frozenset[UUID]:
    """Those of `ids` that are client applications (software, not people: issue 19)."""
    return frozenset(UUID(row[0]) for row in _rows(conn, _CLIENTS, "client_id", ids, ()))


def _named(
    conn: Connection, table: TableClause, key: str, ids: Iterable[UUID | None]
) -> dict[UUID, str]:
    return {UUID(ident): name for ident, name in _rows(conn, table, key, ids, ("name",))}


def _rows(
    conn: Connection,
    table: TableClause,
    key: str,
    ids: Iterable[UUID | None],
    columns: tuple[str, ...],
    scope_kind: str | None = None,
) -> list[tuple[str, ...]]:
    wanted = sorted({str(i) for i in ids if i is not None})
    if not wanted:
        return []
    rows: list[tuple[str, ...]] = []
    query = _lookup(table, key, columns, scope_kind)
    for start in range(0, len(wanted), 500):  # bounded IN lists on both stores
        chunk = wanted[start : start + 500]
        rows += [tuple(str(v) for v in row) for row in conn.execute(query, {"ids": chunk})]
    return rows


@cache
def _lookup(
    table: TableClause, key: str, columns: tuple[str, ...], scope_kind: str | None
) -> Select[Any]:
    """The query for some ids of one table, built once: the ids are bound when it runs (an
    expanding parameter), so a view's lookups cost no statement building per request."""
    query = select(table.c[key], *(table.c[c] for c in columns)).where(
        table.c[key].in_(bindparam("ids", expanding=True))
    )
    if scope_kind is not None:
        query = query.where(table.c.scope_kind == scope_kind)
    return query
