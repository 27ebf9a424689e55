"""`GET /vocabulary`: every code the API takes or answers, with French labels (English on
request), and the legal grounds' conditions in a shape a front-end can act on.

Over a real store (SQLite, or PostgreSQL with `MAILLAGE_DATABASE_URL`): the last test claims a
legal ground built from the vocabulary alone, and the share is recorded.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from api.http import vocabulary_labels as words_of
from api.i18n import ENGLISH, FRENCH
from domain.access import Role
from domain.grounds import FRANCE, AnyOf
from domain.labels import LABELS, label
from domain.values import BasisKind
from tests.e2e.conftest import Api
from tests.world import World


async def _vocabulary(api: Api, **headers: str) -> dict[str, Any]:
    answer = await api.client.get(
        "/vocabulary", headers={**api.headers(Role.FUNDER, uuid4(), uuid4()), **headers}
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _labels(vocabulary: dict[str, Any], name: str) -> dict[str, str]:
    return {term["code"]: term["label"] for term in vocabulary[name]}


async def test_codes_come_with_french_labels_by_default(api: Api) -> None:
    vocabulary = await _vocabulary(api)
    assert vocabulary["language"] == "fr"
    assert _labels(vocabulary, "action_kinds")["home_visit"] == "Visite à domicile"
    assert _labels(vocabulary, "institution_kinds")["crip"] == (
        "Cellule de recueil des informations préoccupantes (CRIP)"
    )
    assert _labels(vocabulary, "roles")["supervisor"] == "Encadrant"
    basis = {t["code"]: t for t in vocabulary["basis_kinds"]}
    assert basis["informal"]["description"].endswith("jamais refusé.")
    alerts = {t["code"]: t for t in vocabulary["alert_kinds"]}
    assert alerts["exchange_without_convention"]["acknowledgeable"] is True
    assert alerts["no_coordinator"]["acknowledgeable"] is False
    scopes = {t["code"]: t["made_of"] for t in vocabulary["scopes"]}
    assert scopes["convention"] == ["action_kinds", "information_categories"]


async def test_english_on_request(api: Api) -> None:
    vocabulary = await _vocabulary(api, **{"Accept-Language": "en"})
    assert vocabulary["language"] == "en"
    assert _labels(vocabulary, "action_kinds")["home_visit"] == "Home visit"
    ground = next(g for g in vocabulary["legal_grounds"] if g["code"] == "care_team")
    assert ground["label"] == "Care team"
    assert ground["reference"] == "CSP art. L.1110-4"


async def test_a_code_reads_in_the_vocabulary_as_in_the_views(api: Api) -> None:
    """One table of labels (`domain.labels`): the vocabulary says what the views and the audit
    trail say, in both languages; only the lists no family of the domain labels are its own."""
    assert set(words_of.FAMILIES) | set(words_of.OWN_LABELS) == set(words_of.SOURCES)
    for words, headers in ((FRENCH, {}), (ENGLISH, {"Accept-Language": "en"})):
        vocabulary = await _vocabulary(api, **headers)
        for name, family in words_of.FAMILIES.items():
            expected = {str(c): label(words, family, c) for c in words_of.SOURCES[name]}
            assert _labels(vocabulary, name) == expected, name
    roles = _labels(await _vocabulary(api), "roles")
    assert roles["case_worker"] == "Intervenant"


async def test_legal_grounds_say_their_conditions_and_alternatives(api: Api) -> None:
    vocabulary = await _vocabulary(api)
    grounds = {g["code"]: g for g in vocabulary["legal_grounds"]}
    assert set(grounds) == set(FRANCE)
    secrecy = grounds["shared_secrecy_child_protection"]
    assert secrecy["label"] == "Secret partagé en protection de l'enfance"
    assert secrecy["reference"] == "CASF art. L.226-2-2"
    plain = [c for c in secrecy["conditions"] if "code" in c]
    assert {"code": "beneficiary_is_minor", "kind": "fact"}.items() <= plain[0].items()
    (alternatives,) = [c for c in secrecy["conditions"] if "any_of" in c]
    assert [(o["code"], o["kind"]) for o in alternatives["any_of"]] == [
        ("parental_authority_informed", "attested"),
        ("not_informed_reason", "stated"),
    ]
    assert alternatives["label"].startswith("parents informés au préalable")
    kinds = {t["code"]: t["sent_in"] for t in vocabulary["condition_kinds"]}
    assert kinds == {
        "attested": "legal_ground.attested",
        "stated": "legal_ground.statements",
        "fact": None,
    }


async def test_every_code_of_the_schema_is_in_the_vocabulary(api: Api) -> None:
    """Each enumeration the OpenAPI document publishes is one list of the vocabulary, whole;
    roles and basis kinds (plain strings in answers) too."""
    vocabulary = await _vocabulary(api)
    lists = {
        frozenset(t["code"] for t in terms)
        for name, terms in vocabulary.items()
        if isinstance(terms, list)
    }
    document = (await api.client.get("/openapi.json")).json()
    enums = {
        name: frozenset(schema["enum"])
        for name, schema in document["components"]["schemas"].items()
        if "enum" in schema
    }
    assert len(enums) > 10
    assert {name for name, codes in enums.items() if codes not in lists} == set()
    assert frozenset(Role) in lists
    assert frozenset(BasisKind) in lists


def test_every_code_has_its_words() -> None:
    """A code added to the domain without words here is found (not a 500 at reading time)."""
    for name, codes in words_of.SOURCES.items():
        family = words_of.FAMILIES.get(name)
        labelled = set(LABELS[family] if family else words_of.OWN_LABELS[name])
        assert {str(c) for c in codes} == labelled, name
        assert set(words_of.DESCRIPTIONS.get(name, {})) <= labelled, name
    assert set(words_of.DESCRIPTIONS) <= set(words_of.SOURCES)
    assert set(words_of.GROUNDS) == set(FRANCE)
    expected = set()
    for ground in FRANCE.values():
        for requirement in ground.requirements:
            if isinstance(requirement, AnyOf):
                expected.add((ground.code, "|".join(o.key for o in requirement.options)))
                expected |= {(ground.code, o.key) for o in requirement.options}
            else:
                expected.add((ground.code, requirement.key))
    assert set(words_of.CONDITIONS) == expected


async def test_a_ground_claimed_as_the_vocabulary_says_is_accepted(api: Api) -> None:
    """A front-end builds `legal_ground` from the vocabulary alone — attested conditions listed,
    stated ones written, facts left to the service, one option of each alternative — and the
    share is recorded."""
    world = World.build(api.maillage)
    case_id = world.open_case("jeanne")  # a child
    vocabulary = await _vocabulary(api)
    ground = next(
        g for g in vocabulary["legal_grounds"] if g["code"] == "shared_secrecy_child_protection"
    )
    claim: dict[str, Any] = {"code": ground["code"], "attested": [], "statements": {}}
    for requirement in ground["conditions"]:
        condition = requirement["any_of"][-1] if "any_of" in requirement else requirement
        if condition["kind"] == "attested":
            claim["attested"].append(condition["code"])
        elif condition["kind"] == "stated":
            claim["statements"][condition["code"]] = "Informer le père exposerait l'enfant."
    jeanne = world.actor("jeanne")
    shared = await api.client.post(
        f"/cases/{case_id}/shares",
        json={
            "recipient_institution_id": str(world.i("ase")),
            "categories": ["child_protection"],
            "legal_ground": claim,
        },
        headers=api.headers(Role.CASE_WORKER, jeanne.professional_id, jeanne.institution_id),
    )
    assert shared.status_code == 200, shared.text
    assert shared.json()["entity_id"]


async def test_a_caller_without_a_token_is_refused(api: Api) -> None:
    refused = await api.client.get("/vocabulary")
    assert (refused.status_code, refused.json()["rule"]) == (401, "unauthenticated")
