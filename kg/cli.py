"""Command line front: argument parsing and error reporting only, no logic.

Each sub-command lives in its own module exposing ``register(subparsers)``,
which adds a parser whose ``func`` default is ``run(args) -> int``.
Exit codes: 0 success, 1 failure (or skipped inputs), 2 usage.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kg.errors import KGError

#: Modules that provide a sub-command, in the order ``kg --help`` lists them.
COMMAND_MODULES = (
    "kg.pipeline",
    "kg.query",
    "kg.push",
    "kg.stats",
    "kg.validate",
    "kg.evaluate",
)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Build and use a knowledge graph of Chinese municipal health reports.",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks instead of one-line errors"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a command still being written
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KGError as exc:
        if args.debug:
            raise
        print(f"kg: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
