"""Events are dispatched by class, and dispatch is complete: the catalog names every event class
the aggregates define, every projector says what it does with each, and nothing in the domain or
the projections names an event by a string."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest
from eventsourcing.domain import Aggregate, DomainEvent, Snapshot

import domain.application
import domain.event_classes
from domain.application import Maillage
from domain.case import Case
from domain.events import (
    AGGREGATES,
    ALL_EVENTS,
    CASE_ACTS,
    CASE_CORRECTIONS,
    CASE_EVENTS,
    EventRef,
    event_type,
)
from domain.privacy import PERSONAL_FIELDS, STATE_FIELDS, Sealed, unseal
from projections.batch import Batch
from projections.catalog import PROJECTORS
from projections.log_reading import event_reader
from projections.projector import Projector, UnhandledEventError
from projections.summaries import SENTENCES, SUMMARIES
from tests.world import World

ROOT = Path(__file__).resolve().parents[2]


def recorded_classes(aggregate: type[Aggregate]) -> set[type[DomainEvent]]:
    """The event classes an aggregate records: its nested events but the library's bases."""
    return {
        v
        for v in vars(aggregate).values()
        if isinstance(v, type)
        and issubclass(v, DomainEvent)
        and v is not aggregate.Event
        and v.__name__ != "Created"
    }


def test_the_catalog_names_every_event_class_of_every_aggregate() -> None:
    def aggregates(cls: type[Aggregate]) -> set[type[Aggregate]]:
        found = set()
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("domain."):
                found |= {sub, *aggregates(sub)}
        return found

    assert set(AGGREGATES) == aggregates(Aggregate)
    defined = set().union(*(recorded_classes(a) for a in AGGREGATES))
    assert set(ALL_EVENTS) == defined
    assert len(ALL_EVENTS) == len(defined)  # each once
    assert set(CASE_EVENTS) == recorded_classes(Case)
    # Corrections (issue 17) are done by a professional but are no act on the person.
    assert set(CASE_EVENTS) - set(CASE_ACTS) - set(CASE_CORRECTIONS) == {
        domain.event_classes.BeneficiaryErased,
        domain.event_classes.IdentityRectified,
    }


def test_each_catalog_name_is_the_real_class_of_that_name() -> None:
    for cls in ALL_EVENTS:
        assert getattr(domain.event_classes, cls.__name__) is cls
    assert domain.event_classes.CaseEvent is Case.Event


def test_the_type_checkers_stubs_match_the_real_event_classes() -> None:
    """The stubs mypy reads (under TYPE_CHECKING) list only fields the real classes have."""
    stubs: dict[str, ast.ClassDef] = {}
    for module in ("event_classes.py", "registry_event_classes.py"):  # the case's, the registry's
        tree = ast.parse((ROOT / "domain" / module).read_text())
        block = next(n for n in tree.body if isinstance(n, ast.If))
        stubs.update({n.name: n for n in block.body if isinstance(n, ast.ClassDef)})
    bases = {"CaseEvent", "CaseAct"} | {a.Event.__qualname__.replace(".", "") for a in AGGREGATES}

    def fields(name: str) -> set[str]:
        stub = stubs[name]
        own = {
            s.target.id
            for s in stub.body
            if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
        }
        inherited = [b.id for b in stub.bases if isinstance(b, ast.Name) and b.id in stubs]
        return own.union(*(fields(b) for b in inherited))

    checked = 0
    for name in stubs:
        if name in bases:
            continue
        real = getattr(domain.event_classes, name)
        assert set(fields(name)) <= {f.name for f in dataclasses.fields(real)}, name
        checked += 1
    assert checked == len(ALL_EVENTS)


@pytest.mark.parametrize("projector", PROJECTORS, ids=lambda p: p.name)
def test_every_projector_handles_or_ignores_every_event_class(projector: Projector) -> None:
    undeclared = [event_type(c) for c in ALL_EVENTS if not projector.knows(c)]
    assert undeclared == [], f"{projector.name} says nothing of {undeclared}"
    both = [event_type(c) for c in set(projector.handlers) & projector.ignored]
    assert both == [], f"{projector.name} both handles and ignores {both}"
    assert set(projector.handlers) | projector.ignored == set(ALL_EVENTS)


class Openings(Projector):
    """A toy projector: folds case openings, and ignores what it is told to."""

    name = "openings"
    tables = ()

    def __init__(self, *ignored: type[DomainEvent]) -> None:
        self.seen: list[EventRef] = []
        super().__init__()
        self.ignore(*ignored)

    def declare(self) -> None:
        self.on(self.opened, domain.event_classes.CaseOpened)

    def opened(self, _: Batch, e: domain.event_classes.CaseOpened, __: int) -> None:
        self.seen.append(EventRef.of(e))


def test_a_projector_refuses_an_event_class_it_did_not_declare(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    app.close_case(case_id=case_id, by=world.actor("jeanne"), reason="done")
    read = event_reader(app)
    opened, closed = [read(s) for s in app.recorder.select_events(case_id)]
    batch = Batch(None)  # type: ignore[arg-type] - the toy projector writes nothing

    strict = Openings()
    strict.apply(batch, opened, 1)
    with pytest.raises(UnhandledEventError, match=r"'openings' .* Case\.CaseClosed"):
        strict.apply(batch, closed, 2)
    assert [r.type for r in strict.seen] == ["Case.CaseOpened"]

    told = Openings(domain.event_classes.CaseClosed)
    told.apply(batch, opened, 1)
    told.apply(batch, closed, 2)
    assert [r.type for r in told.seen] == ["Case.CaseOpened"]


def test_every_event_has_a_sentence_in_the_audit_trail() -> None:
    """Each event class has its own sentence (`projections.summaries`), not the fallback."""
    assert set(SUMMARIES) == set(ALL_EVENTS)
    assert len(SENTENCES) > 40


EVENT_NAME_AS_STRING = re.compile(
    r"""["'](Case|Delegation|Partnership|Institution|Professional|Network|Funding|Consultation)"""
    r"""\.[A-Za-z]|["']domain\.\w+:"""
)


def test_no_event_is_named_by_a_string_in_the_domain_or_the_projections() -> None:
    """Neither `"Case.InterventionRecorded"` nor a bare `"InterventionRecorded"`: only the
    aggregates' `@event("…")` declarations, which name their classes, spell them."""
    names = "|".join(cls.__name__ for cls in ALL_EVENTS)
    bare = re.compile(rf"""["']({names})["']""")
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for room in ("domain", "projections")
        for path in sorted((ROOT / room).rglob("*.py"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if EVENT_NAME_AS_STRING.search(line)
        or (bare.search(line) and not line.strip().startswith("@event("))
    ]
    assert found == []


def test_personal_fields_are_declared_by_event_class() -> None:
    assert set(STATE_FIELDS) <= set(PERSONAL_FIELDS)
    assert all(cls in CASE_EVENTS for cls in PERSONAL_FIELDS)
    assert PERSONAL_FIELDS[domain.event_classes.CaseOpened] == ("beneficiary",)


def test_a_snapshots_personal_values_are_sealed_where_they_always_were(
    app: Maillage, world: World
) -> None:
    """The place a value is sealed at is bound to it: it must not move, or stored snapshots
    no longer open."""
    case_id = world.open_case()
    case = app.repository.get(case_id)
    stored = app.mapper.to_stored_event(Snapshot.take(case))
    state = app.read_mapper.to_domain_event(stored).state  # type: ignore[attr-defined]
    assert isinstance(state["beneficiary"], Sealed)
    key = app.keyring.key(case_id)
    assert key is not None
    assert b"Schmitt" in unseal(key, state["beneficiary"], "Case.state.beneficiary")
    opened = app.mapper.to_domain_event(stored).state  # type: ignore[attr-defined]
    assert opened["beneficiary"].last_name == "Schmitt"
