"""The report projection's tables (SQLAlchemy Core), created by
`alembic/versions/0005_create_report_views.py` (and 0010).

Facts, not figures: one row per act on a case, per case, per referral, per scope (partnership,
network, institution) and its members, per funding. Reports and the network map aggregate them
when asked (`projections.reports`), so any period made of months can be asked for, and
beneficiaries are counted once over it (a month's distinct counts do not add up to a year's).
Times are instants: nothing here depends on the service's time zone.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Index, String, Table

from projections.tables import UUID_LEN, metadata

report_act_view = Table(
    "report_act_view",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("case_id", String(UUID_LEN), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("institution_id", String(UUID_LEN), nullable=False),
    Column("professional_id", String(UUID_LEN), nullable=False),
    Column("event", String(64), nullable=False),
    Column("basis_kind", String(32), nullable=False),
    Column("intervention_kind", String(64)),
    Column("act_id", String(UUID_LEN)),  # an act that may be corrected or annulled (0014)
    Index("ix_report_act_occurred", "occurred_at"),
    Index("ix_report_act_case", "case_id"),
    Index("ix_report_act_act", "act_id"),
)

# What corrections changed of an act (migration 0014): its kind and date as corrected (None:
# as first recorded), or that it was annulled. Acts are read through it (`projections.reports`):
# each counted once, as corrected, and an annulled one not at all.
report_act_change_view = Table(
    "report_act_change_view",
    metadata,
    Column("act_id", String(UUID_LEN), primary_key=True),
    Column("case_id", String(UUID_LEN), nullable=False),
    Column("occurred_at", DateTime(timezone=True)),
    Column("intervention_kind", String(64)),
    Column("annulled", Boolean, nullable=False),
    Index("ix_report_act_change_occurred", "occurred_at"),
)

report_case_view = Table(
    "report_case_view",
    metadata,
    Column("case_id", String(UUID_LEN), primary_key=True),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("first_meeting_at", DateTime(timezone=True)),
)

report_referral_view = Table(
    "report_referral_view",
    metadata,
    Column("referral_id", String(UUID_LEN), primary_key=True),
    Column("case_id", String(UUID_LEN), nullable=False),
    Column("from_institution_id", String(UUID_LEN), nullable=False),
    Column("made_by", String(UUID_LEN), nullable=False),
    Column("made_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),
    Index("ix_report_referral_made", "made_at"),
)

# A scope: an institution (detail: its sector), a partnership (charter | convention) or a
# network (formal | informal); `valid_from`/`valid_until`/`ended_on` bound a partnership as a
# tie (days its parties chose), `began_at`/`ended_at` a network (the instants it was founded and
# dissolved, cut into days of the service's calendar when read; migration 0010).
report_scope_view = Table(
    "report_scope_view",
    metadata,
    Column("scope_kind", String(16), primary_key=True),
    Column("scope_id", String(UUID_LEN), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("detail", String(32), nullable=False),
    Column("valid_from", Date),
    Column("valid_until", Date),
    Column("ended_on", Date),
    Column("began_at", DateTime(timezone=True)),
    Column("ended_at", DateTime(timezone=True)),
)

# Its members: institutions (partnership parties, a formal network's institutions, an
# institution itself) or professionals (an informal network's members). `signed`: a party's
# signature (partnerships); true for every other member.
report_scope_member_view = Table(
    "report_scope_member_view",
    metadata,
    Column("scope_kind", String(16), primary_key=True),
    Column("scope_id", String(UUID_LEN), primary_key=True),
    Column("member_id", String(UUID_LEN), primary_key=True),
    Column("member_kind", String(16), nullable=False),
    Column("signed", Boolean, nullable=False),
    Index("ix_report_scope_member", "member_id"),
)

funding_view = Table(
    "funding_view",
    metadata,
    Column("funding_id", String(UUID_LEN), primary_key=True),
    Column("funder_id", String(UUID_LEN), nullable=False),
    Column("target_kind", String(16), nullable=False),
    Column("target_id", String(UUID_LEN), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date),
    Column("ended_on", Date),
    Column("reference", String(300)),
    Index("ix_funding_funder", "funder_id"),
)

REPORT_TABLES = (
    report_act_view,
    report_act_change_view,
    report_case_view,
    report_referral_view,
    report_scope_view,
    report_scope_member_view,
    funding_view,
)
