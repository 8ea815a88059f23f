"""Helpers for hand-written migrations (asyncpg runs one statement per call)."""

from alembic import op


def statements(script: str) -> None:
    """Execute a script of `;`-terminated statements one by one (no `;` inside literals)."""
    for statement in script.split(";"):
        if statement.strip():
            op.execute(statement)
