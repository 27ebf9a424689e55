"""The rules of client applications that need no store (`domain.integration`): which kinds a
webhook subscription is sent, why a delivery derived earlier is withheld, and the tag of a
request for personal data that a DPO's approval names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.access import ReadPurpose
from domain.errors import InvalidValueError
from domain.integration import (
    PersonalDataRequest,
    delivered_kinds,
    feed_kinds,
    request_tag,
    withheld_delivery,
)

OPENED, VISIT, REFERRAL = "Case.CaseOpened", "Case.InterventionRecorded", "Case.ReferralMade"


def test_a_subscription_is_sent_the_kinds_both_it_and_its_client_follow() -> None:
    assert delivered_kinds([OPENED, VISIT], [VISIT, REFERRAL]) == {VISIT}
    assert delivered_kinds([OPENED], [REFERRAL]) == frozenset()
    assert delivered_kinds([OPENED, VISIT], [OPENED, VISIT]) == {OPENED, VISIT}


def test_a_delivery_is_withheld_once_its_kind_or_its_client_is_gone() -> None:
    both = {"client_kinds": [OPENED, VISIT], "subscription_kinds": [VISIT]}
    assert withheld_delivery(VISIT, **both) is None
    # the subscription no longer follows it; the client no longer does
    assert withheld_delivery(OPENED, **both) == (
        f"not sent: {OPENED} is no longer in the subscription's or the client's kinds"
    )
    narrowed = withheld_delivery(VISIT, client_kinds=[OPENED], subscription_kinds=[VISIT])
    assert narrowed is not None
    assert VISIT in narrowed
    revoked = withheld_delivery(VISIT, client_kinds=None, subscription_kinds=[VISIT])
    assert revoked == "not sent: the client application has been revoked"


def test_a_requests_tag_changes_with_anything_a_dpo_approves() -> None:
    at = datetime(2026, 11, 28, 10, tzinfo=UTC)
    request = PersonalDataRequest(uuid4(), frozenset({OPENED, VISIT}), ReadPurpose.FOLLOW_UP, True)
    tag = request_tag(request, at)
    assert len(tag) == 32
    assert set(tag) <= set("0123456789abcdef")
    same = PersonalDataRequest(
        request.institution_id, frozenset({VISIT, OPENED}), ReadPurpose.FOLLOW_UP, True
    )
    assert request_tag(same, at) == tag  # the kinds' order is no change
    changed = [
        (PersonalDataRequest(uuid4(), request.kinds, request.purpose, True), at),
        (
            PersonalDataRequest(
                request.institution_id, request.kinds | {REFERRAL}, request.purpose, True
            ),
            at,
        ),
        (PersonalDataRequest(request.institution_id, request.kinds, ReadPurpose.AUDIT, True), at),
        (PersonalDataRequest(request.institution_id, request.kinds, request.purpose, False), at),
        (request, at + timedelta(microseconds=1)),  # an administrator's change, whatever it was
    ]
    assert len({tag, *(request_tag(r, when) for r, when in changed)}) == len(changed) + 1


def test_a_refusal_of_unknown_kinds_repeats_a_few_of_them_cut_short() -> None:
    sent = ["Case.CaseOpened", "X" * 20_000, *[f"Nope{i}" for i in range(10)]]
    with pytest.raises(InvalidValueError) as refused:
        feed_kinds(sent)
    echoed = refused.value.details["unknown"]
    assert len(echoed) == 6
    assert echoed[-1] == "…"
    assert max(len(k) for k in echoed) <= 80
    assert "X" * 100 not in str(refused.value)
