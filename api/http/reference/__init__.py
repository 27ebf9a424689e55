"""The API reference: every operation's description and an example of every request body, by
operationId (the handler's name), one module per area.

A description says what the operation does and records, and the refusals it can answer for its
own reasons (`status` and `rule` of the problem, and why). `api.http.openapi` publishes them in
the document and adds what it can derive from the route itself: who may call it (from its
`Admission`), the refusals its parameters can earn, the `Idempotency-Key` of a write. Examples
are named (`requestBody.content["application/json"].examples`: Swagger UI offers them in a
list), with realistic values of French social work.

Kept apart from the routers so that a handler stays a few lines (parse, authorise, call, shape)
and a router module stays small; `tests/e2e/test_openapi_description.py` ties them back: every
operation has a description and its body examples, none is kept for an operation that does not
exist, every example validates against its operation's body model, and every status and rule a
description cites is one the service answers for that rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api.http.reference import (
    case_acts,
    cases,
    clients,
    corrections,
    feed,
    fhir,
    holding,
    identifiers,
    networks,
    operations,
    partnerships,
    referrals,
    registry,
    reports,
    rights,
    views,
    vocabulary,
    webhooks,
)

Examples = Mapping[str, Mapping[str, Any]]  # name -> {"summary": …, "value": …}
AREAS = (
    cases,
    case_acts,
    referrals,
    rights,
    holding,
    corrections,
    views,
    fhir,
    registry,
    identifiers,
    partnerships,
    networks,
    reports,
    operations,
    vocabulary,
    clients,
    feed,
    webhooks,
)

DESCRIPTIONS: Mapping[str, str] = {
    name: text for area in AREAS for name, text in area.DESCRIPTIONS.items()
}
EXAMPLES: Mapping[str, Examples] = {
    name: examples for area in AREAS for name, examples in getattr(area, "EXAMPLES", {}).items()
}
