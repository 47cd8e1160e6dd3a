"""Run a function in a forked child under a deadline, and get its plain-data answer back.

A SPARQL engine cannot be interrupted from Python: rdflib evaluates in pure Python holding the
interpreter, pyoxigraph in native code that ignores signals, and a query with 3,000 nested
groups crashes the process. So ``kg query`` runs the query in a child process: the parent waits
at most ``timeout`` seconds, Ctrl-C in the parent kills the child at once, and a crash of the
child is a one-line error instead of a segfault of the command. The child inherits the loaded
graph (fork), dies with its parent (``PR_SET_PDEATHSIG``), and sends back JSON, never pickle.
"""

from __future__ import annotations

import faulthandler
import json
import os
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

from kg.errors import KGError
from kg.io import die_with_parent


class DeadlineError(KGError):
    """The function ran out of time, crashed, or failed in the child."""


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "win32"


def run_with_deadline(
    fn: Callable[[], Any],
    timeout: float | None,
    *,
    what: str = "the query",
    error: type[KGError] = DeadlineError,
) -> Any:
    """``fn()`` (which returns JSON-able data) in a child, or ``error`` after ``timeout`` s.

    An exception of type ``error`` raised by ``fn`` in the child is raised again here with its
    message; any other exception becomes ``error`` too, never a traceback."""
    if not can_fork():
        return fn()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send one JSON document, leave without cleanup
        os.close(read_fd)
        die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        faulthandler.disable()  # a crash is reported by the parent, in one line
        try:
            payload = {"ok": fn()}
        except error as exc:
            payload = {"error": str(exc)}
        except BaseException as exc:  # everything is reported, in one line
            payload = {"error": f"{what} failed: {type(exc).__name__}: {exc}"}
        try:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        except (TypeError, ValueError) as exc:
            data = json.dumps({"error": f"{what} failed: {exc}"}).encode("utf-8")
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(write_fd, view) :]
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = None if timeout is None or timeout <= 0 else time.monotonic() + timeout
    try:
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([read_fd], [], [], wait)
            if not ready:
                _kill(pid)
                raise error(f"{what} ran longer than {timeout:g} s and was stopped (--timeout)")
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        sig = signal.Signals(os.WTERMSIG(status)).name
        raise error(
            f"{what} crashed the query engine ({sig}); a very deeply nested query can do this"
        )
    try:
        payload = json.loads(b"".join(chunks).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise error(f"{what} gave no answer ({exc})") from None
    if "error" in payload:
        raise error(str(payload["error"]))
    return payload["ok"]


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
