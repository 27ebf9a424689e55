"""Views as a person reads them: names beside ids, labels beside codes, sentences.

`word_case_actors` names the rows of a caseload or an involvement: the professional, the
institution acted for, the basis (its kind's label and the name of what it rests on) and the
institution holding the case.

`word_audit` takes a page of rows of `audit_entry_view` and gives them back with the current
display names of the professional, the institution, the counterpart institution and the basis
(`*_name`), the label of the basis kind, and `summary`: the entry's sentence worded in the
language of `words` (`projections.summaries`). Every id the page mentions is named at once: one
query per kind of id (`projections.names`), whatever the size of the page.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Connection

from domain.labels import label
from projections.names import basis_ids, names
from projections.queries import holders
from projections.sentence import Context, Speech
from projections.summaries import sentence


def word_audit(
    conn: Connection, rows: Sequence[dict[str, Any]], words: Speech
) -> list[dict[str, Any]]:
    wanted: dict[str, set[UUID]] = defaultdict(set)
    for row in rows:
        for kind, ident in _ids(row):
            wanted[kind].add(UUID(ident))
    ctx = Context(words, names(conn, **wanted))
    return [_worded(row, ctx) for row in rows]


def _ids(row: dict[str, Any]) -> Iterable[tuple[str, str]]:
    if row["professional_id"] is not None:
        yield "professionals", row["professional_id"]
    for column in ("institution_id", "counterpart_institution_id"):
        if row[column] is not None:
            yield "institutions", row[column]
    for kind, ids in basis_ids(row["basis_kind"], _uuid(row["basis_ref"])).items():
        yield from ((kind, str(i)) for i in ids)
    yield from sentence(row["summary_key"]).ids(json.loads(row["summary_values"]))


def _worded(row: dict[str, Any], ctx: Context) -> dict[str, Any]:
    entry = {k: v for k, v in row.items() if k not in ("summary_key", "summary_values")}
    professional, institution = row["professional_id"], row["institution_id"]
    names = ctx.names
    entry["professional_name"] = names.professional(_uuid(professional))
    entry["institution_name"] = names.institution(_uuid(institution))
    entry["counterpart_institution_name"] = names.institution(
        _uuid(row["counterpart_institution_id"])
    )
    kind = row["basis_kind"]
    entry["basis_kind_label"] = label(ctx.words, "basis_kind", kind) if kind else None
    entry["basis_name"] = names.basis(kind, _uuid(row["basis_ref"]))
    who = ctx.actor(professional, institution) if professional is not None else ""
    values = json.loads(row["summary_values"])
    entry["summary"] = sentence(row["summary_key"]).word(
        values, ctx, who=who, event=row["event_type"]
    )
    return entry


def _uuid(value: str | None) -> UUID | None:
    return UUID(value) if value is not None else None


def word_case_actors(
    conn: Connection, rows: Sequence[dict[str, Any]], words: Speech
) -> list[dict[str, Any]]:
    held = holders(conn, [row["case_id"] for row in rows])
    wanted: dict[str, list[UUID]] = defaultdict(list)
    for row in rows:
        wanted["professionals"].append(UUID(row["professional_id"]))
        wanted["institutions"].append(UUID(row["institution_id"]))
        if row["case_id"] in held:
            wanted["institutions"].append(UUID(held[row["case_id"]]))
        for kind, ids in basis_ids(row["basis_kind"], _uuid(row["basis_ref"])).items():
            wanted[kind] += ids
    found = names(conn, **wanted)
    named = []
    for row in rows:
        holder = held.get(row["case_id"])
        named.append(
            {
                **row,
                "professional_name": found.professional(UUID(row["professional_id"])),
                "institution_name": found.institution(UUID(row["institution_id"])),
                "basis_kind_label": label(words, "basis_kind", row["basis_kind"]),
                "basis_name": found.basis(row["basis_kind"], _uuid(row["basis_ref"])),
                "holder_institution_id": holder,
                "holder_institution_name": found.institution(_uuid(holder)),
            }
        )
    return named
