"""A history to import (`maillage import`): JSON Lines of an AEMO service's past cases.

Each case is opened by one educator, followed by home visits and assessments, a coordination
meeting, and closed — dated over the years before the import, as a migration would bring them.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

START = datetime(2021, 1, 4, 9, 0, tzinfo=UTC)


def _line(command: str, ref: str, by: dict[str, str], at: datetime, **body: object) -> str:
    head = {"command": command, "case": ref, "by": by, "occurred_at": at.isoformat()}
    return json.dumps({**head, **body}, ensure_ascii=False)


def history_lines(
    professional: UUID, institution: UUID, *, cases: int, events_each: int, seed: int = 7
) -> Iterator[str]:
    """`cases` cases of `events_each` events each (at least 3: opening, meeting, closing)."""
    rng = random.Random(seed)
    by = {"professional_id": str(professional), "institution_id": str(institution)}
    for n in range(cases):
        ref = f"AEMO-{n:06d}"
        at = START + timedelta(days=rng.randrange(0, 900), hours=rng.randrange(0, 8))
        yield _line(
            "open_case",
            ref,
            by,
            at,
            beneficiary={"first_name": "Enfant", "last_name": f"N{n}", "birth_date": "2012-05-14"},
            legal_framework=rng.choice(["judicial", "administrative"]),
        )
        for _ in range(max(events_each - 3, 0)):
            at += timedelta(days=rng.randrange(1, 20))
            yield _line(
                "record_intervention",
                ref,
                by,
                at,
                kind=rng.choice(["home_visit", "assessment", "educational_support"]),
                summary="visite au domicile, échange avec la mère",
            )
        at += timedelta(days=3)
        yield _line(
            "hold_coordination_meeting",
            ref,
            by,
            at,
            attendees=[by],
            decisions=["poursuivre l'accompagnement"],
        )
        at += timedelta(days=30)
        yield _line("close_case", ref, by, at, reason="fin de la mesure")
