"""Start the six services as local subprocesses on isolated names (tests, benchmarks, demos)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
from common.amqp import Topology, connect, delete_topology
from common.db import asyncpg_dsn

WORKERS = ("scheduler", "preprocess", "matcher", "precompute", "api")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalStack:
    """The services of one isolated stack: its own database, namespace, port and state folder."""

    env: dict[str, str]
    log_dir: Path
    port: int = field(default_factory=free_port)
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The API's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def full_env(self) -> dict[str, str]:
        """The environment every service process gets."""
        return {**os.environ, **self.env, "API_PORT": str(self.port), "LOG_JSON": "true"}

    def migrate(self) -> None:
        """Run the migrator to completion; raise with its log on failure."""
        out = subprocess.run(
            [sys.executable, "-m", "migrator"],
            env=self.full_env(),
            capture_output=True,
            timeout=180,
        )
        if out.returncode != 0:
            raise RuntimeError(f"migrator failed: {out.stderr.decode()[-2000:]}")

    def start(self, services: tuple[str, ...] = WORKERS, timeout: float = 60.0) -> None:
        """Start the services and wait until the API is ready."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for name in services:
            log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
            self.procs[name] = subprocess.Popen(
                [sys.executable, "-m", name],
                env=self.full_env(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float) -> None:
        """Poll /readyz until it answers 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"API not ready after {timeout} s; logs in {self.log_dir}")

    def check_alive(self) -> None:
        """Raise when a service process died."""
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                tail = (self.log_dir / f"{name}.log").read_text()[-3000:]
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{tail}")

    def stop(self) -> None:
        """Terminate every service, then kill what does not stop."""
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.procs.clear()

    def destroy(self, admin_database_url: str) -> None:
        """Drop this stack's database, exchanges and queues (after stop)."""
        asyncio.run(_destroy(self.env, admin_database_url))

    def log_tail(self, chars: int = 4000) -> str:
        """The end of every service's log, for failure messages."""
        parts = []
        for path in sorted(self.log_dir.glob("*.log")):
            parts.append(f"== {path.name}\n{path.read_text()[-chars:]}")
        return "\n".join(parts)


async def _destroy(env: dict[str, str], admin_database_url: str) -> None:
    connection = await connect(env["AMQP_URL"])
    channel = await connection.channel()
    await delete_topology(channel, Topology(env["NAMESPACE"]))
    await connection.close()
    database = asyncpg_dsn(env["DATABASE_URL"]).rsplit("/", 1)[-1]
    conn = await asyncpg.connect(asyncpg_dsn(admin_database_url))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await conn.close()
