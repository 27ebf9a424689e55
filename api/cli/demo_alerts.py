"""What the demo's deliberate incoherences read like: each case's open alerts as a supervisor
reads them in the coherence view — the same sentences (`api.http.coherence_words`), in French by
default, with the story's names."""

from __future__ import annotations

from datetime import datetime

from api.cli.demo import DemoStory
from api.cli.demo_script import INSTITUTIONS, PROFESSIONALS
from api.http.coherence_words import CoherenceWords
from api.i18n import Words
from domain.application import Maillage
from domain.case import Case
from domain.partnership import Partnership
from projections.coherence import AsOf, coherence_as_of
from projections.names import Names


def demo_alerts(
    app: Maillage, story: DemoStory, now: datetime, words: Words | None = None
) -> dict[str, list[str]]:
    """Each case's open alerts as it stood at `now` (by the beneficiary's first name), as
    sentences."""
    found = Names(
        professionals={i: PROFESSIONALS[k][0] for k, i in story.professionals.items()},
        institutions={i: INSTITUTIONS[k][0] for k, i in story.institutions.items()},
        partnerships={i: app.load(Partnership, i).title for i in story.partnerships.values()},
    )
    wording = CoherenceWords(words or Words(), found)
    alerts: dict[str, list[str]] = {}
    for case_id in story.cases.values():
        view = coherence_as_of(app, case_id, at=now, question=AsOf.OCCURRED)
        name = app.load(Case, case_id).beneficiary.first_name
        alerts[name] = [wording.alert(a) for a in view.alerts] if view is not None else []
    return alerts
