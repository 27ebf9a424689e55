"""The read-side tables (SQLAlchemy Core). Alembic creates them (`alembic/versions/0002_…`, 0009);
this module only describes them for the projectors and the queries."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

UUID_LEN = 36

projection_tracking = Table(
    "projection_tracking",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

institution_view = Table(
    "institution_view",
    metadata,
    Column("institution_id", String(UUID_LEN), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("sector", String(32), nullable=False),
    Column("kind", String(64), nullable=False),
    # National identifiers (migration 0019): one holder each (`domain.identifier_claim`).
    Column("finess", String(9)),
    Column("siret", String(14)),
    Index("ux_institution_finess", "finess", unique=True),
    Index("ux_institution_siret", "siret", unique=True),
)

professional_view = Table(
    "professional_view",
    metadata,
    Column("professional_id", String(UUID_LEN), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("profession", String(100), nullable=False),
    Column("rpps", String(11)),
    Column("adeli", String(9)),
    Index("ux_professional_rpps", "rpps", unique=True),
    Index("ux_professional_adeli", "adeli", unique=True),
)

case_actor_view = Table(
    "case_actor_view",
    metadata,
    Column("case_id", String(UUID_LEN), primary_key=True),
    Column("professional_id", String(UUID_LEN), primary_key=True),
    Column("institution_id", String(UUID_LEN), primary_key=True),
    Column("role", String(100), nullable=False),
    Column("basis_kind", String(32), nullable=False),
    Column("basis_ref", String(UUID_LEN)),
    Column("joined_at", DateTime(timezone=True), nullable=False),
    Column("left_at", DateTime(timezone=True)),
    Column("last_action_at", DateTime(timezone=True)),
    Column("active", Boolean, nullable=False),
    Index("ix_case_actor_professional", "professional_id"),
    Index("ix_case_actor_institution", "institution_id"),
)

audit_entry_view = Table(
    "audit_entry_view",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("aggregate_id", String(UUID_LEN), nullable=False),
    Column("aggregate_version", BigInteger, nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("case_id", String(UUID_LEN)),
    Column("professional_id", String(UUID_LEN)),
    Column("institution_id", String(UUID_LEN)),
    Column("counterpart_institution_id", String(UUID_LEN)),
    Column("basis_kind", String(32)),
    Column("basis_ref", String(UUID_LEN)),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    # the entry's sentence, worded when read (`projections.summaries`): its key and values (JSON)
    Column("summary_key", String(64), nullable=False),
    Column("summary_values", Text, nullable=False),
    Index("ix_audit_case", "case_id", "position"),
    Index("ix_audit_professional", "professional_id", "position"),
    Index("ix_audit_institution", "institution_id", "position"),
    Index("ix_audit_counterpart", "counterpart_institution_id", "position"),
)


# The coherence projection: one document of facts per case (domain.coherence.CaseFacts, as JSON)
# and the registry terms cases refer to. Alerts are not stored: they depend on the time of reading.
case_coherence_view = Table(
    "case_coherence_view",
    metadata,
    Column("case_id", String(UUID_LEN), primary_key=True),
    Column("holder_institution_id", String(UUID_LEN), nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("facts", Text, nullable=False),
    Index("ix_case_coherence_holder", "holder_institution_id"),
)

delegation_terms_view = Table(
    "delegation_terms_view",
    metadata,
    Column("delegation_id", String(UUID_LEN), primary_key=True),
    Column("professional_id", String(UUID_LEN), nullable=False),
    Column("institution_id", String(UUID_LEN), nullable=False),
    Column("case_id", String(UUID_LEN)),
    Column("terms", Text, nullable=False),
    Index("ix_delegation_terms_professional", "professional_id"),
)

partnership_terms_view = Table(
    "partnership_terms_view",
    metadata,
    Column("partnership_id", String(UUID_LEN), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("terms", Text, nullable=False),
)

partnership_party_view = Table(
    "partnership_party_view",
    metadata,
    Column("partnership_id", String(UUID_LEN), primary_key=True),
    Column("institution_id", String(UUID_LEN), primary_key=True),
    Index("ix_partnership_party_institution", "institution_id"),
)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored in UTC): make them aware again."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# Not a projection: the API's record of answers to POSTs that carried an Idempotency-Key
# (`api.http.idempotency`). It lives beside the read models, in the same store.
idempotency_record = Table(
    "idempotency_record",
    metadata,
    Column("scope", String(64), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer),
    Column("response_headers", Text),
    Column("response_body", LargeBinary),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # The claim's holder, until when it may run, and the log position its events reached,
    # written with them (`api.store.outcome`): what a retry reads to settle a lost answer.
    Column("token", String(32)),
    Column("lease_until", DateTime(timezone=True)),
    Column("committed_position", BigInteger),
    Index("ix_idempotency_created", "created_at"),
)
