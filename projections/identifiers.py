"""National identifiers as the registry's read model has them: for many institutions and
professionals at once (one query per kind), e.g. for the FHIR view of a case, which names
every institution and professional on it (`domain.identifiers.fhir_identifiers` turns each
entry into FHIR identifiers)."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import Connection, Table, select

from domain.identifiers import INSTITUTION_SCHEMES, PROFESSIONAL_SCHEMES, Scheme
from projections.tables import institution_view, professional_view

Held = dict[UUID, dict[Scheme, str]]


def registry_identifiers(
    conn: Connection,
    *,
    institutions: Iterable[UUID] = (),
    professionals: Iterable[UUID] = (),
) -> tuple[Held, Held]:
    """(institutions' numbers, professionals' numbers), by id; an id without any is absent."""
    return (
        _held(conn, institution_view, "institution_id", institutions, INSTITUTION_SCHEMES),
        _held(conn, professional_view, "professional_id", professionals, PROFESSIONAL_SCHEMES),
    )


def _held(
    conn: Connection, table: Table, key: str, ids: Iterable[UUID], schemes: tuple[Scheme, ...]
) -> Held:
    wanted = sorted({str(i) for i in ids})
    if not wanted:
        return {}
    columns = [table.c[key], *(table.c[s.value] for s in schemes)]
    found: Held = {}
    for row in conn.execute(select(*columns).where(table.c[key].in_(wanted))).mappings():
        numbers = {s: row[s.value] for s in schemes if row[s.value] is not None}
        if numbers:
            found[UUID(row[key])] = numbers
    return found
