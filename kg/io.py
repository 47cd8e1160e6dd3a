"""Atomic writes: every output goes to a temporary file beside it and is renamed into place,
so a crash or Ctrl-C never leaves a truncated kg.ttl, graph.html or graph.graphml.

Also what keeps the caches harmless: sealed data files (plain values, versioned and
checksummed, never code), warnings printed once, the lock builds sharing a cache take
turns with, and the worker processes that die with the build that started them."""

from __future__ import annotations

import errno
import glob
import hashlib
import marshal
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from kg.errors import InputError, KGError, OutputError

if TYPE_CHECKING:
    from rdflib import Graph


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file to stream into; it replaces ``path`` only when the block ends cleanly
    (a temporary file in the same folder, mode 0644, renamed into place)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        sweep_stale_temps(path)
        prefix = f".{path.name}.{os.getpid()}."
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
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


def owner_died(pid_text: str) -> bool:
    """Whether the pid a temporary file or folder is named after is a process that is gone
    (a name without a pid is nobody's to remove)."""
    return pid_text.isdigit() and not pid_alive(int(pid_text))


def sweep_stale_temps(path: Path) -> int:
    """Remove the temporary files of ``path`` that a killed writer left (its pid, in the
    name, is not running any more); those of a live writer are left alone."""
    removed = 0
    try:
        candidates = list(path.parent.glob(f".{glob.escape(path.name)}.*.tmp"))
    except OSError:
        return 0
    for tmp in candidates:
        if not owner_died(tmp.name[len(path.name) + 2 :].split(".", 1)[0]):
            continue
        try:
            tmp.unlink()
            removed += 1
        except OSError:
            pass
    return removed


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
    try:
        for old in folder.parent.iterdir():
            if old == folder:
                continue
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)
    except OSError:  # a read-only cache keeps them
        pass


# --- sealed data: what the caches hold ----------------------------------------------------

#: A sealed file starts with this, then the kind's length and name (its format and version,
#: e.g. ``facts/1``), then the SHA-256 of what follows, then a marshal of plain values.
SEAL_MAGIC = b"KGS1"
_DIGEST = 32


class Damaged(ValueError):
    """Sealed bytes that are not what was written: another kind, another version, a
    checksum that does not match, or values of a type no cache holds."""


def seal(kind: str, payload: bytes) -> bytes:
    """``payload`` framed with its kind and checksum (:func:`unseal` gives it back)."""
    name = kind.encode()
    return b"".join(
        (SEAL_MAGIC, bytes((len(name),)), name, hashlib.sha256(payload).digest(), payload)
    )


def unseal(kind: str, data: bytes | memoryview) -> memoryview:
    """The payload sealed as ``kind`` (raises :class:`Damaged` when it is not intact)."""
    name = kind.encode()
    head = len(SEAL_MAGIC) + 1 + len(name)
    view = memoryview(data)
    if bytes(view[:head]) != SEAL_MAGIC + bytes((len(name),)) + name:
        raise Damaged(f"not a {kind} file")
    payload = view[head + _DIGEST :]
    if hashlib.sha256(payload).digest() != view[head : head + _DIGEST]:
        raise Damaged("its checksum does not match")
    return payload


def dump_data(kind: str, value: Any) -> bytes:
    """Plain values (None, bool, int, float, str, bytes, tuples, lists, sets, dicts of them)
    sealed as ``kind``. marshal is fast; it cannot run code on reading, and a checksum
    vouches for the bytes before they are read."""
    return seal(kind, marshal.dumps(value))


def load_data(kind: str, data: bytes | memoryview) -> Any:
    """The values :func:`dump_data` sealed (raises :class:`Damaged`)."""
    try:
        value = marshal.loads(unseal(kind, data))
    except (EOFError, TypeError, ValueError) as exc:
        raise Damaged(str(exc) or type(exc).__name__) from None
    if type(value).__name__ == "code":  # never made by dump_data; never run either
        raise Damaged("not plain data")
    return value


def write_cache_bytes(path: Path, data: bytes) -> None:
    """A cache file, atomically (raises OSError/OutputError; the caller decides what a
    cache that cannot be written costs: never the build)."""
    atomic_write_bytes(path, data)


_WARNED: set[str] = set()


def warn_once(topic: str, message: str) -> None:
    """Print ``message`` on stderr the first time ``topic`` is warned about in this process
    (a damaged or unwritable cache is said once, not per entry)."""
    if topic in _WARNED:
        return
    _WARNED.add(topic)
    print(terminal_safe(f"kg build: warning: {message}"), file=sys.stderr, flush=True)


def cache_write_failed(exc: BaseException) -> None:
    """The one warning a build gives when its cache cannot be written."""
    reason = getattr(exc, "strerror", None) or str(exc)
    warn_once(
        "cache-write",
        f"the cache cannot be written ({reason}): the outputs are written, the next build "
        f"will not be faster",
    )


# --- the cache lock ---------------------------------------------------------------------------

#: Seconds a build waits for the cache lock before giving up (``kg build --wait``).
LOCK_WAIT = 600.0
#: The descriptor of the lock this process holds (workers it forks close their copy).
_LOCK_FD: int | None = None


class LockTimeout(KGError):
    """The cache stayed locked by another build for longer than the wait allowed."""


def pid_alive(pid: int) -> bool:
    """Is a process with this pid running (another user's counts)?"""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def _holder(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), path.stat()
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _take_over(path: Path, holder: int, fcntl: Any) -> int | None:
    """A new lock file, locked, put in place of one whose holder is dead (the processes
    still locking the old one are orphans of a killed build). Builds taking over at the
    same time do it one after the other, each checking the holder again."""
    try:
        guard = os.open(path.with_name(".lock-takeover"), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None
    try:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if _holder(path) != holder:  # another build took it over first
            return None
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".lock.")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.write(fd, f"{os.getpid()}\n".encode())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except OSError:
            os.close(fd)
            Path(tmp).unlink(missing_ok=True)
            return None
        return fd
    except OSError:
        return None
    finally:
        os.close(guard)


@contextmanager
def cache_lock(folder: str | None, wait: float | None = None) -> Iterator[None]:
    """Hold the cache folder for one build at a time: builds sharing a cache append to its
    files, and a second one waits here until the first has saved.

    The lock file holds the pid of the build that has it. A build that has to wait says so
    on stderr, with that pid, and gives up after ``wait`` seconds (:class:`LockTimeout`); a
    lock whose holder is dead is taken over. (No lock where the system has no ``flock``, or
    no cache; a cache that cannot be written is not written to either.)"""
    global _LOCK_FD
    if not folder:
        yield
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    limit = LOCK_WAIT if wait is None else wait
    path = Path(folder) / ".lock"
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError:
        yield
        return
    fd = _acquire(path, fcntl, limit)
    if fd is None:  # a read-only cache
        yield
        return
    _LOCK_FD = fd
    try:
        yield
    finally:
        _LOCK_FD = None
        os.close(fd)  # releases the lock


def _acquire(path: Path, fcntl: Any, limit: float) -> int | None:
    deadline = time.monotonic() + limit
    said = None
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                os.close(fd)
                return None
        else:
            if _same_file(fd, path):  # not a file another build has just replaced
                try:
                    os.ftruncate(fd, 0)
                    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
                except OSError:  # a full disk: held all the same, only not named
                    pass
                return fd
            os.close(fd)
            continue
        os.close(fd)
        holder = _holder(path)
        if holder is not None and holder != os.getpid() and not pid_alive(holder):
            taken = _take_over(path, holder, fcntl)
            if taken is not None:
                print(
                    f"kg build: the cache {path.parent} was locked by pid {holder}, which "
                    f"is gone: lock taken over",
                    file=sys.stderr,
                    flush=True,
                )
                return taken
        who = f"pid {holder}" if holder is not None else "another build"
        if time.monotonic() >= deadline:
            raise LockTimeout(
                f"the cache {path.parent} is locked by {who}; gave up after {limit:g} s "
                f"(--wait SECONDS to wait longer, or --cache DIR for another cache)"
            )
        if said != holder:
            said = holder
            print(
                f"kg build: waiting for the cache {path.parent}, locked by {who} "
                f"(up to {limit:g} s, --wait)",
                file=sys.stderr,
                flush=True,
            )
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))


# --- worker processes ------------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Make this (forked) worker end when the process that started it ends: a parent-death
    signal on Linux, and everywhere a thread that watches the parent's pid. The worker
    also lets go of the cache lock it inherited, so a killed build never leaves it held."""
    parent = os.getppid()
    if _LOCK_FD is not None:
        try:
            os.close(_LOCK_FD)  # the parent's descriptor still holds the lock
        except OSError:
            pass
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    watcher = threading.Thread(target=_watch_parent, args=(parent,), daemon=True)
    watcher.start()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(1)
