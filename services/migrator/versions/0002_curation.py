"""Users' curation: manual matches, problem solutions, notes and their history (never run-written)."""

from alembic import op
from migrator.sql import statements

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Ids are uuids so that an export imported into another instance keeps them (idempotent import).
# Per-run state (last_seen_run_id, orphaned, ...) is written only by precompute's reconcile.


def upgrade() -> None:
    """Create the curation schema."""
    statements(
        """
        CREATE SCHEMA IF NOT EXISTS curation;
        CREATE TABLE curation.manual_matches (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            sloid text NOT NULL CHECK (length(sloid) > 0),
            osm_ids text[] NOT NULL CHECK (cardinality(osm_ids) > 0),
            action text NOT NULL CHECK (action IN ('match', 'unmatch')),
            comment text NOT NULL DEFAULT '',
            author text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            orphaned boolean NOT NULL DEFAULT false,
            orphaned_since_run_id text,
            missing jsonb NOT NULL DEFAULT '{}'::jsonb
        );
        CREATE INDEX manual_matches_sloid ON curation.manual_matches (sloid);
        CREATE TABLE curation.solutions (
            problem_id text PRIMARY KEY,
            status text NOT NULL CHECK (status IN ('open', 'fixed_in_osm', 'fixed_in_official',
                                                   'wont_fix', 'false_positive')),
            text text NOT NULL DEFAULT '',
            author text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            problem_type text,
            sloid text,
            osm_node_id text,
            last_priority smallint,
            fingerprint text,
            last_seen_run_id text,
            resolved_since_run_id text,
            needs_review boolean NOT NULL DEFAULT false,
            review_reason text
        );
        CREATE INDEX solutions_sloid ON curation.solutions (sloid);
        CREATE TABLE curation.notes (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            target_type text NOT NULL CHECK (target_type IN ('atlas', 'osm')),
            target_id text NOT NULL CHECK (length(target_id) > 0),
            text text NOT NULL CHECK (length(text) > 0),
            author text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX notes_target ON curation.notes (target_type, target_id);
        CREATE TABLE curation.history (
            seq bigserial PRIMARY KEY,
            id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
            entity_kind text NOT NULL CHECK (entity_kind IN ('manual_match', 'solution', 'note')),
            entity_id text NOT NULL,
            action text NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
            author text NOT NULL,
            at timestamptz NOT NULL DEFAULT now(),
            sloid text,
            before jsonb,
            after jsonb
        );
        CREATE INDEX history_entity ON curation.history (entity_kind, entity_id, seq);
        CREATE INDEX history_sloid ON curation.history (sloid, seq);
        """
    )


def downgrade() -> None:
    """Drop the curation schema (users' data: only on purpose)."""
    op.execute("DROP SCHEMA curation CASCADE")
