"""Sealing personal data with the beneficiary's key (in-memory store and keyring)."""

from __future__ import annotations

import dataclasses
from uuid import uuid4

import pytest

import domain.errors as errors
from domain.application import Maillage
from domain.case import Case
from domain.privacy import ERASED, PERSONAL_FIELDS, Sealed, seal, unseal
from tests.world import World, ago, events_since


def test_personal_fields_are_sealed_and_opened_with_the_case_key(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    app.record_intervention(
        case_id=case_id, by=world.actor("jeanne"), kind="home_visit", summary="vu la mère"
    )
    stored = [n for n in app.recorder.select_notifications(1, 1000) if n.originator_id == case_id]
    assert all(b"Schmitt" not in n.state and "mère".encode() not in n.state for n in stored)
    raw = app.read_mapper.to_domain_event(stored[-1])
    assert isinstance(raw.summary, Sealed)  # type: ignore[attr-defined]
    assert raw.summary.key_id == case_id  # type: ignore[attr-defined]
    assert events_since(app, 0)[-1].summary == "vu la mère"  # type: ignore[attr-defined]


def test_a_sealed_value_cannot_be_moved_to_another_place() -> None:
    key, case_id = bytes(32), uuid4()
    sealed = seal(key, case_id, "Case.InterventionRecorded.summary", b'{"v":"x"}')
    assert unseal(key, sealed, "Case.InterventionRecorded.summary") == b'{"v":"x"}'
    with pytest.raises(ValueError, match="authentication"):
        unseal(key, sealed, "Case.CaseClosed.reason")
    with pytest.raises(ValueError, match="authentication"):
        unseal(
            key, dataclasses.replace(sealed, key_id=uuid4()), "Case.InterventionRecorded.summary"
        )


def test_after_erasure_the_fields_read_erased_and_nothing_personal_is_sealed_again(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    jeanne = world.actor("jeanne")
    app.hold_coordination_meeting(
        case_id=case_id, by=jeanne, attendees=[jeanne], decisions=["a", "b"], occurred_at=ago(1)
    )
    app.erase_beneficiary(case_id=case_id, ground="erasure_request", requested_by="dpo")
    meeting = next(e for e in events_since(app, 0) if type(e).__name__ == "CoordinationMeetingHeld")
    assert meeting.decisions == [ERASED, ERASED]  # type: ignore[attr-defined]  # still countable
    case = app.repository.get(case_id)
    assert isinstance(case, Case)
    assert case.erased
    with pytest.raises(errors.BeneficiaryErasedError):
        app.keyring.key_for_sealing(case_id)


def test_only_case_events_carry_personal_fields_and_every_one_exists() -> None:
    for event_class, fields in PERSONAL_FIELDS.items():
        kind = event_class.__qualname__
        aggregate, name = kind.split(".")
        assert aggregate == "Case"
        assert getattr(Case, name) is event_class
        annotations = (
            {f.name for f in dataclasses.fields(event_class)}
            if dataclasses.is_dataclass(event_class)
            else set(event_class.__annotations__)
        )
        assert set(fields) <= annotations, kind


def test_every_domain_error_names_its_own_rule() -> None:
    def subclasses(cls: type) -> list[type]:
        found = []
        for sub in cls.__subclasses__():
            found += [sub, *subclasses(sub)]
        return found

    rules: dict[str, str] = {}
    for cls in subclasses(errors.MaillageError):
        assert "rule" in vars(cls), f"{cls.__name__} has no rule of its own"
        assert cls.rule not in rules, f"{cls.__name__} and {rules[cls.rule]} share a rule"
        rules[cls.rule] = cls.__name__


def test_a_value_sealed_for_one_case_does_not_open_in_another(app: Maillage, world: World) -> None:
    first, second = world.open_case(), world.open_case()
    stored = next(n for n in app.recorder.select_notifications(1, 100) if n.originator_id == first)
    sealed = app.read_mapper.to_domain_event(stored).beneficiary  # type: ignore[attr-defined]
    assert app.mapper.open(sealed, "Case.CaseOpened.beneficiary", first).last_name == "Schmitt"
    with pytest.raises(ValueError, match="another case"):
        app.mapper.open(sealed, "Case.CaseOpened.beneficiary", second)
