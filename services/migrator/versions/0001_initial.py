"""Initial schema: PostGIS, the ops tables (inbox, outbox, runs, snapshots)."""

from alembic import op
from migrator.sql import statements

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create extensions and the operational tables."""
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    statements(
        """
        CREATE TABLE ops.inbox (
            consumer text NOT NULL,
            message_id text NOT NULL,
            processed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer, message_id)
        );
        CREATE TABLE ops.outbox (
            id bigserial PRIMARY KEY,
            message_id text NOT NULL UNIQUE,
            routing_key text NOT NULL,
            body bytea NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            sent_at timestamptz
        );
        CREATE INDEX outbox_unsent ON ops.outbox (id) WHERE sent_at IS NULL;
        CREATE TABLE ops.runs (
            run_id text PRIMARY KEY,
            run_type text,
            fence bigint NOT NULL,
            state text NOT NULL DEFAULT 'running',
            phase text,
            started_at timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz,
            error text,
            summary jsonb NOT NULL DEFAULT '{}'::jsonb
        );
        CREATE TABLE ops.snapshots (
            snapshot_id bigserial PRIMARY KEY,
            schema_name text NOT NULL UNIQUE,
            run_id text NOT NULL,
            fence bigint NOT NULL,
            status text NOT NULL CHECK (status IN ('live', 'previous', 'retired')),
            created_at timestamptz NOT NULL DEFAULT now(),
            published_at timestamptz,
            summary jsonb NOT NULL DEFAULT '{}'::jsonb
        );
        -- At most one live and one previous snapshot at any time.
        CREATE UNIQUE INDEX snapshots_one_live ON ops.snapshots (status)
            WHERE status IN ('live', 'previous');
        """
    )


def downgrade() -> None:
    """Drop the operational tables (extensions stay: other schemas may use them)."""
    op.execute("DROP TABLE ops.snapshots, ops.runs, ops.outbox, ops.inbox")
