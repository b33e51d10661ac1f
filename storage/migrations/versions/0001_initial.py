"""Initial schema: every table of Vigie as of the first migration.

Revision ID: 0001
Revises:
Create Date: 2026-03-01

The tables are defined here, frozen, with plain SQLAlchemy types (never the models' classes, which
move on): `schema()` is also what `storage.migrations.runner` checks a database against when it
was created by `create_all` before migrations existed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "ck": "%(table_name)s_%(constraint_name)s_check",
    "fk": "%(table_name)s_%(column_0_N_name)s_fkey",
    "pk": "%(table_name)s_pkey",
}


def schema() -> sa.MetaData:
    """The tables of this revision, on a metadata of their own."""
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table(
        "ad",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("ad_id", sa.String(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("location_text", sa.Text(), nullable=False),
        sa.Column("contact_text", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(), nullable=False),
        sa.Column("page_sha256", sa.String(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("zone", sa.String(), nullable=True),
        sa.Column("commune", sa.String(), nullable=True),
        sa.Column("minor_score", sa.Float(), nullable=False),
        sa.Column("trafficking_score", sa.Float(), nullable=False),
        sa.Column("max_score", sa.Float(), nullable=False),
        sa.Column("flags", sa.String(), nullable=False),
        sa.Column("model_version", sa.String(), nullable=False),
        sa.Column("raw_json", JSON_DOCUMENT, nullable=False),
        sa.Column("analysis_json", JSON_DOCUMENT, nullable=False),
        sa.UniqueConstraint("site", "ad_id", name="uq_ad_site_ad_id"),
        sa.Index("ix_ad_last_seen", "last_seen"),
        sa.Index("ix_ad_max_score", "max_score"),
        sa.Index("ix_ad_zone", "zone"),
    )
    sa.Table(
        "audit_entry",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("zone", sa.String(), nullable=True),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("object_type", sa.String(), nullable=True),
        sa.Column("object_id", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("details", JSON_DOCUMENT, nullable=False),
        sa.Index("ix_audit_entry_action", "action"),
        sa.Index("ix_audit_entry_actor", "actor"),
        sa.Index("ix_audit_entry_at", "at"),
    )
    sa.Table(
        "crawl_run",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("zone", sa.String(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("ads_new", sa.Integer(), nullable=False),
        sa.Column("ads_changed", sa.Integer(), nullable=False),
        sa.Column("ads_unchanged", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Index("ix_crawl_run_site", "site"),
        sa.Index("ix_crawl_run_started_at", "started_at"),
    )
    sa.Table(
        "exchange_imported_file",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("source_zone", sa.String(), nullable=False),
        sa.Column("signer_key", sa.String(), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("tlp", sa.String(), nullable=False),
        sa.Column("pseudonymised", sa.Boolean(), nullable=False),
        sa.Column("pseudonym_key_id", sa.String(), nullable=True),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(), nullable=False),
        sa.Column("indicator_count", sa.Integer(), nullable=False),
        sa.UniqueConstraint("sha256", name="exchange_imported_file_sha256_key"),
        sa.Index("ix_exchange_imported_file_source_zone", "source_zone"),
    )
    sa.Table(
        "network",
        metadata,
        sa.Column("network_id", sa.String(), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("risk", sa.Float(), nullable=False),
        sa.Column("zone_count", sa.Integer(), nullable=False),
        sa.Column("phones", JSON_DOCUMENT, nullable=False),
        sa.Column("aliases", JSON_DOCUMENT, nullable=False),
        sa.Column("sites", JSON_DOCUMENT, nullable=False),
        sa.Column("zones", JSON_DOCUMENT, nullable=False),
        sa.Column("movement", JSON_DOCUMENT, nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Index("ix_network_risk", "risk"),
    )
    sa.Table(
        "review_decision",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("ad_id", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("zone", sa.String(), nullable=True),
        sa.Column("decision", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("flags", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("ix_review_decision_actor", "actor"),
        sa.Index("ix_review_decision_ad_id", "ad_id"),
        sa.Index("ix_review_decision_at", "at"),
        sa.Index("ix_review_decision_site", "site"),
    )
    sa.Table(
        "watch_entry",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("zone", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Index("ix_watch_entry_value", "value"),
    )
    sa.Table(
        "web_user",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("zone", sa.String(), nullable=False),
        sa.Column("lang", sa.String(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("ix_web_user_username", "username", unique=True),
    )
    sa.Table(
        "ad_alias",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "ad_pk", sa.Integer(), sa.ForeignKey("ad.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.String(), nullable=False),
        sa.Index("ix_ad_alias_ad_pk", "ad_pk"),
        sa.Index("ix_ad_alias_name", "name"),
    )
    sa.Table(
        "ad_contact",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "ad_pk", sa.Integer(), sa.ForeignKey("ad.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Index("ix_ad_contact_ad_pk", "ad_pk"),
        sa.Index("ix_ad_contact_kind_value", "kind", "value"),
    )
    sa.Table(
        "ad_flag",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "ad_pk", sa.Integer(), sa.ForeignKey("ad.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("flag", sa.String(), nullable=False),
        sa.UniqueConstraint("ad_pk", "flag", name="uq_ad_flag_ad_pk_flag"),
        sa.Index("ix_ad_flag_ad_pk", "ad_pk"),
        sa.Index("ix_ad_flag_flag", "flag"),
    )
    sa.Table(
        "ad_image",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "ad_pk", sa.Integer(), sa.ForeignKey("ad.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("phash", sa.String(), nullable=True),
        sa.Column("dhash", sa.String(), nullable=True),
        sa.Index("ix_ad_image_ad_pk", "ad_pk"),
        sa.Index("ix_ad_image_dhash", "dhash"),
        sa.Index("ix_ad_image_phash", "phash"),
    )
    sa.Table(
        "ad_phone",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "ad_pk", sa.Integer(), sa.ForeignKey("ad.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("e164", sa.String(), nullable=False),
        sa.Column("region", sa.String(), nullable=False),
        sa.Column("obfuscated", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("ad_pk", "e164", name="uq_ad_phone_ad_pk_e164"),
        sa.Index("ix_ad_phone_ad_pk", "ad_pk"),
        sa.Index("ix_ad_phone_e164", "e164"),
    )
    sa.Table(
        "ad_version",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "ad_pk", sa.Integer(), sa.ForeignKey("ad.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(), nullable=False),
        sa.Column("page_sha256", sa.String(), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("raw_json", JSON_DOCUMENT, nullable=False),
        sa.Column("analysis_json", JSON_DOCUMENT, nullable=False),
        sa.UniqueConstraint("ad_pk", "version", name="uq_ad_version_ad_pk_version"),
        sa.Index("ix_ad_version_ad_pk", "ad_pk"),
    )
    sa.Table(
        "exchange_imported_indicator",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "file_pk",
            sa.Integer(),
            sa.ForeignKey("exchange_imported_file.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("source_zone", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("pseudonymised", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("flags", JSON_DOCUMENT, nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sightings", sa.Integer(), nullable=False),
        sa.Column("zones", JSON_DOCUMENT, nullable=False),
        sa.Column("networks", JSON_DOCUMENT, nullable=False),
        sa.Index("ix_exchange_imported_indicator_file_pk", "file_pk"),
        sa.Index("ix_exchange_imported_indicator_kind_value", "kind", "value"),
        sa.Index("ix_exchange_imported_indicator_source_zone", "source_zone"),
    )
    sa.Table(
        "network_edge",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "network_id",
            sa.String(),
            sa.ForeignKey("network.network_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("a_pk", sa.Integer(), sa.ForeignKey("ad.id", ondelete="CASCADE"), nullable=False),
        sa.Column("b_pk", sa.Integer(), sa.ForeignKey("ad.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Index("ix_network_edge_a_pk", "a_pk"),
        sa.Index("ix_network_edge_b_pk", "b_pk"),
        sa.Index("ix_network_edge_network_id", "network_id"),
    )
    sa.Table(
        "network_member",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "network_id",
            sa.String(),
            sa.ForeignKey("network.network_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "ad_pk", sa.Integer(), sa.ForeignKey("ad.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Index("ix_network_member_ad_pk", "ad_pk"),
        sa.Index("ix_network_member_network_id", "network_id"),
    )
    sa.Table(
        "watch_alert",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("watch_id", sa.Integer(), sa.ForeignKey("watch_entry.id"), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("ad_id", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("watch_id", "site", "ad_id", name="uq_watch_alert"),
        sa.Index("ix_watch_alert_open", "open"),
        sa.Index("ix_watch_alert_watch_id", "watch_id"),
    )

    return metadata


def upgrade() -> None:
    schema().create_all(op.get_bind(), checkfirst=False)


def downgrade() -> None:
    schema().drop_all(op.get_bind(), checkfirst=False)
