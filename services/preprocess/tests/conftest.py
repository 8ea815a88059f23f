"""Fixtures shared by the integration tests: a PostGIS database per module, a connection each."""

from __future__ import annotations

import asyncpg
import pytest

from preprocess.tests.pg import postgis_database


@pytest.fixture(scope="module")
async def database():
    async for url in postgis_database():
        yield url


@pytest.fixture
async def conn(database):
    connection = await asyncpg.connect(database)
    yield connection
    await connection.close()
