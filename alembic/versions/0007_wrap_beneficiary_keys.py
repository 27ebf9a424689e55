"""Wrap the beneficiaries' keys with a key-encryption key kept outside the database:
`beneficiary_key.kek_id` names the key-encryption key (KEK) that wrapped each key
(`api/store/kek.py`); `key` holds the wrapped key.

A store written before this revision holds its keys in clear: they are wrapped here, with the KEK
the settings give (`MAILLAGE_KEY_ENCRYPTION_KEY`, or in the embedded mode the key file beside
the SQLite file, created if need be), then the bytes they leave behind are overwritten (SQLite:
`secure_delete` and a truncating checkpoint; PostgreSQL: `VACUUM FULL`). Outside the embedded
mode the migration refuses without a KEK when there are keys to wrap; a store without keys (a
fresh one) needs none to migrate. Applying it again after an interruption is safe: the column is
added once and only keys still in clear are wrapped.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

keys = sa.table(
    "beneficiary_key",
    sa.column("case_id", sa.Uuid),
    sa.column("key", sa.LargeBinary),
    sa.column("kek_id", sa.String),
)


def upgrade() -> None:
    bind = op.get_bind()
    columns = {c["name"] for c in sa.inspect(bind).get_columns("beneficiary_key")}
    if "kek_id" not in columns:
        op.add_column("beneficiary_key", sa.Column("kek_id", sa.String(255), nullable=True))
    clear = bind.execute(
        sa.select(keys.c.case_id, keys.c.key).where(
            keys.c.key.is_not(None), keys.c.kek_id.is_(None)
        )
    ).all()
    if not clear:
        return
    from api.settings import get_settings
    from api.store.kek import key_encryption_keys

    keks = key_encryption_keys(context.config.attributes.get("settings") or get_settings())
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        bind.exec_driver_sql("PRAGMA secure_delete = ON")  # the clear bytes freed are zeroed
    for case_id, key in clear:
        wrapped, kek_id = keks.wrap(bytes(key), case_id)
        bind.execute(
            sa.update(keys).where(keys.c.case_id == case_id).values(key=wrapped, kek_id=kek_id)
        )
    with op.get_context().autocommit_block():
        if sqlite:  # the old pages leave the database file for the WAL's new ones
            bind.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:  # no dead row version keeps a clear key
            bind.exec_driver_sql("VACUUM FULL beneficiary_key")


def downgrade() -> None:
    """Refused for a store holding wrapped keys: unwrapping them would put them in clear."""
    bind = op.get_bind()
    wrapped = bind.execute(sa.select(keys.c.case_id).where(keys.c.kek_id.is_not(None)).limit(1))
    if wrapped.first() is not None:
        raise RuntimeError("the beneficiaries' keys are wrapped: no downgrade below 0007")
    op.drop_column("beneficiary_key", "kek_id")
