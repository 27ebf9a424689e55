"""The one settings object, read from the environment (prefix `MAILLAGE_`) or a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from api.console_settings import ConsoleSettings
from api.integration_settings import IntegrationSettings
from domain.errors import InvalidValueError
from domain.months import DEFAULT_TIME_ZONE, Calendar

# The signing key of the embedded mode (a SQLite file on one machine, for trying Maillage out).
# Anyone can read it here, so anywhere else the service refuses to start with it.
EMBEDDED_SIGNING_KEY = "maillage-embedded-mode-key-do-not-use-in-production"


class InsecureSettingsError(RuntimeError):
    """The settings would expose personal data: the service refuses to start with them."""


class Settings(ConsoleSettings, IntegrationSettings):
    model_config = SettingsConfigDict(env_prefix="MAILLAGE_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///maillage.sqlite3",
        description=(
            "Where the event log and read models live. A SQLite file (the embedded default) or "
            "postgresql+psycopg://user:password@host:5432/dbname for production."
        ),
    )
    database_schema: str | None = Field(
        default=None,
        description="PostgreSQL schema holding Maillage's tables (default: public).",
        pattern=r"^[a-z_][a-z0-9_]{0,62}$",
    )
    backdating_window_days: int = Field(
        default=30, ge=0, description="How far in the past an event may be dated (occurred_at)."
    )
    clock_skew_seconds: int = Field(
        default=5,
        ge=0,
        description=(
            "Tolerance for an instant slightly ahead of our clock: an event's occurred_at, a "
            "token's iat or nbf."
        ),
    )
    aggregate_cache_size: int = Field(
        default=1000,
        ge=0,
        description=(
            "Aggregates kept in memory per process; always fast-forwarded from the store, "
            "so several processes stay correct."
        ),
    )
    save_attempts: int = Field(
        default=20, ge=1, description="Reload-and-decide attempts before reporting a conflict."
    )
    embedded_projections: bool | None = Field(
        default=None,
        description=(
            "Run the projections inside the API process. Default: yes on SQLite (the embedded "
            "mode), no on PostgreSQL, where `maillage project --follow` runs as its own worker."
        ),
    )
    projection_poll_seconds: float = Field(
        default=0.5,
        gt=0,
        description="How often the in-process follower looks for events other processes "
        "recorded (this process's own commits wake it at once).",
    )
    projection_batch_size: int = Field(
        default=1000,
        ge=1,
        le=100_000,
        description="Events a projection applies per transaction (its memory is one batch).",
    )
    correction_window_hours: int = Field(
        default=72,
        ge=1,
        description=(
            "How long after recording an act its author may correct or annul it; a supervisor "
            "of the act's institution may at any time."
        ),
    )
    idle_after_days: int = Field(
        default=90,
        ge=1,
        description="The coherence view flags an actor who has not acted on a case for longer.",
    )
    referral_expiry_days: int = Field(
        default=30,
        ge=1,
        description="A referral unanswered for longer expires: it can no longer be answered "
        "nor revoked, and the referring institution's coherence view shows an alert.",
    )
    report_min_cell: int = Field(
        default=5,
        ge=1,
        le=100,
        description=(
            "Reports and the network map withhold any figure behind 1 to this many minus one "
            "beneficiaries (and what would let it be recovered); 1 withholds nothing."
        ),
    )
    time_zone: str = Field(
        default=DEFAULT_TIME_ZONE,
        description=(
            "The IANA time zone of the service's calendar (e.g. Europe/Paris, "
            "America/Cayenne, Indian/Reunion): reports count an act in the month, and the days "
            "to a first meeting in the days, of this zone; a period is published from a day of "
            "it. A store keeps the zone it was first served with: the service refuses to start "
            "under another one (published reports would change)."
        ),
    )
    jwt_secret: SecretStr | None = Field(
        default=None,
        description=(
            "Shared key of HS256 bearer tokens (at least 32 characters). Unset in the embedded "
            "mode: a published development key is used, which the service refuses elsewhere."
        ),
    )
    jwt_public_key: str | None = Field(
        default=None, description="PEM public key of an identity provider (RS256/ES256 tokens)."
    )
    jwt_jwks_url: str | None = Field(
        default=None, description="JWKS address of an identity provider, instead of a key."
    )
    jwt_algorithms: list[str] = Field(
        default=["HS256"], description="Accepted token algorithms (never `none`)."
    )
    jwt_issuer: str = Field(default="maillage", description="Expected `iss` of tokens.")
    jwt_audience: str = Field(default="maillage-api", description="Expected `aud` of tokens.")
    token_ttl_minutes: int = Field(
        default=480, ge=1, le=7 * 24 * 60, description="Lifetime of tokens `maillage token` mints."
    )
    token_max_lifetime_minutes: int = Field(
        default=480,
        ge=1,
        le=7 * 24 * 60,
        description=(
            "The longest lifetime (`exp` - `iat`) of a token the service accepts, whoever issued "
            "it, and of a token `maillage token` mints: a working day, so a token issued at the "
            "start of a shift covers it and is dead by the next one."
        ),
    )
    idempotency_ttl_hours: int = Field(
        default=24, ge=1, description="How long a POST's Idempotency-Key replays its first answer."
    )
    idempotency_lease_seconds: int = Field(
        default=30,
        ge=1,
        le=3600,
        description=(
            "How long a request holds its Idempotency-Key before a retry with the key may take "
            "it over (a request cut off by the store releases it at once, once it can)."
        ),
    )
    require_idempotency_key: bool = Field(
        default=False,
        description=(
            "Refuse a write on a case (POST /cases and /cases/…) that carries no "
            "Idempotency-Key (428): a client retrying after a timeout then never records an "
            "act twice. Off by default, for curl and the demo; turn it on for production "
            "clients."
        ),
    )
    log_format: Literal["json", "text"] = Field(
        default="json", description="Structured JSON log lines, or plain text for a terminal."
    )
    cipher_key: SecretStr | None = Field(
        default=None,
        description=(
            "Encrypt every stored event and snapshot at rest (AES-GCM, the eventsourcing "
            "library's cipher): a base64 key of 16, 24 or 32 bytes "
            "(`maillage new-cipher-key`). Keep it apart from the database; once events are "
            "written with it, it is needed to read them."
        ),
    )
    key_encryption_key: SecretStr | None = Field(
        default=None,
        description=(
            "Wraps every beneficiary's key in the store (AES-256-GCM): the base64 of 32 random "
            "bytes (`maillage new-cipher-key`). Required outside the embedded mode; there, unset, "
            "a key file beside the SQLite file is created and used. Keep it apart from the "
            "database and its backups: without it, they open nothing personal."
        ),
    )
    previous_key_encryption_key: SecretStr | None = Field(
        default=None,
        description=(
            "The key-encryption key being replaced, during a rotation: keys it wrapped are "
            "still opened, until `maillage rewrap-keys` has wrapped them all with the new one."
        ),
    )
    retention_years_after_closing: int | None = Field(
        default=None,
        ge=1,
        le=100,
        description=(
            "Erase a beneficiary's personal data this many years after their case was closed "
            "(`maillage apply-retention`, from a scheduler). Unset: nothing is erased by time."
        ),
    )
    max_body_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description="Largest request body accepted; a larger one is refused with 413.",
    )
    otel_enabled: bool = Field(
        default=False,
        description=(
            "Send OpenTelemetry traces of requests and their SQL (routes as templates, no "
            "statement parameters). Needs the `otel` extra; exported over OTLP to the standard "
            "OTEL_EXPORTER_OTLP_ENDPOINT if an OTLP exporter package is installed, else printed "
            "to the console."
        ),
    )
    postgres_pool_size: int = Field(default=5, ge=1)
    postgres_max_overflow: int = Field(default=10, ge=0)

    @field_validator("time_zone")
    @classmethod
    def _an_iana_zone(cls, value: str) -> str:
        try:
            Calendar.of(value)
        except InvalidValueError:
            raise ValueError(
                f"MAILLAGE_TIME_ZONE={value!r} is not an IANA time zone: give a name of the tz "
                "database, e.g. Europe/Paris, America/Cayenne, Indian/Reunion or UTC"
            ) from None
        return value

    @property
    def calendar(self) -> Calendar:
        """The service's calendar: the months and days reports are cut in."""
        return Calendar.of(self.time_zone)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_embedded(self) -> bool:
        """The embedded mode: a SQLite file on one machine."""
        return self.is_sqlite

    def signing_key(self) -> str | None:
        """The HS256 key: the configured one, or the published one in the embedded mode only."""
        if self.jwt_secret is not None:
            return self.jwt_secret.get_secret_value()
        return EMBEDDED_SIGNING_KEY if self.is_embedded else None

    def check_secure(self) -> None:
        """Refuse settings that would let anyone mint tokens, or reach the console as anyone,
        outside the embedded mode (and a console key too short anywhere)."""
        if "none" in (a.lower() for a in self.jwt_algorithms):
            raise InsecureSettingsError("MAILLAGE_JWT_ALGORITHMS must not accept `none`")
        console = self.console_insecurity(self.is_embedded)
        if console is not None:
            raise InsecureSettingsError(console)
        if self.is_embedded:
            return
        if self.jwt_public_key or self.jwt_jwks_url:
            return
        secret = self.jwt_secret.get_secret_value() if self.jwt_secret else None
        if secret is None or secret == EMBEDDED_SIGNING_KEY:
            raise InsecureSettingsError(
                "outside the embedded mode, set MAILLAGE_JWT_SECRET (or a public key / JWKS "
                "address of your identity provider): the default development key is public"
            )
        if len(secret) < 32:
            raise InsecureSettingsError("MAILLAGE_JWT_SECRET must be at least 32 characters")

    @property
    def runs_projections_in_process(self) -> bool:
        if self.embedded_projections is None:
            return self.is_sqlite
        return self.embedded_projections


@lru_cache
def get_settings() -> Settings:
    return Settings()
