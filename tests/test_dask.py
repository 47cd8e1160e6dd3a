"""kg build --dask: the extraction on a real Dask cluster gives the bytes of --jobs 1."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import cluster
from kg.cli import main
from kg.cluster import ClusterError, dask_map

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
QUIET = ["--no-cache", "--html", "never", "--graphml", "never", "-q"]


def _square(x: int) -> int:
    return x * x


def _die(x: int) -> int:
    os._exit(1)


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    """A two-process LocalCluster, reached by its scheduler address like a remote one."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)  # workers inherit the folder the relative "seeds" paths are read from
        lc = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        )
    try:
        yield lc.scheduler_address
    finally:
        lc.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("jobs1")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        assert main(["build", "seeds", "--out", str(out), "--jobs", "1", *QUIET]) == 0
    return (out / "kg.ttl").read_bytes()


def test_dask_build_is_byte_identical_to_jobs_1(
    address: str, reference: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["build", "seeds", "--out", str(tmp_path), "--dask", address, *QUIET]) == 0
    assert (tmp_path / "kg.ttl").read_bytes() == reference


@pytest.mark.slow
def test_dask_without_address_starts_a_local_cluster(
    reference: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["build", "seeds", "--out", str(tmp_path), "--dask", *QUIET]) == 0
    assert (tmp_path / "kg.ttl").read_bytes() == reference


def test_order_is_kept_with_batches_and_a_bounded_window(
    address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = list(range(200))
    batches: list[int] = []
    submit = distributed.Client.submit

    def spy(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        batches.append(len(args[1]))
        return submit(self, fn, *args, **kwargs)

    monkeypatch.setattr(distributed.Client, "submit", spy)
    k = cluster.batch_size(len(items), 2)
    limit = 2 * cluster.IN_FLIGHT_PER_THREAD * k  # 2 worker threads
    out: list[int] = []
    ahead = 0
    for x in dask_map(_square, items, address):
        out.append(x)
        ahead = max(ahead, sum(batches) - len(out))
    assert out == list(map(_square, items))
    assert k == cluster.MAX_BATCH and max(batches) == k and len(batches) == -(-200 // k)
    assert 0 < ahead <= limit < len(items)


def test_closing_early_cancels_and_disconnects(address: str) -> None:
    with distributed.Client(address, set_as_default=False) as watcher:
        before = len(watcher.run_on_scheduler(lambda dask_scheduler: dask_scheduler.clients))
        it = dask_map(_square, list(range(500)), address)
        assert [next(it) for _ in range(3)] == [0, 1, 4]
        it.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            state = watcher.run_on_scheduler(
                lambda dask_scheduler: (len(dask_scheduler.clients), len(dask_scheduler.tasks))
            )
            if state == (before, 0):
                break
            time.sleep(0.1)
        assert state == (before, 0)


def test_an_unreadable_document_is_skipped_not_fatal(
    address: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(ROOT / "seeds" / "000_1cbb400f197cc45a.txt", reports)
    (reports / "bad.txt").write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "out"
    assert main(["build", str(reports), "--out", str(out), "--dask", address, *QUIET]) == 1
    err = capsys.readouterr().err
    assert "skipped" in err and "bad.txt" in err
    assert (out / "kg.ttl").stat().st_size > 0


def test_an_unreachable_scheduler_is_one_line_and_quick(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    addr = f"tcp://127.0.0.1:{port}"
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2.0)
    monkeypatch.chdir(ROOT)
    t0 = time.monotonic()
    assert main(["build", "seeds", "--out", str(tmp_path), "--dask", addr, *QUIET]) == 1
    assert time.monotonic() - t0 < 15
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and addr in err and err.startswith("kg: error:")
    assert not (tmp_path / "kg.ttl").exists()


def test_a_malformed_address_is_a_cluster_error() -> None:
    with pytest.raises(ClusterError, match="nonsense"):
        list(dask_map(_square, [1], "nonsense"))


def test_missing_distributed_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ClusterError, match=r"pip install 'cn-health-kg\[cluster\]'"):
        dask_map(_square, [1], "local")
    monkeypatch.chdir(ROOT)
    assert main(["build", "seeds", "--out", str(tmp_path), "--dask", *QUIET]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "cn-health-kg[cluster]" in err


@pytest.mark.slow
def test_a_dying_worker_is_a_cluster_error() -> None:
    import dask

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        pytest.raises(ClusterError, match="died"),
    ):
        list(dask_map(_die, [1, 2, 3], "local"))
