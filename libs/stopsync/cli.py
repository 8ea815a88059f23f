"""The `stopsync` command: serve a service, trigger and follow runs, migrate, generate, match."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
from typing import Any

SERVICES = ("api", "scheduler", "preprocess", "matcher", "precompute", "migrator")


def _serve(args: argparse.Namespace) -> int:
    module = importlib.import_module(f"{args.service}.__main__")
    return int(module.main() or 0)


def _migrate(args: argparse.Namespace) -> int:
    from migrator.__main__ import main

    return main()


def _run(args: argparse.Namespace) -> int:
    from stopsync.follow import trigger_and_follow

    return asyncio.run(trigger_and_follow(force=args.force, wait=args.wait, timeout=args.timeout))


def _status(args: argparse.Namespace) -> int:
    from stopsync.follow import read_status

    status = asyncio.run(read_status())
    if args.json:
        print(json.dumps(status, indent=2, default=str))
    else:
        for key, value in status.items():
            print(f"{key:>18}: {value}")
    return 0


def _rollback(args: argparse.Namespace) -> int:
    from stopsync.follow import rollback_snapshot

    print(f"live snapshot is now {asyncio.run(rollback_snapshot())}")
    return 0


def _generate(args: argparse.Namespace) -> int:
    from samplegen.cli import main

    return main(args)


def _match(args: argparse.Namespace) -> int:
    from matcher.offline import main

    return main(args)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="stopsync", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run one service in the foreground")
    serve.add_argument("service", choices=SERVICES)
    serve.set_defaults(func=_serve)
    sub.add_parser("migrate", help="bring the database schema to head").set_defaults(func=_migrate)
    run = sub.add_parser("run", help="trigger a pipeline run")
    run.add_argument("--force", action="store_true", help="run even if the sources are unchanged")
    run.add_argument("--wait", action="store_true", help="follow the run; exit 1 if it fails")
    run.add_argument("--timeout", type=float, default=3600.0, help="seconds to wait at most")
    run.set_defaults(func=_run)
    status = sub.add_parser("status", help="print the pipeline status")
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=_status)
    sub.add_parser("rollback", help="swap the previous snapshot back in").set_defaults(
        func=_rollback
    )
    _add_optional(sub, "generate", "samplegen.cli", "write synthetic sample data", _generate)
    _add_optional(sub, "match", "matcher.offline", "match files offline, no services", _match)
    return parser


def _add_optional(sub: Any, name: str, module: str, help_: str, func: Any) -> None:
    try:
        add_arguments = importlib.import_module(module).add_arguments
    except (ImportError, AttributeError):
        return
    cmd = sub.add_parser(name, help=help_)
    add_arguments(cmd)
    cmd.set_defaults(func=func)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `stopsync` console script."""
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
