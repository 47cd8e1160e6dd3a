"""Command line front: argument parsing and error reporting only, no logic.

Each sub-command lives in its own module exposing ``register(subparsers)``,
which adds a parser whose ``func`` default is ``run(args) -> int``.
Exit codes: 0 success, 1 failure (or skipped inputs), 2 usage.
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Sequence

from kg import project
from kg.errors import KGError
from kg.io import terminal_safe

#: Sub-command → the module that provides it, in the order ``kg --help`` lists them.
COMMANDS = {
    "build": "kg.pipeline",
    "query": "kg.query",
    "push": "kg.push",
    "stats": "kg.stats",
    "validate": "kg.validate",
    "eval": "kg.evaluate",
}
COMMAND_MODULES = tuple(COMMANDS.values())


def make_parser(
    argv: Sequence[str] | None = None, here: project.Project | None = None
) -> argparse.ArgumentParser:
    """The parser; given the arguments, only the named command's module is imported (the
    others pull in SHACL, SPARQL and networkx: a second of start-up ``kg build`` never needs).
    Relative defaults are those of the project ``here`` (default: found from the current folder).
    """
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Build and use a knowledge graph of Chinese municipal health reports.",
        epilog="Default paths (seeds/, output/, .kgcache/, tests/gold) are read in the project "
        "folder: the nearest folder at or above the current one holding kg.toml, or seeds/ and "
        "output/. Paths given on the command line are relative to the current folder.",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks instead of one-line errors"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    wanted = next((a for a in argv or () if not a.startswith("-")), None)
    modules = [COMMANDS[wanted]] if wanted in COMMANDS else COMMAND_MODULES
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a command still being written
            if exc.name != name:
                raise
            continue
        module.register(sub)
    project.install(sub, here or project.discover())
    return parser


#: When this process started to run kg (its imports included): the time a user waits.
STARTED = time.perf_counter()


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        here = project.discover()
    except project.ProjectError as exc:  # a kg.toml that cannot be used: a usage error
        print(terminal_safe(f"kg: error: {exc}"), file=sys.stderr)
        return 2
    args = make_parser(argv, here).parse_args(argv)
    args.started = STARTED
    project.announce(args, here)
    try:
        return int(args.func(args) or 0)
    except KGError as exc:
        if args.debug:
            raise
        print(terminal_safe(f"kg: error: {exc}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def entry() -> None:
    """The ``kg`` command: :func:`main`, then a quick exit.

    Once the outputs are written and the streams flushed, tearing the interpreter down
    object by object takes longer than a small incremental build's work (0.3 s after a
    10 MB build on our machine). When nothing else runs (no other thread, no child
    process), the process ends at once with main()'s exit code; otherwise as usual."""
    try:
        code = main()
    except KeyboardInterrupt:  # before main() could catch it (parsing, finding the project)
        print("kg: interrupted", file=sys.stderr)
        code = 130
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    if code == 130:
        # Ctrl-C: the outputs are as they were (staged writes were dropped on the way out).
        # Worker processes still busy with submitted reports are stopped, and the process
        # leaves without the interpreter's exit hooks, which would wait for those workers
        # (concurrent.futures joins its pool at exit: a Ctrl-C while the pool started hung).
        for child in multiprocessing.active_children():
            child.terminate()
        os._exit(130)
    if threading.active_count() == 1 and not multiprocessing.active_children():
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
