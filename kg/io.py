"""Atomic writes: every output goes to a temporary file beside it and is renamed into place,
so a crash or Ctrl-C never leaves a truncated kg.ttl, graph.html or graph.graphml."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from kg.errors import InputError, KGError, OutputError

if TYPE_CHECKING:
    from rdflib import Graph


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file to stream into; it replaces ``path`` only when the block ends cleanly
    (a temporary file in the same folder, mode 0644, renamed into place)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; outputs are meant to be shared
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder (mode 0644)."""
    with atomic_writer(path) as f:
        f.write(data)
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    """UTF-8 text, whatever the locale (GBK/cp1252 consoles break pyvis's own writer)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def one_line(text: str) -> str:
    """A message folded onto one line, for one-line errors; control characters (ESC, OSC,
    bidirectional overrides: what a server's error body or a file name can carry to the
    terminal) are written as escapes, never sent raw."""
    return terminal_safe(" ".join(text.split()))


#: C0/C1 controls and the bidirectional formatting characters.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with every control character shown as an escape (\\x1b, \\u202e)."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def read_rdf(
    path: Path,
    *,
    what: str = "graph",
    missing: str | None = None,
    error: type[KGError] = InputError,
) -> Graph:
    """Parse an RDF file (format from its suffix, Turtle by default) with one-line errors.

    ``missing`` replaces the default "<what> not found: <path>" message; ``error`` is the
    KGError subclass the caller's command reports.
    """
    if not path.is_file():
        raise error(missing or f"{what} not found: {path}")
    try:
        from rdflib import Graph
        from rdflib.util import guess_format

        return Graph().parse(path, format=guess_format(str(path)) or "turtle")
    except Exception as exc:  # rdflib raises many unrelated types for bad syntax
        raise error(f"cannot parse {what} {path}: {one_line(str(exc))}") from exc


def drop_siblings(folder: Path) -> None:
    """Remove everything beside ``folder`` in its parent: a cache's folders of other
    versions, which are never read again (best effort)."""
    if not folder.parent.is_dir():
        return
    for old in folder.parent.iterdir():
        if old == folder:
            continue
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


@contextmanager
def cache_lock(folder: str | None) -> Iterator[None]:
    """Hold the cache folder for one build at a time: builds sharing a cache append to its
    files, and a second one waits here until the first has saved. (No lock where the system
    has no ``flock``, or no cache.)"""
    if not folder:
        yield
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        fd = os.open(Path(folder) / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:  # a read-only cache is not written to either
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock
