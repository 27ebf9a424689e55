"""What every process logs like: one JSON object per line (or plain text), with the request id
of the request being served. Framework-free, so that every command of the CLI can configure
its logging without importing the HTTP room."""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from typing import Any

# The id of the request being served (set by `api.http.observability`), on every log line.
REQUEST_ID = ContextVar[str | None]("maillage_request_id", default=None)

_FIELDS = ("request_id", "route", "status", "duration_ms", "role", "rule", "command", "outcome")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the known context fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or REQUEST_ID.get()
        if request_id:
            line["request_id"] = request_id
        for name in _FIELDS[1:]:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        return json.dumps(line, ensure_ascii=False)


def configure_logging(fmt: str, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # /ready checks the revision often
    quiet_http_clients()


def quiet_http_clients() -> None:
    """httpx logs each request's full URL at INFO (`HTTP Request: POST https://…/path?query`):
    a webhook target's path and query may hold a credential, and are never logged
    (docs/webhooks.md). Their warnings and errors still show."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
