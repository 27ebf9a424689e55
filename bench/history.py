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


def history_lines(
    professional: UUID, institution: UUID, *, cases: int, events_each: int, seed: int = 7
) -> Iterator[str]:
    """`cases` cases of `events_each` events each (at least 3: opening, meeting, closing)."""
    rng = random.Random(seed)
    by = {"professional_id": str(professional), "institution_id": str(institution)}
    for n in range(cases):
        ref = f"AEMO-{n:06d}"
        at = START + timedelta(days=rng.randrange(0, 900), hours=rng.randrange(0, 8))

        def line(command: str, **body: object) -> str:
            stamp = at.isoformat()  # noqa: B023 - used at once, in this iteration
            shown = {"command": command, "case": ref, "by": by, "occurred_at": stamp}  # noqa: B023
            return json.dumps({**shown, **body}, ensure_ascii=False)

        yield line(
            "open_case",
            beneficiary={"first_name": "Enfant", "last_name": f"N{n}", "birth_date": "2012-05-14"},
            legal_framework=rng.choice(["judicial", "administrative"]),
        )
        for _ in range(max(events_each - 3, 0)):
            at += timedelta(days=rng.randrange(1, 20))
            yield line(
                "record_intervention",
                kind=rng.choice(["home_visit", "assessment", "educational_support"]),
                summary="visite au domicile, échange avec la mère",
            )
        at += timedelta(days=3)
        yield line(
            "hold_coordination_meeting", attendees=[by], decisions=["poursuivre l'accompagnement"]
        )
        at += timedelta(days=30)
        yield line("close_case", reason="fin de la mesure")
