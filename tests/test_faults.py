"""Faults and hostile files (issue 17): nothing runs from the cache, nothing hangs, nothing
wrong is written with exit 0. Loops are bounded, signals go only to processes a test
started, and every probe runs on a copy of the seeds or on sentences written for the test."""

from __future__ import annotations

import builtins
import codecs
import errno
import fcntl
import io
import os
import pickle
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import cli, segment
from kg import io as kgio
from kg.loader import decode, load_file

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ("kg.ttl", "graph.graphml", "graph.html")
#: Written for these tests (no report's words): a partnership and an honour.
LINES = [
    "2023年，我市与四川大学华西医院签订合作协议，共建区域医疗中心。",
    "市人民医院荣获“全国改善医疗服务先进单位”称号。",
]
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux /proc")


def _clear_warnings() -> None:
    """Warnings are said once per process: each build of a test is a process of its own."""
    getattr(kgio, "_WARNED", set()).clear()


@pytest.fixture(autouse=True)
def _fresh_warnings() -> None:
    _clear_warnings()


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    src = tmp_path / "reports"
    shutil.copytree(ROOT / "seeds", src)
    return src


def _kg(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``kg ARGS`` in this process: (exit code, stderr)."""
    _clear_warnings()
    capsys.readouterr()
    code = cli.main(list(args))
    return code, capsys.readouterr().err


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
    )


def _fresh(src: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, err = _kg("build", str(src), "--out", str(out), "--no-cache", "-j", "1", capsys=capsys)
    assert code == 0, err
    return out


def _same(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def _append(report: Path, text: str) -> None:
    report.write_text(report.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


# --- 1. no code runs from the cache ----------------------------------------------------------


class _Planted:
    """What someone with write access to a shared cache folder plants there."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


def test_no_file_planted_in_the_cache_runs_code(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    code, err = _kg("build", str(corpus), "--out", str(tmp_path / "a"), "--cache", str(cache),
                    "-j", "1", capsys=capsys)  # fmt: skip
    assert code == 0, err
    marker = tmp_path / "ran"
    planted = pickle.dumps(_Planted(marker))
    files = [p for p in cache.rglob("*") if p.is_file() and p.name != ".lock"]
    assert len(files) > 5
    for p in files:  # every cache file, whatever its name says it holds
        p.write_bytes(planted)
    _append(sorted(corpus.iterdir())[0], LINES[0])
    for out in ("b", "c"):  # a changed report, then nothing changed
        code, err = _kg("build", str(corpus), "--out", str(tmp_path / out), "--cache",
                        str(cache), "-j", "1", capsys=capsys)  # fmt: skip
        assert code == 0, err
        assert not marker.exists()
    _same(tmp_path / "c", _fresh(corpus, tmp_path / "full", capsys))


def test_no_cache_or_state_is_read_with_pickle() -> None:
    loads = re.compile(r"\bpickle\.(loads?|Unpickler)\b|\b(cPickle|dill|shelve|joblib)\b")
    for folder in ("kg", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            assert not loads.search(path.read_text(encoding="utf-8")), path


def test_the_dictionary_cache_is_private_and_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    state = segment._state_file()
    assert state is not None
    assert state.parent != Path(tempfile.gettempdir())
    assert state.parent.stat().st_mode & 0o777 == 0o700
    import marshal

    state.write_bytes(marshal.dumps(({}, 1, {}, {})))  # planted: an empty dictionary
    seg = segment.Segmenter()
    assert "医院" in seg.tokenizer.FREQ and seg.tag("医院") == "n"
    assert segment.Segmenter().tag("医院") == "n"  # written again, sealed: read back
    os.chmod(state.parent, 0o777)  # a folder others can write to is not trusted
    assert segment._state_file() is None


# --- 2. nothing hangs ------------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.add(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@linux_only
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_a_killed_build(corpus: Path, tmp_path: Path, sig: int) -> None:
    for i in range(12):  # enough work for the two workers to be busy when the build is killed
        text = (sorted((ROOT / "seeds").iterdir())[i % 5]).read_text(encoding="utf-8")
        (corpus / f"more{i}.txt").write_text(text + "\n" + LINES[i % 2] * (i + 1), "utf-8")
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = ["build", str(corpus), "--out", str(tmp_path / "o"), "--cache", str(cache)]
    build = subprocess.Popen(
        [sys.executable, "-m", "kg", *args, "--jobs", "2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and build.poll() is None:
            workers |= _children(build.pid)
            time.sleep(0.05)
        assert workers, "the build started no worker"
        time.sleep(0.5)
        build.send_signal(sig)
        build.wait(30)
        deadline = time.monotonic() + 15
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(map(_alive, workers)), "workers outlived the build"
    finally:
        for pid in [build.pid, *workers]:  # only what this test started
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        build.wait(10)
    after = _run(*args, "--jobs", "1", "--wait", "30")  # the cache is free
    assert after.returncode == 0, after.stderr


def _hold_lock(cache: Path, pid: int) -> int:
    cache.mkdir(parents=True, exist_ok=True)
    fd = os.open(cache / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.ftruncate(fd, 0)
    os.write(fd, f"{pid}\n".encode())
    return fd


def test_a_build_waiting_for_the_lock_says_who_holds_it_and_gives_up(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fd = _hold_lock(cache, os.getpid())  # a live build (this process) holds the cache
    try:
        t0 = time.monotonic()
        r = _run("build", "seeds", "--out", str(tmp_path / "o"), "--cache", str(cache),
                 "--wait", "1")  # fmt: skip
    finally:
        os.close(fd)
    assert r.returncode == 1
    assert f"pid {os.getpid()}" in r.stderr and "waiting" in r.stderr
    assert "gave up after 1 s" in r.stderr and "Traceback" not in r.stderr
    assert time.monotonic() - t0 < 60
    assert not (tmp_path / "o" / "kg.ttl").exists()


@linux_only
def test_a_lock_whose_holder_is_dead_is_taken_over(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    gone = subprocess.Popen(["true"])
    gone.wait()
    # An orphaned worker of a killed build: it still locks the file that names its parent.
    orphan = subprocess.Popen(
        [sys.executable, "-c", f"""
import fcntl, os, sys, time
fd = os.open({str(cache / ".lock")!r}, os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, b"{gone.pid}\\n")
print("locked", flush=True)
time.sleep(120)
"""],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    cache.mkdir(exist_ok=True)
    try:
        assert orphan.stdout is not None and orphan.stdout.readline().strip() == "locked"
        r = _run("build", "seeds", "--out", str(tmp_path / "o"), "--cache", str(cache),
                 "--wait", "30", timeout=90)  # fmt: skip
    finally:
        orphan.kill()
        orphan.wait(10)
    assert r.returncode == 0, r.stderr
    assert f"pid {gone.pid}" in r.stderr and "taken over" in r.stderr
    assert (tmp_path / "o" / "kg.ttl").read_bytes() == (ROOT / "output" / "kg.ttl").read_bytes()


# --- 3. damaged bytes never reach the outputs ------------------------------------------------


def _edit_same_length(path: Path) -> None:
    data = path.read_bytes()
    old, new = "医院".encode(), "学校".encode()
    assert old in data, path
    path.write_bytes(data.replace(old, new, 3))


@pytest.mark.parametrize("damaged", ["units", "facts", "index"])
def test_damaged_cache_bytes_never_reach_the_outputs(
    damaged: str, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    args = ["build", str(corpus), "--cache", str(cache), "-j", "1"]
    code, err = _kg(*args, "--out", str(tmp_path / "a"), capsys=capsys)
    assert code == 0, err
    if damaged == "units":
        for units in cache.glob("render/*/units-*.bin"):
            _edit_same_length(units)
    elif damaged == "facts":
        for entry in [p for p in cache.glob("*/*/*") if p.suffix in (".facts", ".pkl")]:
            _edit_same_length(entry)
        _append(sorted(corpus.iterdir())[2], LINES[1])  # the state is left: facts are read
    else:
        index = next(p for p in cache.glob("render/*/index.*"))
        data = bytearray(index.read_bytes())
        data[len(data) // 2] ^= 0x10  # one bit
        index.write_bytes(bytes(data))
    code, err = _kg(*args, "--out", str(tmp_path / "b"), capsys=capsys)
    assert code == 0, err
    full = _fresh(corpus, tmp_path / "full", capsys)
    _same(tmp_path / "b", full)
    assert err.count("damaged") <= 2  # said once (per kind of file)
    code, err = _kg(*args, "--out", str(tmp_path / "c"), capsys=capsys)  # mended
    assert code == 0 and "damaged" not in err
    _same(tmp_path / "c", full)


@pytest.mark.parametrize("jobs", ["1", "2"])  # 2: forked workers fail to write, silently
def test_a_cache_that_cannot_be_written_costs_the_cache_not_the_build(
    jobs: str,
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    inside = str(cache) + os.sep
    real_open, real_os_open = builtins.open, os.open

    def full(path: object) -> OSError:
        return OSError(errno.ENOSPC, "No space left on device", str(path))

    def is_inside(path: object) -> bool:
        return isinstance(path, (str, os.PathLike)) and os.path.abspath(path).startswith(inside)

    def fake_open(file, mode="r", *a, **k):  # type: ignore[no-untyped-def]
        if any(c in mode for c in "wax+") and is_inside(file):
            raise full(file)
        return real_open(file, mode, *a, **k)

    def fake_os_open(path, flags, *a, **k):  # type: ignore[no-untyped-def]
        writes = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        if writes and is_inside(path) and not str(path).endswith(".lock"):
            raise full(path)
        return real_os_open(path, flags, *a, **k)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_open)
    monkeypatch.setattr(os, "open", fake_os_open)
    code, err = _kg("build", str(corpus), "--out", str(tmp_path / "o"), "--cache", str(cache),
                    "-j", jobs, capsys=capsys)  # fmt: skip
    monkeypatch.undo()
    assert code == 0, err
    assert len([ln for ln in err.splitlines() if "warning" in ln]) == 1, err
    assert "cache" in err and "No space left" in err
    _same(tmp_path / "o", ROOT / "output")


@pytest.mark.parametrize("fault", ["missing", "damaged"])
def test_a_missing_or_damaged_state_shard_gives_a_full_build(
    fault: str, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    args = ["build", str(corpus), "--cache", str(cache), "-j", "1"]
    code, err = _kg(*args, "--out", str(tmp_path / "a"), capsys=capsys)
    assert code == 0, err
    shards = sorted(cache.glob("state/*/shard-*"))
    shard = shards[len(shards) // 2]  # nothing changed: only graph.html reads that shard
    if fault == "missing":
        shard.unlink()
    else:
        shard.write_bytes(bytes(len(shard.read_bytes())))
    code, err = _kg(*args, "--out", str(tmp_path / "b"), capsys=capsys)
    assert code == 0, err
    _same(tmp_path / "b", _fresh(corpus, tmp_path / "full", capsys))


# --- 4. encodings ----------------------------------------------------------------------------

TEXT = "宜昌市卫生健康委员会：2023年，我市与武汉大学人民医院签订合作协议，共建区域医疗中心。"


def _cut_even(data: bytes) -> bytes:
    """The bytes cut in the middle of the last CJK character, to an even length."""
    for n in range(len(data) - 1, 0, -1):
        if n % 2 == 0 and 0x80 <= data[n] < 0xC0:
            return data[:n]
    raise AssertionError


@pytest.mark.parametrize(
    ("data", "encoding", "expect"),
    [
        (TEXT.encode()[:12] + b"\xff" + TEXT.encode()[12:], "utf-8+replace", None),
        (_cut_even(TEXT.encode()), "utf-8+replace", None),
        (TEXT.encode("utf-16-le"), "utf-16-le", TEXT),
        (TEXT.encode("utf-16-be"), "utf-16-be", TEXT),
        (TEXT.encode()[:9] + b"\x00" + TEXT.encode()[9:], "utf-8", None),
        (codecs.BOM_UTF8 + TEXT.encode()[:-1], "utf-8-sig+replace", None),
    ],
    ids=["one-bad-byte", "cut-mid-char", "utf16le-no-bom", "utf16be-no-bom", "stray-nul", "bom"],
)
def test_utf8_and_utf16_are_read_as_such(data: bytes, encoding: str, expect: str | None) -> None:
    text, enc = decode(data)
    assert enc == encoding
    if expect is not None:
        assert text == expect
    else:
        assert "武汉大学人民医院签订合作协议" in text


def test_short_gbk_texts_are_read_as_gbk() -> None:
    rng = random.Random(17)
    chars = [c for c in TEXT if "\u4e00" <= c <= "\u9fff"]
    for _ in range(270):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(1, 20)))
        assert decode(text.encode("gbk")) == (text, "gb18030")


def test_big5_is_still_read() -> None:
    text = "臺中市衛生局與中國醫藥大學附設醫院簽訂合作協議，共建醫療中心。"
    assert decode(text.encode("big5")) == (text, "big5")


def test_every_fallback_is_reported_by_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "cut.txt").write_bytes(_cut_even(TEXT.encode()))
    (tmp_path / "wide.txt").write_bytes(TEXT.encode("utf-16-le"))
    (tmp_path / "plain.txt").write_bytes(TEXT.encode())
    capsys.readouterr()
    for name in ("cut.txt", "wide.txt", "plain.txt"):
        load_file(tmp_path / name, tmp_path)
    err = capsys.readouterr().err
    assert re.search(r"cut\.txt: not valid UTF-8: \d invalid byte", err)
    assert "wide.txt: no BOM: read as UTF-16-LE" in err
    assert "plain.txt" not in err


def test_offsets_count_in_the_text_as_decoded_with_replacement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from rdflib import Graph

    from kg.evaluate import check_evidence

    src = tmp_path / "in"
    src.mkdir()
    body = ("宜昌市卫生健康委员会\n" + LINES[0] + "\n" + LINES[1] + "\n").encode()
    at = body.index("年".encode()) + 3  # within the partnership's sentence
    (src / "r.txt").write_bytes(body[:12] + b"\xfd" + body[12:at] + b"\x80" + body[at:])
    code, err = _kg("build", str(src), "--out", str(tmp_path / "o"), "--no-cache", capsys=capsys)
    assert code == 0, err
    graph = Graph().parse(tmp_path / "o" / "kg.ttl")
    stats = check_evidence(graph, src)
    assert stats.total >= 2 and stats.verbatim == stats.total


# --- 8. identical files under two names ------------------------------------------------------


def test_identical_files_give_one_document_and_a_valid_graph(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyoxigraph as ox
    from rdflib import Graph

    src = tmp_path / "in"
    src.mkdir()
    seeds = sorted((ROOT / "seeds").iterdir())
    shutil.copy(seeds[0], src / "b.txt")
    shutil.copy(seeds[0], src / "a.txt")  # the same bytes under two names
    shutil.copy(seeds[1], src / "c.txt")
    out = tmp_path / "o"
    code, err = _kg("build", str(src), "--out", str(out), "--no-cache", capsys=capsys)
    assert code == 0, err
    assert "3 files, 2 distinct reports (1 identical copies)" in err
    assert "b.txt is an identical copy of a.txt" in err
    ttl = (out / "kg.ttl").read_bytes()
    assert ttl.count(b'kg:fileName "a.txt"') == 1 and b'"b.txt"' not in ttl
    rdflib_count = len(Graph().parse(out / "kg.ttl"))
    store = ox.Store()
    store.load(ttl, ox.RdfFormat.TURTLE)
    assert len(store) == rdflib_count
    code, err = _kg("validate", str(out / "kg.ttl"), capsys=capsys)
    assert code == 0, err


def test_a_copy_added_after_a_cached_build_gives_the_full_builds_graph(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    args = ["build", str(corpus), "--cache", str(cache), "-j", "1"]
    code, err = _kg(*args, "--out", str(tmp_path / "a"), capsys=capsys)
    assert code == 0, err
    first = sorted(corpus.iterdir())[0]
    shutil.copy(first, corpus / f"zz-{first.name}")  # a new name, the same bytes
    code, err = _kg(*args, "--out", str(tmp_path / "b"), capsys=capsys)
    assert code == 0, err
    assert f"zz-{first.name} is an identical copy of {first.name}" in err
    _same(tmp_path / "b", tmp_path / "a")
    _same(tmp_path / "b", _fresh(corpus, tmp_path / "full", capsys))


# --- 9. one output set ------------------------------------------------------------------------


def test_a_view_not_written_removes_the_previous_one(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _fresh(corpus, tmp_path / "out", capsys)
    assert (out / "graph.graphml").exists() and (out / "graph.html").exists()
    code, err = _kg(
        "build",
        str(corpus),
        "--out",
        str(out),
        "--no-cache",
        "-j",
        "1",
        "--graphml",
        "never",
        "--html",
        "never",
        capsys=capsys,
    )
    assert code == 0, err
    assert not (out / "graph.graphml").exists() and not (out / "graph.html").exists()
    assert "removed the previous" in err and "graph.graphml" in err


def test_a_failed_write_leaves_the_previous_set_whole(
    corpus: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = _fresh(corpus, tmp_path / "out", capsys)
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    _append(next(iter(sorted(corpus.glob("*.txt")))), LINES[0])
    import kg.html

    def full_disk(*args: object, **kwargs: object) -> None:
        raise kg.errors.OutputError("cannot write graph.html: No space left on device")

    monkeypatch.setattr(kg.html, "write_html", full_disk)
    code, err = _kg("build", str(corpus), "--out", str(out), "--no-cache", "-j", "1", capsys=capsys)
    assert code == 1 and "No space left" in err
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before  # old set, whole
    assert not list(out.glob(".kg-build-*"))  # nothing of the failed build stays


# --- 10. what reaches the terminal ---------------------------------------------------------


def test_a_file_name_with_terminal_escapes_is_shown_escaped(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (corpus / "\x1b]0;owned\x07\x1b[2J.txt").write_bytes(b"\x00\x01\x02" * 100)  # binary: skipped
    code, err = _kg(
        "build", str(corpus), "--out", str(tmp_path / "out"), "--no-cache", "-j", "1", capsys=capsys
    )
    assert code == 1  # a report was skipped
    assert "skipped" in err and "\x1b" not in err and "\\x1b]0;owned" in err


# --- what held, kept so ----------------------------------------------------------------------


@pytest.mark.parametrize("after", [0.3, 1.2, 2.5])
def test_ctrl_c_during_a_build_leaves_the_previous_outputs_whole(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], after: float
) -> None:
    out = _fresh(corpus, tmp_path / "out", capsys)
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    _append(next(iter(sorted(corpus.glob("*.txt")))), LINES[1])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out), "--no-cache"]
    proc = subprocess.Popen(
        [*argv, "-j", "2"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    time.sleep(after)
    proc.send_signal(signal.SIGINT)
    try:
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    if code == 0:  # finished before the signal: a new, whole set
        assert all((out / name).exists() for name in OUTPUTS)
        return
    assert code == 130
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    assert not list(out.glob(".kg-build-*")) and not list(out.glob(".*.tmp"))


@pytest.mark.parametrize(
    "update", ["INSERT DATA { <http://a> <http://b> <http://c> }", "DROP ALL", "LOAD <http://x/>"]
)
def test_kg_query_never_changes_the_graph(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], update: str
) -> None:
    graph = tmp_path / "kg.ttl"
    shutil.copyfile(ROOT / "output" / "kg.ttl", graph)
    before = graph.read_bytes()
    code, err = _kg("query", update, "--graph", str(graph), capsys=capsys)
    assert code == 1 and err.count("\n") == 1
    assert graph.read_bytes() == before


def test_a_name_shaped_like_turtle_gives_no_extra_triple(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyoxigraph
    from rdflib import Graph, URIRef

    src = tmp_path / "in"
    src.mkdir()
    text = (
        "泰州市卫生健康委员会工作总结\n"
        '泰州市与“> . <http://evil/s> <http://evil/p> "x" . #”医院签订合作协议。\n'
        "泰州市人民医院荣获“全国\\u0022改善医疗服务先进单位”称号。\n"
    )
    (src / "a.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, err = _kg("build", str(src), "--out", str(out), "--no-cache", capsys=capsys)
    assert code == 0, err
    data = (out / "kg.ttl").read_bytes()
    g = Graph().parse(data=data.decode("utf-8"), format="turtle")
    assert not any(isinstance(t, URIRef) and "evil" in t for triple in g for t in triple)
    assert len(g) == len(list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE)))
