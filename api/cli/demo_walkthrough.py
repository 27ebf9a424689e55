"""What `maillage demo` shows once the story is loaded: a few of the views it built, as a
supervisor reads them — in French unless asked otherwise, people and institutions named.

The read side is caught up first (the demo's own process has no follower), then the lines are
worded from the same queries and wording as the HTTP views (`projections.view_wording`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from api.cli.demo import DemoStory
from api.composition import Services
from api.i18n import FRENCH, Words
from projections import queries
from projections.sentence import lower_first
from projections.view_wording import word_audit, word_case_actors

LATEST = 6  # entries of Léo's history shown
CASES = {"leo": "Léo", "ines": "Inès"}  # the demo's cases, as its script calls them


def walkthrough(services: Services, story: DemoStory, words: Words = FRENCH) -> list[str]:
    services.projections.catch_up()
    cases = {str(case_id): CASES.get(key, key) for key, case_id in story.cases.items()}
    with services.engine.connect() as conn:
        trail = list(_whole_trail(conn, story))
        entries = word_audit(conn, trail[-LATEST:], words)
        jeanne = queries.caseload(conn, story.professionals["jeanne"])
        caseload = word_case_actors(conn, jeanne, words)
        cmp = queries.involvement(conn, story.institutions["cmp"])
        involvement = word_case_actors(conn, cmp, words)
    lines = [words.gettext("Léo's file, the last entries of its history (audit trail):")]
    lines += [f"  {words.date(e['occurred_at'])} — {e['summary']}" for e in entries]
    if caseload:
        lines.append(
            words.gettext(
                "Caseload of {professional}:", professional=caseload[0]["professional_name"]
            )
        )
        lines += [f"  {_actor_line(words, row, cases)}" for row in caseload]
    if involvement:
        lines.append(
            words.gettext(
                "Involvement of {institution}:", institution=involvement[0]["institution_name"]
            )
        )
        lines += [f"  {_actor_line(words, row, cases)}" for row in involvement]
    return lines


def _whole_trail(conn: Any, story: DemoStory) -> Iterator[dict[str, Any]]:
    after = None
    while True:
        found = queries.audit_trail(conn, case_id=story.cases["leo"], after=after, limit=500)
        yield from found.entries
        if found.next_cursor is None:
            return
        after = found.next_cursor


def _actor_line(words: Words, row: dict[str, Any], cases: dict[str, str]) -> str:
    basis = lower_first(row["basis_kind_label"])
    if row["basis_name"]:
        basis = words.gettext("{basis} ({name})", basis=basis, name=row["basis_name"])
    return words.gettext(
        "{case}: {professional} ({institution}), role: {role}, basis: {basis}; case held by "
        "{holder}",
        case=cases.get(row["case_id"], row["case_id"]),
        professional=row["professional_name"] or row["professional_id"],
        institution=row["institution_name"] or row["institution_id"],
        role=row["role"],
        basis=basis,
        holder=row["holder_institution_name"] or row["holder_institution_id"],
    )
