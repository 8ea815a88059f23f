"""match_run against a fake connection: frames in, tables created and filled with COPY."""

import sys
import types as pytypes

import pytest

from matcher import pipeline
from matcher.tests.factory import atlas_frame, element, osm_frame, stop


class FakeConn:
    """Records DDL and COPY calls the way asyncpg would receive them."""

    def __init__(self):
        self.ddl, self.copied = [], {}

    async def execute(self, sql):
        self.ddl.append(sql)

    async def fetchval(self, sql):
        return None  # no curation schema here

    async def copy_records_to_table(self, table, *, schema_name, columns, records):
        self.copied[(schema_name, table)] = (list(columns), list(records))


@pytest.fixture
def staged(monkeypatch):
    frames = {
        "atlas_stops": atlas_frame(stop(8503001, 0, 0, sloid="a"), stop(8503002, 900, 0, sloid="b")),
        "osm_elements": osm_frame(element("platform", 0, 3, "1", uic_ref="8503001")),
    }
    module = pytypes.ModuleType("preprocess.staging")

    async def load_frames(conn, schema):
        return frames

    module.load_frames = load_frames
    monkeypatch.setitem(sys.modules, "preprocess.staging", module)
    return frames


async def test_match_run_writes_result_tables_and_reports_progress(staged):
    conn, seen = FakeConn(), []

    async def report(message, done, total):
        seen.append(message)

    summary = await pipeline.match_run(conn, "run_ab12", "swiss", report)
    assert summary["match_types"] == {"exact": 1}
    columns, rows = conn.copied[("run_ab12", "matches")]
    assert columns[:3] == ["sloid", "osm_id", "match_type"] and [r[:3] for r in rows] == [("a", "1", "exact")]
    assert conn.copied[("run_ab12", "unmatched")][1] == [("atlas", "b", True)]
    assert ("run_ab12", "route_matches") not in conn.copied  # no routes staged
    assert sum('CREATE TABLE "run_ab12".' in sql for sql in conn.ddl) == 4
    assert seen[0] == "loading staged frames" and seen[-1] == "matching done"
    assert any(m == "matching: exact" for m in seen)


async def test_match_run_refuses_a_schema_name_that_is_not_an_identifier(staged):
    async def report(*_):
        return None

    with pytest.raises(ValueError):
        await pipeline.match_run(FakeConn(), 'run"; DROP SCHEMA ops; --', "swiss", report)
