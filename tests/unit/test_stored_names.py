"""What the store decodes by name must never move: events by topic, value types by name.

A stored event is decoded by its topic (`module:QualName`), a snapshot by its aggregate's topic,
and a value inside either by its transcoding name and field names. Splitting a module must change
none of them, or databases written before stop loading. `stored_names.txt` is the list taken from
the code before the domain was split into smaller modules; this test compares the code to it.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from pathlib import Path

from eventsourcing.domain import Aggregate, DomainEvent
from eventsourcing.utils import get_topic

import domain
from domain.transcodings import VALUE_TYPES

FROZEN = Path(__file__).with_name("stored_names.txt")


def _aggregates() -> list[type[Aggregate]]:
    found: set[type[Aggregate]] = set()
    for info in pkgutil.walk_packages(domain.__path__, "domain."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Aggregate) and cls.__module__.startswith("domain."):
                found.add(cls)
    return sorted(found, key=get_topic)


def _events(aggregate: type[Aggregate]) -> list[type[DomainEvent]]:
    events = []
    for name in dir(aggregate):
        value = getattr(aggregate, name)
        if (
            isinstance(value, type)
            and issubclass(value, DomainEvent)
            and value.__qualname__.startswith(aggregate.__qualname__ + ".")
        ):
            events.append(value)
    return sorted(events, key=get_topic)


def stored_names() -> list[str]:
    """One line per name the store relies on: topics with their fields, then value types."""
    lines = []
    for aggregate in _aggregates():
        lines.append(get_topic(aggregate))
        for event_class in _events(aggregate):
            fields = sorted(f.name for f in dataclasses.fields(event_class))
            lines.append(f"{get_topic(event_class)} {' '.join(fields)}")
    for name, cls in VALUE_TYPES.items():
        fields = [f.name for f in dataclasses.fields(cls)]
        lines.append(f"value {name} {' '.join(fields)}")  # by name: the module may change
    return lines


def test_every_stored_topic_and_value_name_is_unchanged() -> None:
    assert stored_names() == FROZEN.read_text().splitlines()


def test_every_event_class_resolves_from_its_topic() -> None:
    from eventsourcing.utils import resolve_topic

    for aggregate in _aggregates():
        assert resolve_topic(get_topic(aggregate)) is aggregate
        for event_class in _events(aggregate):
            assert resolve_topic(get_topic(event_class)) is event_class
