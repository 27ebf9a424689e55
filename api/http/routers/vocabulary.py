"""The vocabulary: every code the API takes or answers, with its words (French by default,
English on `Accept-Language: en`), for a front-end to show people labels and to build its
forms — legal grounds with their conditions included (`api.http.vocabulary`)."""

from __future__ import annotations

from fastapi import APIRouter

from api.http.deps import PrincipalDep, WordsDep
from api.http.guard import GuardedRoute, admits
from api.http.schemas.vocabulary import Vocabulary
from api.http.vocabulary import vocabulary
from domain.access import ANY_ROLE

router = APIRouter(tags=["vocabulary"], route_class=GuardedRoute)


@router.get(
    "/vocabulary",
    response_model=Vocabulary,
    summary="Every code the API takes or answers, with its label (legal grounds and their "
    "conditions included)",
)
@admits(ANY_ROLE)
def read_vocabulary(principal: PrincipalDep, words: WordsDep) -> Vocabulary:
    return Vocabulary.model_validate(vocabulary(words))
