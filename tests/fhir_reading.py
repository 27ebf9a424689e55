"""Reading a FHIR bundle back, for the tests: parsed with `fhir.resources` (R4B), every
reference checked against the bundle's entries, and the case's actors and bases reconstructed
from the bundle alone."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fhir.resources.R4B.bundle import Bundle

from api.fhir import codes

Resource = dict[str, Any]


def parsed(document: Resource) -> dict[str, Resource]:
    """The bundle validated by fhir.resources, and its resources by fullUrl; every reference
    in it resolves to one of them, of the type it says."""
    bundle = Bundle.model_validate(document)
    assert bundle.type == "collection"
    by_url = {e["fullUrl"]: e["resource"] for e in document["entry"]}
    assert len(by_url) == len(document["entry"]), "two entries share a fullUrl"
    for url, resource in by_url.items():
        assert url == f"urn:uuid:{resource['id']}"
    for reference in _references(document["entry"]):
        target = by_url.get(reference["reference"])
        assert target is not None, f"unresolved {reference}"
        assert target["resourceType"] == reference["type"], reference
    return by_url


def _references(value: Any) -> list[Resource]:
    found: list[Resource] = []
    if isinstance(value, dict):
        if isinstance(value.get("reference"), str):
            found.append(value)
        for item in value.values():
            found += _references(item)
    elif isinstance(value, list):
        for item in value:
            found += _references(item)
    return found


def of_type(resources: dict[str, Resource], kind: str) -> list[Resource]:
    return [r for r in resources.values() if r["resourceType"] == kind]


def maillage_id(resource: Resource, kind: str) -> str:
    """The Maillage id of a resource, from its identifier."""
    (value,) = [i["value"] for i in resource["identifier"] if i["system"] == codes.ID_SYSTEMS[kind]]
    return str(value)


def basis(resource: Resource) -> tuple[str, str | None]:
    """(kind, ref id) of a basis extension on a participant or a Provenance."""
    (ext,) = [e for e in resource["extension"] if e["url"] == codes.BASIS_EXTENSION]
    parts = {p["url"]: p for p in ext["extension"]}
    assert parts["kind"]["valueCoding"]["system"] == codes.SYSTEMS["basis_kind"]
    kind = parts["kind"]["valueCoding"]["code"]
    uri = parts["ref"]["valueUri"] if "ref" in parts else None
    if uri is None:
        return kind, None
    prefix = f"{codes.BASIS_URI}/{kind}/"
    assert uri.startswith(prefix)
    return kind, str(UUID(uri.removeprefix(prefix)))


def actor(resources: dict[str, Resource], who: Resource, on_behalf: Resource) -> tuple[str, str]:
    """(professional id, institution id) from a Practitioner and an Organization reference."""
    practitioner = resources[who["reference"]]
    organization = resources[on_behalf["reference"]]
    return maillage_id(practitioner, "professional"), maillage_id(organization, "institution")


def participants(resources: dict[str, Resource]) -> list[tuple[str, str, str, str | None, bool]]:
    """(professional, institution, basis kind, basis ref, on the case now) of each member of
    the care team."""
    (team,) = of_type(resources, "CareTeam")
    found = []
    for p in team["participant"]:
        who = actor(resources, p["member"], p["onBehalfOf"])
        found.append((*who, *basis(p), "end" not in p.get("period", {})))
    return found


def acts(resources: dict[str, Resource]) -> dict[str, tuple[str, str, str, str | None]]:
    """By the act's event (`<case>/<version>`): (professional, institution, basis kind, ref)."""
    found = {}
    for p in of_type(resources, "Provenance"):
        (agent,) = p["agent"]
        event = p["entity"][0]["what"]["identifier"]["value"]
        kind, ref = basis(p)
        if ref is not None:
            assert p["policy"] == [f"{codes.BASIS_URI}/{kind}/{ref}"]
        found[event] = (*actor(resources, agent["who"], agent["onBehalfOf"]), kind, ref)
    return found
