"""An example of every request body, by operationId: realistic values of French social work.

Each area's module holds its operations' examples; `api.http.openapi` publishes them in the
document (`requestBody.content["application/json"].examples`, the named examples Swagger UI
offers in a list). `tests/e2e/test_openapi_description.py` validates every example against its
operation's body model, so an example that no longer fits its schema fails the suite.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api.http.examples import case_acts, cases, networks, partnerships, registry, reports

Examples = Mapping[str, Mapping[str, Any]]  # name -> {"summary": …, "value": …}

EXAMPLES: Mapping[str, Examples] = {
    **cases.EXAMPLES,
    **case_acts.EXAMPLES,
    **registry.EXAMPLES,
    **partnerships.EXAMPLES,
    **networks.EXAMPLES,
    **reports.EXAMPLES,
}
