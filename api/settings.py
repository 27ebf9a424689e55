"""The one settings object, read from the environment (prefix `MAILLAGE_`) or a `.env` file."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
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
        default=5, ge=0, description="Tolerance for an occurred_at slightly ahead of our clock."
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
        default=0.02, gt=0, description="How often a follower polls the log for new events."
    )
    projection_batch_size: int = Field(
        default=1000,
        ge=1,
        le=100_000,
        description="Events a projection applies per transaction (its memory is one batch).",
    )
    idle_after_days: int = Field(
        default=90,
        ge=1,
        description="The coherence view flags an actor who has not acted on a case for longer.",
    )
    postgres_pool_size: int = Field(default=5, ge=1)
    postgres_max_overflow: int = Field(default=10, ge=0)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def runs_projections_in_process(self) -> bool:
        if self.embedded_projections is None:
            return self.is_sqlite
        return self.embedded_projections


@lru_cache
def get_settings() -> Settings:
    return Settings()
