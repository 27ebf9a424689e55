"""Legal grounds for sharing information about a beneficiary, kept as data.

A ground is a code, its legal reference and its conditions. A condition is one of:
- `attested`: the acting professional attests it (e.g. "only what is strictly necessary");
- `stated`: a text must be given (e.g. the reference of a court order, or why parents were not
  informed);
- `fact`: something the domain checks itself from the case (e.g. the beneficiary is a minor).
`AnyOf` groups alternatives. Another country's rules are another catalogue: the rule engine
(`evaluate`) does not change.

A refusal names what is missing as codes a client can act on (`details.missing_conditions`):
each item is a condition's code, or `{"any_of": [code, code…]}` when meeting any one of the
alternatives suffices; `details.condition_kinds` says of each code named how it is met —
`attested` (put the code in `legal_ground.attested`), `stated` (give a text in
`legal_ground.statements[code]`) or `fact` (the case itself must show it; nothing to attest).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from domain.errors import LegalGroundConditionsNotMetError, UnknownLegalGroundError
from domain.wording import N_

ConditionKind = Literal["attested", "stated", "fact"]


@dataclass(frozen=True)
class Condition:
    key: str
    kind: ConditionKind
    description: str


@dataclass(frozen=True)
class AnyOf:
    options: tuple[Condition, ...]
    description: str


Requirement = Condition | AnyOf


@dataclass(frozen=True)
class LegalGround:
    code: str
    title: str
    reference: str
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class GroundClaim:
    """What the acting professional claims on a sharing event: a ground and its conditions."""

    code: str
    attested: tuple[str, ...] = ()
    statements: dict[str, str] = field(default_factory=dict)


FRANCE: dict[str, LegalGround] = {
    g.code: g
    for g in (
        LegalGround(
            code="shared_secrecy_child_protection",
            title="Secret partagé en protection de l'enfance",
            reference="CASF art. L.226-2-2",
            requirements=(
                Condition("beneficiary_is_minor", "fact", "the beneficiary is a child"),
                Condition(
                    "recipient_bound_by_secrecy",
                    "attested",
                    "the recipient is bound by professional secrecy",
                ),
                Condition(
                    "contributes_to_child_protection",
                    "attested",
                    "both carry out or contribute to child protection",
                ),
                Condition(
                    "strictly_necessary",
                    "attested",
                    "only what is strictly necessary to assess the situation or to decide and "
                    "carry out protective action is shared",
                ),
                AnyOf(
                    (
                        Condition(
                            "parental_authority_informed",
                            "attested",
                            "the holders of parental authority (and the child, by age and "
                            "maturity) were informed beforehand",
                        ),
                        Condition(
                            "not_informed_reason",
                            "stated",
                            "why informing them beforehand is against the child's interest",
                        ),
                    ),
                    "parents informed beforehand, or the reason they were not",
                ),
            ),
        ),
        LegalGround(
            code="care_team",
            title="Équipe de soins",
            reference="CSP art. L.1110-4",
            requirements=(
                Condition(
                    "recipient_on_case",
                    "fact",
                    "the recipient institution takes part in the team around the person",
                ),
                Condition(
                    "same_care_team", "attested", "sender and recipient belong to the care team"
                ),
                Condition(
                    "strictly_necessary",
                    "attested",
                    "only what is strictly necessary for coordination and continuity of care",
                ),
            ),
        ),
        LegalGround(
            code="court_order",
            title="Réquisition ou mandat judiciaire",
            reference="Code de procédure pénale / mandat du juge des enfants",
            requirements=(
                Condition("court_order_reference", "stated", "the reference of the judge's order"),
            ),
        ),
        LegalGround(
            code="concerning_information",
            title="Information préoccupante",
            reference="CASF art. L.226-3",
            requirements=(
                Condition(
                    "recipient_is_crip",
                    "fact",
                    "the recipient is the département's unit for concerning information (CRIP)",
                ),
            ),
        ),
    )
}


def ground(code: str, catalogue: Mapping[str, LegalGround] = FRANCE) -> LegalGround:
    try:
        return catalogue[code]
    except KeyError:
        raise UnknownLegalGroundError(
            N_("unknown legal ground '{code}'; known: {known}"),
            field="legal_ground.code",
            code=code,
            known=sorted(catalogue),
        ) from None


def evaluate(
    claim: GroundClaim,
    facts: Mapping[str, bool],
    catalogue: Mapping[str, LegalGround] = FRANCE,
) -> LegalGround:
    """Return the ground if every condition is met; refuse naming each unmet condition."""
    definition = ground(claim.code, catalogue)
    unmet = [
        requirement
        for requirement in definition.requirements
        if not _met(requirement, claim, facts)
    ]
    if unmet:
        raise LegalGroundConditionsNotMetError(
            N_("legal ground {ground} ({reference}) is not met; missing: {missing_conditions}"),
            field="legal_ground",
            ground=definition.code,
            reference=definition.reference,
            missing_conditions=[_missing(r) for r in unmet],
            condition_kinds={c.key: c.kind for r in unmet for c in _conditions(r)},
        )
    return definition


def _met(requirement: Requirement, claim: GroundClaim, facts: Mapping[str, bool]) -> bool:
    if isinstance(requirement, AnyOf):
        return any(_met(option, claim, facts) for option in requirement.options)
    if requirement.kind == "attested":
        return requirement.key in claim.attested
    if requirement.kind == "stated":
        return bool(claim.statements.get(requirement.key, "").strip())
    return bool(facts.get(requirement.key, False))


def _missing(requirement: Requirement) -> str | dict[str, list[str]]:
    """A condition's code, or alternatives as `{"any_of": [codes]}` (see the module's doc)."""
    if isinstance(requirement, AnyOf):
        return {"any_of": [o.key for o in requirement.options]}
    return requirement.key


def _conditions(requirement: Requirement) -> tuple[Condition, ...]:
    return requirement.options if isinstance(requirement, AnyOf) else (requirement,)


def ground_of_reference(
    reference: str | None, catalogue: Mapping[str, LegalGround] = FRANCE
) -> LegalGround | None:
    """The ground whose legal reference an event recorded (the claim itself is sealed)."""
    return next((g for g in catalogue.values() if g.reference == reference), None)
