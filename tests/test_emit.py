"""kg.ttl and graph.graphml from cached per-resource units (kg.emit)."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import networkx as nx
import pytest

from kg import emit
from kg.netx import load, to_networkx
from kg.pipeline import BuildResult, build, rules_version, write_outputs
from kg.rdf import write_turtle

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def result() -> BuildResult:
    return build([ROOT / "seeds"], jobs=1)


def _reference_turtle(result: BuildResult) -> bytes:
    buf = io.StringIO()
    write_turtle(result.triples(), buf)
    return buf.getvalue().encode("utf-8")


def _graphml_graph(path: Path) -> nx.MultiDiGraph:
    return nx.read_graphml(path, force_multigraph=True)


def test_units_give_the_bytes_of_the_whole_graph_writer(
    result: BuildResult, tmp_path: Path
) -> None:
    emit.write(result, tmp_path / "kg.ttl", None)
    assert (tmp_path / "kg.ttl").read_bytes() == _reference_turtle(result)


def test_forked_rendering_gives_the_same_bytes(
    result: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(emit, "PARALLEL_MIN_UNITS", 1)
    emit.write(result, tmp_path / "kg.ttl", tmp_path / "g.graphml", jobs=2)
    emit.write(result, tmp_path / "kg1.ttl", tmp_path / "g1.graphml", jobs=1)
    assert (tmp_path / "kg.ttl").read_bytes() == _reference_turtle(result)
    assert (tmp_path / "g.graphml").read_bytes() == (tmp_path / "g1.graphml").read_bytes()


def test_graphml_holds_what_networkx_makes_of_the_turtle(
    result: BuildResult, tmp_path: Path
) -> None:
    emit.write(result, tmp_path / "kg.ttl", tmp_path / "graph.graphml")
    from kg.netx import scalar_attributes

    expected = to_networkx(load(tmp_path / "kg.ttl"))
    got = _graphml_graph(tmp_path / "graph.graphml")
    assert set(got) == set(expected)
    for node, attrs in expected.nodes(data=True):
        assert got.nodes[node] == scalar_attributes(attrs), node
    assert sorted(got.edges(keys=True)) == sorted(expected.edges(keys=True))
    assert got.graph["documents"] == "|".join(expected.graph["documents"])


def test_a_cached_rebuild_renders_nothing_and_a_changed_report_only_its_units(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    cache = str(tmp_path / "cache")
    rendered: list[int] = []
    real_units = emit.Emitter.units

    def counting(self: emit.Emitter, cached: dict, jobs: int):  # type: ignore[no-untyped-def]
        yield from real_units(self, cached, jobs)
        rendered.append(self.rendered)

    monkeypatch.setattr(emit.Emitter, "units", counting)

    def run(out: str, cache_dir: str | None) -> Path:
        res = build([seeds], jobs=1, cache_dir=cache_dir)
        write_outputs(res, tmp_path / out, cache_dir=cache_dir)
        return tmp_path / out

    first = run("a", cache)
    total = rendered[-1]
    assert total > 200  # ontology + 5 documents + every entity
    run("b", cache)
    assert rendered[-1] == 0
    report = sorted(seeds.iterdir())[0]
    report.write_text(
        report.read_text(encoding="utf-8") + "\n另外，我市与北京市签订合作协议。\n",
        encoding="utf-8",
    )
    changed = run("c", cache)
    # the report's own unit and the entities it mentions (their mentionedIn changed), no more
    res = build([seeds], jobs=1, cache_dir=cache)
    doc_id = next(f.doc_id for f in res.docs if f.name == report.name)
    touched = [e for e in res.resolver.entities.values() if doc_id in e.docs]
    assert 0 < rendered[-1] <= 1 + len(touched) + 4  # + the old co-mentioned entity links
    assert rendered[-1] < total // 2
    fresh = run("d", None)
    for name in ("kg.ttl", "graph.graphml", "graph.html"):
        assert (changed / name).read_bytes() == (fresh / name).read_bytes(), name
    assert (first / "kg.ttl").read_bytes() != (changed / "kg.ttl").read_bytes()


def test_a_corrupt_render_cache_is_rebuilt(result: BuildResult, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    emit.write(result, tmp_path / "a.ttl", None, cache_dir=cache, rules=rules_version())
    folder = tmp_path / "cache" / "render" / emit.render_version(rules_version())
    assert {p.name.split("-")[0] for p in folder.iterdir()} == {"index.data", "units"}
    (folder / "index.data").write_bytes(b"not marshal")
    emit.write(result, tmp_path / "b.ttl", None, cache_dir=cache, rules=rules_version())
    assert (tmp_path / "b.ttl").read_bytes() == (tmp_path / "a.ttl").read_bytes()
    assert emit.open_cache(cache, rules_version()).index  # written again, readable


def test_a_new_render_version_drops_the_old_cache(result: BuildResult, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    emit.write(result, tmp_path / "a.ttl", None, cache_dir=cache, rules="one")
    emit.write(result, tmp_path / "b.ttl", None, cache_dir=cache, rules="two")
    assert [p.name for p in (tmp_path / "cache" / "render").iterdir()] == [
        emit.render_version("two")
    ]


def test_a_rendering_worker_that_dies_is_an_error_not_a_hang(
    result: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def dying(claim, n, results):  # type: ignore[no-untyped-def]
        with claim.get_lock():
            claim.value += 1  # claims the first slice, never returns it
        os._exit(3)

    monkeypatch.setattr(emit, "PARALLEL_MIN_UNITS", 1)
    monkeypatch.setattr(emit, "_render_claimed", dying)
    with pytest.raises(RuntimeError, match="rendering worker stopped"):
        emit.write(result, tmp_path / "kg.ttl", None, jobs=2)
    assert not (tmp_path / "kg.ttl").exists()


def test_rendering_workers_and_this_process_share_the_slices(
    result: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(emit, "PARALLEL_MIN_UNITS", 1)
    units = emit.Emitter(result, True).specs
    out = list(emit._render_forked(emit.Emitter(result, True), units, 3))
    alone = [emit.Emitter(result, True).render(s) for s in units]
    assert out == alone
