"""kg build --store: an on-disk Oxigraph store, queried with kg query --store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_store_holds_the_graph_and_answers_like_the_turtle(tmp_path: Path) -> None:
    store, out = tmp_path / "store", tmp_path / "out"
    r = _kg("build", "seeds", "--out", str(out), "--no-cache", "--store", str(store), "-j", "1")
    assert r.returncode == 0, r.stderr
    from kg.graphs import SHARED_GRAPH

    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    reports = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f"FILTER(?g != <{SHARED_GRAPH}>) }}"
    )
    total = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    in_store = _kg("query", count, "--store", str(store), "--format", "csv")
    per_doc = _kg("query", reports, "--store", str(store), "--format", "csv")
    in_ttl = _kg("query", total, "--graph", str(out / "kg.ttl"), "--format", "csv")
    assert in_store.returncode == 0, in_store.stderr
    triples = int(in_ttl.stdout.split()[-1])
    assert int(in_store.stdout.split()[-1]) == triples  # every triple in exactly one graph
    assert 0 < int(per_doc.stdout.split()[-1]) < triples
    a = _kg("query", "partnerships", "--store", str(store), "--format", "csv")
    b = _kg("query", "partnerships", "--graph", str(out / "kg.ttl"), "--format", "csv")
    assert a.returncode == 0 and a.stdout == b.stdout
    assert "上海中医药大学" in a.stdout


def test_rebuilding_into_a_store_replaces_instead_of_duplicating(tmp_path: Path) -> None:
    store = tmp_path / "store"
    counts = []
    for i in range(2):
        r = _kg(
            "build",
            "seeds",
            "--out",
            str(tmp_path / f"o{i}"),
            "--store",
            str(store),
            "--no-cache",
            "-j",
            "1",
        )
        assert r.returncode == 0, r.stderr
        counts.append([ln for ln in r.stdout.splitlines() if "quads" in ln])
    assert counts[0] == counts[1]
