"""Facts kept as JSON documents in the read tables (pydantic does the typing both ways)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter

from domain.coherence import CaseFacts, Coherence, DelegationTerms, PartnershipTerms

T = TypeVar("T")


class Document(Generic[T]):
    def __init__(self, cls: type[T]) -> None:
        self.adapter = TypeAdapter(cls)

    def dump(self, value: T) -> str:
        return self.adapter.dump_json(value).decode()

    def load(self, text: str | bytes) -> T:
        return self.adapter.validate_json(text)

    def plain(self, value: T) -> Any:
        """JSON-ready Python (str ids, ISO dates): for the CLI and the API."""
        return self.adapter.dump_python(value, mode="json")


CASE_FACTS = Document(CaseFacts)
DELEGATION_TERMS = Document(DelegationTerms)
PARTNERSHIP_TERMS = Document(PartnershipTerms)
COHERENCE = Document(Coherence)
