"""Incremental rebuilds (kg.incremental, kg.unitstore): the same bytes as a full build."""

from __future__ import annotations

import os
import random
import shutil
import threading
import time
from pathlib import Path

import pytest

from kg import emit, incremental, pipeline
from kg.incremental import StateResolver
from kg.io import cache_lock
from kg.pipeline import BuildResult, build, write_outputs
from kg.segment import Segmenter

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ("kg.ttl", "graph.graphml", "graph.html")

#: Lines written for the test (not from the seeds): a partnership, an honour, a program.
NEW_LINES = [
    "2023年，我市与四川大学华西医院签订合作协议，共建区域医疗中心。",
    "市人民医院荣获“全国改善医疗服务先进单位”称号。",
    "我市入选国家公立医院改革与高质量发展示范项目。",
    "县中医院与广东省中医院建立专科联盟。",
    "市卫生健康委员会召开全市卫生健康工作会议。",
]


def _build(src: Path, out: Path, cache: Path | None, jobs: int = 1) -> BuildResult:
    res = build([src], jobs=jobs, cache_dir=str(cache) if cache else None)
    write_outputs(res, out, cache_dir=str(cache) if cache else None, jobs=jobs)
    return res


def _append(report: Path, text: str) -> None:
    report.write_text(report.read_text(encoding="utf-8") + text, encoding="utf-8")


def _right(corpus: Path, tmp_path: Path, cache: Path, out: str) -> BuildResult:
    """Build with ``cache`` into ``out``; its outputs are those of a build from scratch."""
    res = _build(corpus, tmp_path / out, cache)
    _build(corpus, tmp_path / "full", None)
    _same(tmp_path / out, tmp_path / "full")
    return res


def _falls_back(corpus: Path, tmp_path: Path, cache: Path, out: str) -> None:
    """The build with ``cache`` is a full one, and right."""
    assert type(_right(corpus, tmp_path, cache, out).resolver) is not StateResolver


def _same(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.fixture()
def appending(monkeypatch: pytest.MonkeyPatch) -> None:
    """The render cache appends to its units file whatever share of it is dead (with five
    reports one change kills more than half of it, and it would be rewritten each time)."""
    from kg import unitstore

    monkeypatch.setattr(unitstore, "MIN_LIVE", 0.0)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    src = tmp_path / "reports"
    shutil.copytree(ROOT / "seeds", src)
    return src


def _edit(src: Path, rng: random.Random, step: int) -> str:
    files = sorted(src.glob("*.txt"))
    op = rng.choice(["append", "delete", "add", "rename", "replace", "several"])
    f = rng.choice(files)
    if op == "append":
        _append(f, "\n" + rng.choice(NEW_LINES) + "\n")
    elif op == "delete" and len(files) > 2:
        f.unlink()
    elif op == "add":
        lines = f.read_text(encoding="utf-8").splitlines()[:1] + rng.sample(NEW_LINES, 3)
        (src / f"new{step}.txt").write_text("\n".join(lines), encoding="utf-8")
    elif op == "rename":
        f.rename(src / f"r{step}_{f.name}")
    elif op == "replace":
        lines = f.read_text(encoding="utf-8").splitlines()
        lines[rng.randrange(len(lines))] = rng.choice(NEW_LINES)
        f.write_text("\n".join(lines), encoding="utf-8")
    else:
        for g in rng.sample(files, min(3, len(files))):
            _append(g, rng.choice(NEW_LINES))
    return op


def test_series_of_random_edits_rebuild_the_bytes_of_full_builds(
    corpus: Path, tmp_path: Path
) -> None:
    """Each step changes the reports (append, delete, add, rename, replace a line, several
    at once), rebuilds incrementally and compares every output with a build from scratch."""
    cache = tmp_path / "cache"
    first = _build(corpus, tmp_path / "inc", cache)
    assert type(first.resolver) is not StateResolver  # no state yet: a full build
    rng = random.Random(8)
    for step in range(8):
        op = _edit(corpus, rng, step)
        res = _build(corpus, tmp_path / "inc", cache, jobs=1 + step % 2)
        assert isinstance(res.resolver, StateResolver), op
        _build(corpus, tmp_path / "full", None)
        _same(tmp_path / "inc", tmp_path / "full")


def test_a_rebuild_extracts_only_the_changed_report(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "a", cache)
    seen: list[str] = []
    real = pipeline.analyse

    def counting(doc):  # type: ignore[no-untyped-def]
        seen.append(doc.name)
        return real(doc)

    monkeypatch.setattr(pipeline, "analyse", counting)
    report = sorted(corpus.iterdir())[1]
    _append(report, NEW_LINES[0])
    touched = _old_keys(cache, report)
    res = build([corpus], jobs=1, cache_dir=str(cache))
    assert seen == [report.name]
    assert isinstance(res.resolver, StateResolver)
    touched |= {s[0] for s in res.docs[1].shares}
    loaded = res.resolver.entities.loaded  # type: ignore[attr-defined]
    assert loaded and set(loaded) <= touched  # the other entities are not even read
    write_outputs(res, tmp_path / "b", cache_dir=str(cache))
    res = _build(corpus, tmp_path / "c", cache)  # nothing changed: nothing extracted
    assert seen == [report.name]
    _same(tmp_path / "b", tmp_path / "c")


def _old_keys(cache: Path, report: Path) -> set[str]:
    """Keys the report's previous version touched (their entities are folded again)."""
    keys: set[str] = set()
    for entry in cache.rglob("*.facts"):
        facts = pipeline.facts_from(entry.read_bytes())
        if facts.name == report.name:
            keys |= {s[0] for s in facts.shares}
    return keys


def test_many_changes_take_the_full_build(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "a", cache)
    seed = sorted(corpus.iterdir())[0].read_text(encoding="utf-8")
    for i in range(incremental.MIN_CHANGES + 1):
        (corpus / f"copy{i}.txt").write_text(seed + NEW_LINES[i % 5] * (i + 1), "utf-8")
    _falls_back(corpus, tmp_path, cache, "b")


def test_a_lost_or_damaged_state_gives_a_full_build(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "a", cache)
    report = sorted(corpus.iterdir())[2]
    _append(report, NEW_LINES[1])
    state = next((cache / "state").iterdir())
    for shard in state.glob("shard-*.data"):  # damaged shards: detected by their CRC
        shard.write_bytes(shard.read_bytes()[:-3] + b"xyz")
    _falls_back(corpus, tmp_path, cache, "b")
    (next((cache / "state").iterdir()) / "main.data").unlink()  # no state at all
    _append(report, NEW_LINES[2])
    _falls_back(corpus, tmp_path, cache, "c")


def test_a_lost_cache_entry_of_the_old_version_gives_a_full_build(
    corpus: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "a", cache)
    for entry in cache.rglob("*.facts"):  # the document cache: the old versions' facts
        entry.unlink()
    report = sorted(corpus.iterdir())[0]
    _append(report, NEW_LINES[3])
    _falls_back(corpus, tmp_path, cache, "b")


def test_unchanged_reports_facts_are_read_only_when_asked_for(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    full = _build(corpus, tmp_path / "a", cache)
    report = sorted(corpus.iterdir())[3]
    _append(report, NEW_LINES[4])
    res = build([corpus], jobs=1, cache_dir=str(cache))
    assert isinstance(res.docs, incremental.CachedDocs)
    assert set(res.docs.fresh) == {3}  # the changed one only
    assert [f.name for f in res.docs] == [f.name for f in full.docs]  # read on demand
    assert res.docs[-1].name == full.docs[-1].name


@pytest.mark.usefixtures("appending")
def test_the_render_cache_journal_survives_a_torn_record(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "a", cache)
    report = sorted(corpus.iterdir())[0]
    for i in range(3):  # three rebuilds: three journal records
        _append(report, NEW_LINES[i])
        _build(corpus, tmp_path / "b", cache)
    folder = emit.open_cache(str(cache), pipeline.rules_version()).folder
    assert folder is not None
    journal = next(folder.glob("journal-*.data"))
    store = emit.open_cache(str(cache), pipeline.rules_version())
    assert store.records == 3
    journal.write_bytes(journal.read_bytes()[:-5])  # a crash in the last append
    assert emit.open_cache(str(cache), pipeline.rules_version()).records == 2
    _append(report, NEW_LINES[3])
    _right(corpus, tmp_path, cache, "c")


@pytest.mark.usefixtures("appending")
def test_the_render_cache_is_rewritten_when_the_journal_is_long(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg import unitstore

    monkeypatch.setattr(unitstore, "MAX_RECORDS", 2)
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "a", cache)
    report = sorted(corpus.iterdir())[1]
    names = []
    for i in range(4):
        _append(report, NEW_LINES[i])
        _build(corpus, tmp_path / "b", cache)
        folder = emit.open_cache(str(cache), pipeline.rules_version()).folder
        assert folder is not None
        names.append(sorted(p.name for p in folder.glob("units-*.bin")))
    assert all(len(n) == 1 for n in names)  # one units file at a time
    assert len({n[0] for n in names}) >= 2  # a new one after MAX_RECORDS records
    _build(corpus, tmp_path / "full", None)
    _same(tmp_path / "b", tmp_path / "full")


@pytest.mark.usefixtures("appending")
def test_a_units_file_written_by_someone_else_is_not_appended_to(
    corpus: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "a", cache)
    store = emit.open_cache(str(cache), pipeline.rules_version())
    assert store.folder is not None
    units = next(store.folder.glob("units-*.bin"))
    with units.open("ab") as f:  # another build appended after this one read it
        f.write(b"garbage")
    report = sorted(corpus.iterdir())[4]
    _append(report, NEW_LINES[0])
    _right(corpus, tmp_path, cache, "b")


def test_a_failing_graphml_child_is_an_error(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    res = build([corpus], jobs=1)

    def broken(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(emit, "_write_graphml", broken)
    with pytest.raises(pipeline.OutputError, match="disk full"):
        emit.write(res, tmp_path / "kg.ttl", tmp_path / "graph.graphml", jobs=2)
    assert not (tmp_path / "graph.graphml").exists()


def test_builds_sharing_a_cache_take_turns(tmp_path: Path) -> None:
    order: list[str] = []

    def second() -> None:
        with cache_lock(str(tmp_path)):
            order.append("second")

    with cache_lock(str(tmp_path)):
        other = threading.Thread(target=second)
        other.start()
        time.sleep(0.2)
        order.append("first")
    other.join(5)
    assert order == ["first", "second"]


def test_the_lazy_dictionary_segments_and_tags_as_the_whole_one() -> None:
    eager = Segmenter(lazy=False)  # the whole dictionary at once (builds read it lazily)
    lazy = Segmenter(lazy=True)
    text = (ROOT / "seeds").joinpath(sorted(p.name for p in (ROOT / "seeds").iterdir())[0])
    for line in text.read_text(encoding="utf-8").splitlines()[:40]:
        words = eager.tokens(line)
        assert lazy.tokens(line) == words
        assert [lazy.tag(w) for w in words] == [eager.tag(w) for w in words]
    assert "医院" in lazy.tokenizer.FREQ and "" not in lazy.tokenizer.FREQ
    with pytest.raises(KeyError):
        lazy.tokenizer.FREQ["不是一个词语吧"]


def test_files_with_an_old_mtime_are_not_read_again(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hour_ago = time.time_ns() - 3600 * 10**9
    for f in corpus.iterdir():
        os.utime(f, ns=(hour_ago, hour_ago))
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "a", cache)
    hashed: list[str] = []
    real = incremental.content_hash

    def counting(path: Path) -> str:
        hashed.append(path.name)
        return real(path)

    monkeypatch.setattr(incremental, "content_hash", counting)
    report = sorted(corpus.iterdir())[0]
    _append(report, NEW_LINES[0])
    _build(corpus, tmp_path / "b", cache)
    assert hashed == [report.name]  # the edited report only
    _build(corpus, tmp_path / "c", cache)  # modified just now: hashed again, not trusted
    assert hashed == [report.name] * 2
    _same(tmp_path / "b", tmp_path / "c")


def test_an_edit_that_keeps_size_and_mtime_is_seen_when_the_stat_was_racy(
    corpus: Path, tmp_path: Path
) -> None:
    for f in corpus.iterdir():
        os.utime(f)  # written just now: their stats are not trusted
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "a", cache)
    report = sorted(corpus.iterdir())[1]
    before = report.stat()
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("医院", "学校", 1), encoding="utf-8")  # same size
    os.utime(report, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert report.stat().st_size == before.st_size
    _right(corpus, tmp_path, cache, "b")


def test_broken_files_are_tried_again_only_when_they_change(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A corpus with more broken files than MIN_CHANGES stays incremental; they are
    reported as skipped every time, in the full build's order."""
    for i in range(incremental.MIN_CHANGES + 2):
        (corpus / f"broken{i}.txt").write_bytes(b"\x00\x01binary" * (i + 1))
    cache = tmp_path / "cache"
    first = _build(corpus, tmp_path / "a", cache)
    assert len(first.skipped) == incremental.MIN_CHANGES + 2
    seen: list[str] = []
    real = pipeline.load_file

    def counting(path: Path, root: Path):  # type: ignore[no-untyped-def]
        seen.append(path.name)
        return real(path, root)

    monkeypatch.setattr(pipeline, "load_file", counting)
    report = sorted(corpus.glob("0*.txt"))[0]
    _append(report, NEW_LINES[0])
    res = _build(corpus, tmp_path / "b", cache)
    assert isinstance(res.resolver, StateResolver)
    assert [n for n in seen if n.startswith("broken")] == []  # not read again
    assert [(s.path, s.reason) for s in res.skipped] == [(s.path, s.reason) for s in first.skipped]
    (corpus / "broken0.txt").write_text("2023年，我市入选国家试点。", encoding="utf-8")  # mended
    res = _build(corpus, tmp_path / "c", cache)
    assert isinstance(res.resolver, StateResolver)
    assert [n for n in seen if n.startswith("broken")] == ["broken0.txt"]
    assert len(res.skipped) == incremental.MIN_CHANGES + 1
    full = build([corpus], jobs=1)
    write_outputs(full, tmp_path / "full")
    _same(tmp_path / "c", tmp_path / "full")
    assert [s.path for s in res.skipped] == [s.path for s in full.skipped]
