"""The audit trail's sentence for each event: a key and its values, stored; worded when read.

The projector keeps, per event, the key of a sentence and the values it needs — codes, ids,
dates, counts, texts that are not personal (a legal reference, a profession, a participant's
role) — never a name nor a sealed field (`domain.privacy`): names are current ones, joined when
read (`projections.view_wording`), and the person's data stays sealed. `SENTENCES` holds, per
key, the English template (`N_`; French in `api/i18n/locales/fr/views.po`) and how each value
reads (`projections.sentence`); the tables are in `sentences_case` and `sentences_registry`.

Keyed on event classes (`domain.event_classes`); an event with no sentence of its own is kept as
its type (`FALLBACK`), and reads as such.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.domain import DomainEvent

from domain.wording import N_
from projections import (
    sentences_case,
    sentences_holding,
    sentences_identifiers,
    sentences_registry,
)
from projections.sentence import Sentence, Summary

FALLBACK = "event"
SENTENCES: dict[str, Sentence] = {
    FALLBACK: Sentence(N_("Recorded: {event}")),  # `event`: the event type, from the entry
    **sentences_case.LINES.sentences,
    **sentences_holding.LINES.sentences,
    **sentences_registry.LINES.sentences,
    **sentences_identifiers.LINES.sentences,
}
SUMMARIES: dict[type, Callable[[Any], Summary]] = {
    **sentences_case.LINES.summaries,
    **sentences_holding.LINES.summaries,
    **sentences_registry.LINES.summaries,
    **sentences_identifiers.LINES.summaries,
}


def summarise(event: DomainEvent) -> Summary:
    render = SUMMARIES.get(type(event))
    if render is None:
        return Summary(FALLBACK, {})
    return render(event)


def sentence(key: str) -> Sentence:
    """The sentence of a stored key (one this code no longer has reads as the fallback)."""
    return SENTENCES.get(key, SENTENCES[FALLBACK])
