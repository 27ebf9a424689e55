"""The one path every POST takes: run a use case, count its outcome, answer it, keep the answer
for its `Idempotency-Key`.

A POST handler declares `command: CommandDep` and returns `command.run(name, action, …)`. The
dependency brings the idempotency claim (`api.http.idempotency.claim`: a retry is replayed or
refused before the handler runs), and `run` stores the answer with the key once recorded. The
use case runs under the claim's fence (`api.store.outcome.tracking`), so that a store breaking
off mid-command is answered with what became of its writes, and the claim left accordingly.
With `require_idempotency_key`, a write on a case without a key is refused (428) — after the
handler has authorised the caller, before anything runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request, Response
from fastapi.responses import JSONResponse

from api.http import problems
from api.http.deps import MaillageDep, MetricsDep, SettingsDep
from api.http.idempotency import FIELD, Claim, ClaimDep
from api.http.observability import Metrics
from api.http.problems import PreconditionError
from api.http.schemas.common import CommandResult
from api.store import outcome
from domain.application import Maillage, Recorded
from domain.errors import MaillageError
from domain.wording import N_


@dataclass
class Command:
    """What a POST handler runs its use case through."""

    maillage: Maillage
    metrics: Metrics
    response: Response
    status_code: int
    claim: Claim | None
    key_required: bool = False

    def run(
        self,
        name: str,
        action: Callable[[], Recorded],
        *,
        target: UUID | None = None,
        expected_version: int | None = None,
        created: str | None = None,
    ) -> CommandResult:
        """Run one use case (under the If-Match precondition on `target`), count its outcome,
        and answer with the new version as ETag (and `Location: {created}/{id}` for a record
        `created` under that path)."""
        if self.claim is None and self.key_required:
            raise PreconditionError(
                428,
                "idempotency-key-required",
                N_(
                    "a write on a case needs an Idempotency-Key header (a new UUID per act, the "
                    "same on every retry of it), so that a retry never records it twice"
                ),
                FIELD,
            )
        with (
            self.maillage.loads_shared(),  # in the thread the use case runs in (not contextvars
            # set by an async dependency, which do not flow back from FastAPI's worker threads)
            outcome.tracking(self.claim.fence if self.claim else None) as writes,
        ):
            if self.claim is not None:
                self.claim.writes = writes
            try:
                return self._run(name, action, target, expected_version, created)
            except Exception as error:
                if problems.store_failure(error) is not None:
                    raise problems.WriteCutOffError(writes.outcome) from error
                raise

    def _run(
        self,
        name: str,
        action: Callable[[], Recorded],
        target: UUID | None,
        expected_version: int | None,
        created: str | None,
    ) -> CommandResult:
        try:
            if target is not None:
                with self.maillage.precondition(target, expected_version):
                    recorded = action()
            else:
                recorded = action()
        except MaillageError as error:
            self.metrics.commands.labels(name, error.rule).inc()
            raise
        self.metrics.commands.labels(name, "recorded").inc()
        headers = self.response.headers
        headers["ETag"] = f'"{recorded.version}"'
        if recorded.position is not None:
            headers["X-Maillage-Position"] = str(recorded.position)
        if created is not None:
            headers["Location"] = f"{created}/{recorded.id}"
        result = CommandResult(
            id=recorded.id,
            version=recorded.version,
            position=recorded.position,
            entity_id=recorded.entity_id,
        )
        if self.claim is not None:
            self.claim.keep(self._answer(result))
        return result

    def _answer(self, result: CommandResult) -> Response:
        """The answer as the route will send it (its status, these headers, the JSON body)."""
        answer = JSONResponse(result.model_dump(mode="json"), status_code=self.status_code)
        answer.headers.update(self.response.headers)
        return answer


async def command(
    request: Request,
    response: Response,
    maillage: MaillageDep,
    metrics: MetricsDep,
    claim: ClaimDep,
    settings: SettingsDep,
) -> Command:
    route = request.scope.get("route")
    route_status = getattr(route, "status_code", None)
    on_a_case = str(getattr(route, "path", "")).startswith("/cases")
    required = settings.require_idempotency_key and on_a_case
    return Command(maillage, metrics, response, route_status or 200, claim, required)


CommandDep = Annotated[Command, Depends(command)]
