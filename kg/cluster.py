"""``kg build --dask``: the per-document extraction mapped over a Dask cluster, in order.

``dask_map(fn, items, address)`` is ``map(fn, items)`` run on a ``distributed`` cluster:
``address`` is a scheduler (``tcp://host:8786``) or ``"local"`` for a LocalCluster of one
single-threaded process per core (jieba is pure Python, so processes, not threads).

Results come back in input order (byte-identical to ``--jobs 1``) with at most
``IN_FLIGHT_PER_THREAD`` tasks per worker thread submitted ahead, so memory stays flat for
millions of documents; items travel in batches of up to ``MAX_BATCH`` so that the scheduler's
per-task overhead (about a millisecond) stays small beside the work.

Workers must have this package installed (``kg`` importable: ``fn`` is pickled by reference)
and must see the files the items name, at the same paths; a LocalCluster has both.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from kg.errors import KGError

T = TypeVar("T")
R = TypeVar("R")

#: Seconds to wait for the scheduler to answer, and then for a first worker to join it.
CONNECT_TIMEOUT = 10.0
WORKER_TIMEOUT = 60.0
#: Tasks submitted ahead per worker thread, and the most items one task carries.
IN_FLIGHT_PER_THREAD = 4
MAX_BATCH = 16

INSTALL_HINT = "pip install 'cn-health-kg[cluster]'"


class ClusterError(KGError):
    """A Dask cluster that cannot be used: not installed, unreachable, or a worker died."""


def _run_batch(fn: Callable[[T], R], batch: list[T]) -> list[R]:
    """The task run on a worker: ``fn`` over a batch (module level, so it pickles)."""
    return [fn(item) for item in batch]


def batch_size(n_items: int, threads: int) -> int:
    """Items per task: about ``IN_FLIGHT_PER_THREAD`` tasks per thread, 1 to ``MAX_BATCH``."""
    return max(1, min(MAX_BATCH, n_items // (max(1, threads) * IN_FLIGHT_PER_THREAD)))


def dask_map(fn: Callable[[T], R], items: Sequence[T], address: str) -> Iterator[R]:
    """``map(fn, items)`` on the Dask cluster at ``address`` (or ``"local"``), in input order.

    Raises ``ClusterError`` at once when ``distributed`` is not installed; connection
    problems are raised by the first ``next()``. Closing the iterator early cancels what
    is still running and shuts the client (and a LocalCluster) down.
    """
    try:
        import distributed
    except ImportError:
        raise ClusterError(f"--dask needs dask.distributed: {INSTALL_HINT}") from None
    # Client-side INFO lines on stderr; a LocalCluster quiets its own (silence_logs).
    logging.getLogger("distributed").setLevel(logging.WARNING)
    return _stream(distributed, fn, list(items), address)


def _connect(distributed: Any, address: str) -> tuple[Any, Any]:
    if address == "local":
        try:
            cluster = distributed.LocalCluster(
                n_workers=os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                # No dashboard, but the scheduler's HTTP server still binds a port: a free one,
                # not 8787, which a second build or another cluster may hold (a warning).
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            )
        except Exception as exc:
            raise ClusterError(f"cannot start a local Dask cluster: {_line(exc)}") from None
        try:
            return cluster, distributed.Client(cluster, set_as_default=False)
        except Exception:
            cluster.close()
            raise
    _probe(distributed, address)
    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {_line(exc)}") from None
    try:
        client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
    except Exception:
        client.close()
        raise ClusterError(
            f"the Dask scheduler at {address} has no worker after {WORKER_TIMEOUT:.0f} s"
        ) from None
    return None, client


def _probe(distributed: Any, address: str) -> None:
    """Try the address on a bare comm: a ``Client`` that fails on anything but a timeout
    is left half-open and hangs the interpreter's exit for 20 s."""

    async def hello() -> None:
        comm = await distributed.comm.connect(address, timeout=CONNECT_TIMEOUT)
        await comm.close()

    with ThreadPoolExecutor(1) as pool:  # its own event loop, even if the caller runs one
        try:
            pool.submit(asyncio.run, hello()).result()
        except (OSError, ValueError) as exc:  # TimeoutError is an OSError
            msg = f"cannot reach the Dask scheduler at {address}: {_line(exc)}"
            raise ClusterError(msg) from None
        except Exception as exc:  # e.g. another server's greeting read as a frame length
            raise ClusterError(f"no Dask scheduler at {address} ({type(exc).__name__})") from None


def _line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _stream(distributed: Any, fn: Callable[[T], R], items: list[T], address: str) -> Iterator[R]:
    if not items:
        return
    cluster, client = _connect(distributed, address)
    window: deque[Any] = deque()
    try:
        threads = sum(client.nthreads().values()) or 1
        k = batch_size(len(items), threads)
        limit = threads * IN_FLIGHT_PER_THREAD
        for start in range(0, len(items), k):
            window.append(client.submit(_run_batch, fn, items[start : start + k], pure=False))
            if len(window) < limit:
                continue
            yield from _result(window.popleft(), address)
        while window:
            yield from _result(window.popleft(), address)
    finally:
        if window:
            client.cancel(list(window))
            window.clear()
        client.close()
        if cluster is not None:
            cluster.close()


def _result(future: Any, address: str) -> list[Any]:
    """The future's batch of results; a dead worker or scheduler is a one-line ClusterError."""
    from concurrent.futures import CancelledError

    from distributed.scheduler import KilledWorker

    where = "the local cluster" if address == "local" else address
    try:
        return future.result()  # type: ignore[no-any-return]
    except KilledWorker:
        raise ClusterError(f"Dask workers of {where} died running a task (memory?)") from None
    except CancelledError:
        raise ClusterError(f"lost the Dask scheduler of {where}") from None
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] != "kg":
            raise
        raise ClusterError(f"Dask workers of {where} need cn-health-kg installed") from None
    finally:
        future.release()
