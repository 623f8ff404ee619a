"""The store and the accounts: every table of docs/clinic.md.

Revision ID: 0001
Revises:
Create Date: 2026-11-30

Written out in full (not built from ``kneecore.clinic.db``), so later changes to the
tables there need a migration of their own; a test checks that the two agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = "'sessions', 'selfchecks', 'phases', 'settings', 'clearances', 'warning_records', 'runs'"


def _created(name: str) -> sa.Column[dt.datetime]:
    return sa.Column(
        name, sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")
    )


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("email", sa.Text()),
        sa.Column("name", sa.Text()),
        sa.Column("role", sa.Text(), nullable=False, server_default="patient"),
        _created("created_at"),
        sa.Column("revision", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
        sa.UniqueConstraint("subject", name="uq_accounts_subject"),
        sa.CheckConstraint("role IN ('patient', 'physio')", name="ck_accounts_role"),
    )
    op.create_table(
        "items",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("day", sa.Date()),
        sa.Column("body", postgresql.JSONB(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "kind", "key", name="pk_items"),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            ondelete="CASCADE",
            name="fk_items_account_id_accounts",
        ),
        sa.CheckConstraint(f"kind IN ({KINDS})", name="ck_items_kind"),
    )
    op.create_index("ix_items_account_id_kind_day", "items", ["account_id", "kind", "day"])
    op.create_table(
        "patient_status",
        sa.Column("patient_id", sa.BigInteger(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("red_sessions_14d", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("morning_rising", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("last_log", sa.Date()),
        sa.Column("improving", sa.Boolean()),
        sa.Column("attention", sa.Integer(), nullable=False, server_default=sa.text("0")),
        _created("updated_at"),
        sa.PrimaryKeyConstraint("patient_id", name="pk_patient_status"),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["accounts.id"],
            ondelete="CASCADE",
            name="fk_patient_status_patient_id_accounts",
        ),
    )
    op.create_table(
        "care_links",
        sa.Column("physio_id", sa.BigInteger(), nullable=False),
        sa.Column("patient_id", sa.BigInteger(), nullable=False),
        _created("accepted_at"),
        sa.PrimaryKeyConstraint("physio_id", "patient_id", name="pk_care_links"),
        sa.ForeignKeyConstraint(
            ["physio_id"],
            ["accounts.id"],
            ondelete="CASCADE",
            name="fk_care_links_physio_id_accounts",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["accounts.id"],
            ondelete="CASCADE",
            name="fk_care_links_patient_id_accounts",
        ),
    )
    op.create_index("ix_care_links_patient_id", "care_links", ["patient_id"])
    op.create_table(
        "invitations",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("physio_id", sa.BigInteger(), nullable=False),
        _created("created_at"),
        sa.Column("used_by", sa.BigInteger()),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("code", name="pk_invitations"),
        sa.ForeignKeyConstraint(
            ["physio_id"],
            ["accounts.id"],
            ondelete="CASCADE",
            name="fk_invitations_physio_id_accounts",
        ),
        sa.ForeignKeyConstraint(
            ["used_by"],
            ["accounts.id"],
            ondelete="SET NULL",
            name="fk_invitations_used_by_accounts",
        ),
    )
    op.create_table(
        "notes",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("patient_id", sa.BigInteger(), nullable=False),
        sa.Column("physio_id", sa.BigInteger(), nullable=False),
        _created("written_at"),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_notes"),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["accounts.id"],
            ondelete="CASCADE",
            name="fk_notes_patient_id_accounts",
        ),
        sa.ForeignKeyConstraint(
            ["physio_id"],
            ["accounts.id"],
            ondelete="CASCADE",
            name="fk_notes_physio_id_accounts",
        ),
    )
    op.create_index("ix_notes_patient_id_written_at", "notes", ["patient_id", "written_at"])
    op.create_table(
        "audit",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        _created("at"),
        sa.Column("viewer_id", sa.BigInteger(), nullable=False),
        sa.Column("patient_id", sa.BigInteger(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit"),
    )
    op.create_index("ix_audit_patient_id_at", "audit", ["patient_id", "at"])
    # The audit trail is append-only: no row is changed or removed, by anyone.
    op.execute(
        """
        CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the audit table is append-only: % is not allowed', TG_OP;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit "
        "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"
    )


def downgrade() -> None:
    op.drop_table("audit")
    op.execute("DROP FUNCTION audit_append_only()")
    for table in ("notes", "invitations", "care_links", "patient_status", "items", "accounts"):
        op.drop_table(table)
