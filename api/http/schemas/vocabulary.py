"""The answer of `GET /vocabulary` (`api.http.routers.vocabulary`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ConditionKind = Literal["attested", "stated", "fact"]


class Term(BaseModel):
    code: str = Field(description="The stable code the API takes and answers.")
    label: str = Field(description="What to show a person, in the language asked for.")
    description: str | None = Field(default=None, description="What it means, where useful.")


class AlertTerm(Term):
    acknowledgeable: bool = Field(
        description="An alert about past acts, cleared by a recorded acknowledgement "
        "(`acknowledge_alert`); the others clear only when their cause is fixed."
    )


class ScopeTerm(Term):
    made_of: list[str] = Field(
        description="The lists of this vocabulary whose codes the scope is made of."
    )


class ConditionKindTerm(Term):
    sent_in: str | None = Field(
        description="Where a share's body carries a condition of this kind (`null`: the "
        "service checks it itself)."
    )


class Condition(BaseModel):
    code: str = Field(examples=["strictly_necessary"])
    kind: ConditionKind
    label: str


class Alternatives(BaseModel):
    """Conditions of which any one is enough."""

    any_of: list[Condition]
    label: str


class Ground(BaseModel):
    code: str = Field(description="What a share's `legal_ground.code` names.")
    label: str
    reference: str = Field(description="The legal reference, e.g. CASF art. L.226-2-2.")
    conditions: list[Condition | Alternatives] = Field(
        description="Every one must be met; an entry with `any_of` is met by any one of its "
        "conditions. A 422 `legal-ground-conditions-not-met` lists those missing in the same "
        'order and shape, by code: `"code"`, or `{"any_of": ["code", "code"]}`.'
    )


class Vocabulary(BaseModel):
    """Every code the API takes or answers, with its words, in the language asked for."""

    language: str = Field(description="`fr` (default) or `en`, from `Accept-Language`.")
    action_kinds: list[Term]
    information_categories: list[Term]
    legal_grounds: list[Ground]
    condition_kinds: list[ConditionKindTerm]
    roles: list[Term]
    read_purposes: list[Term]
    scopes: list[ScopeTerm]
    basis_kinds: list[Term]
    alert_kinds: list[AlertTerm]
    sectors: list[Term]
    institution_kinds: list[Term]
    legal_frameworks: list[Term]
    consent_givers: list[Term]
    partnership_kinds: list[Term]
    partnership_origins: list[Term]
    network_kinds: list[Term]
    erasure_grounds: list[Term]
    funded_kinds: list[Term]
    as_of_questions: list[Term]
    identifier_schemes: list[Term]
