"""The matcher's handler: match the staged run and hand it to precompute."""

from __future__ import annotations

from typing import Any

import asyncpg
from common.amqp import Handler
from common.handlers import phase_handler
from common.messages import Envelope, Event, MatchingCompleted, PreprocessCompleted
from common.runs import Report
from common.runtime import Runtime
from common.settings import WorkerSettings

from matcher.pipeline import match_run


def build_handlers(rt: Runtime) -> dict[str, Handler]:
    """The matcher's handler table."""
    assert isinstance(rt.settings, WorkerSettings)
    profile = rt.settings.match_profile

    async def work(conn: asyncpg.Connection, env: Envelope[Any], report: Report) -> Event:
        payload: PreprocessCompleted = env.payload
        # match_run reads users' manual matches (curation schema); they win over every stage.
        summary = await match_run(conn, payload.schema_name, profile, report)
        return MatchingCompleted(
            schema_name=payload.schema_name,
            fence=payload.fence,
            summary={"matching": summary, "preprocess": payload.summary},
        )

    return {"preprocess.preprocess_completed": phase_handler(rt, "match", "matching stops", work)}
