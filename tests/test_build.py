"""The whole build: deterministic, identical across --jobs, parseable by two RDF parsers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph

ROOT = Path(__file__).resolve().parent.parent


def _build(out: Path, *extra: str) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "kg", "build", "seeds", "--out", str(out), "--no-cache", *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    _build(out, "--jobs", "1")
    return out


@pytest.mark.parametrize("name", ["kg.ttl", "graph.html", "graph.graphml"])
def test_committed_output_is_reproduced_byte_for_byte(built: Path, name: str) -> None:
    committed = ROOT / "output" / name
    assert committed.exists(), f"output/{name} is not committed: run make run"
    assert (built / name).read_bytes() == committed.read_bytes(), (
        f"output/{name} differs from a fresh build: rebuild with make run and commit"
    )


def test_parallel_build_is_identical(built: Path, tmp_path: Path) -> None:
    _build(tmp_path, "--jobs", "2")
    for name in ("kg.ttl", "graph.html", "graph.graphml"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes()


def test_turtle_parses_with_the_same_count_in_rdflib_and_oxigraph(built: Path) -> None:
    import pyoxigraph

    data = (built / "kg.ttl").read_bytes()
    g = Graph().parse(data=data.decode("utf-8"), format="turtle")
    ox = list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(g) == len(ox) > 500
    assert not any(isinstance(t, pyoxigraph.BlankNode) for q in ox for t in (q.subject, q.object))


def test_cached_rebuild_gives_the_same_bytes(built: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for out in ("a", "b"):
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "kg",
                "build",
                "seeds",
                "--out",
                str(tmp_path / out),
                "--cache",
                str(cache),
                "--jobs",
                "1",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert r.returncode == 0, r.stderr
    assert (tmp_path / "b" / "kg.ttl").read_bytes() == (built / "kg.ttl").read_bytes()


def test_every_relation_has_verbatim_evidence_with_offsets(built: Path) -> None:
    from kg.vocab import KG

    g = Graph().parse(built / "kg.ttl", format="turtle")
    files = {str(s): ROOT / "seeds" / str(o) for s, o in g.subject_objects(KG.fileName)}
    from rdflib.namespace import PROV

    checked = 0
    for st in set(g.subjects(RDF.type, KG.Statement)):
        ev = str(g.value(st, KG.evidence))
        a, b = int(g.value(st, KG.evidenceStart)), int(g.value(st, KG.evidenceEnd))
        path = files[str(g.value(st, PROV.wasDerivedFrom))]
        raw = path.read_text(encoding="utf-8-sig")
        assert raw[a:b] == ev
        checked += 1
    for rel in set(g.subjects(KG.statement, None)):  # the node repeats its statements' sentences
        said = {str(g.value(st, KG.evidence)) for st in g.objects(rel, KG.statement)}
        assert {str(e) for e in g.objects(rel, KG.evidence)} == said
    assert checked >= 20


def test_a_rebuild_with_some_reports_cached_and_some_fresh_keeps_their_order(
    tmp_path: Path,
) -> None:
    """Cached facts are read while the workers extract the changed reports; the result is
    that of a build without a cache, document for document."""
    from kg.pipeline import build, turtle_text

    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    cache = str(tmp_path / "cache")
    build([corpus], jobs=2, cache_dir=cache)
    changed = sorted(corpus.glob("*.txt"))[1]
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n我市与北京市签署合作协议。\n", "utf-8"
    )
    cached = build([corpus], jobs=2, cache_dir=cache)
    fresh = build([corpus], jobs=1)
    assert [d.name for d in cached.docs] == [d.name for d in fresh.docs]
    assert [d.sha256 for d in cached.docs] == [d.sha256 for d in fresh.docs]
    assert turtle_text(cached) == turtle_text(fresh)


def test_one_relation_stated_twice_is_one_node_with_two_statements(tmp_path: Path) -> None:
    """A short form and its full name in two sentences resolve to one pair: one node with
    both sentences, each a kg:Statement whose offsets point at its own sentence."""
    from kg.cli import main
    from kg.evaluate import check_evidence

    src = tmp_path / "in"
    src.mkdir()
    (src / "taizhou.txt").write_text(
        "泰州市卫生健康委员会2023年工作总结\n"
        "去年5月,泰州市人民政府与南京鼓楼医院签订合作框架协议,共建泰州市第二人民医院。\n"
        "副市长李明表示,鼓楼医院与泰州市政府签订了合作协议,共建泰州市第二人民医院。\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    argv = ["build", str(src), "--out", str(out), "--no-cache", "--html", "never"]
    assert main([*argv, "--graphml", "never"]) == 0
    g = Graph().parse(out / "kg.ttl")
    from kg.vocab import KG

    # the government's pair (the co-built hospital is 鼓楼医院's partner too, a second pair)
    gov = {s for s, o in g.subject_objects(RDFS.label) if str(o) == "泰州市人民政府"}
    nodes = {
        n for n in g.subjects(predicate=KG.partnershipKind) if set(g.objects(n, KG.partner)) & gov
    }
    assert len(nodes) == 1
    (node,) = nodes
    assert len(set(g.objects(node, KG.evidence))) == 2
    assert len(set(g.objects(node, KG.statement))) == 2
    assert not set(g.objects(node, KG.evidenceStart))  # offsets are the statements'
    stats = check_evidence(g, src)
    assert stats.verbatim == stats.total == 2  # every statement of each node is verbatim
    assert stats.statements == 4  # both pairs are stated twice
