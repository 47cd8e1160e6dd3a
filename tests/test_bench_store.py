"""bench.store on the seeds: the store and rdflib answer the same queries with the same rows."""

from __future__ import annotations

import json
from pathlib import Path

from bench.store import DEFAULT_QUERIES, markdown, run_store_bench

ROOT = Path(__file__).resolve().parent.parent


def test_store_bench_on_the_seeds(tmp_path: Path) -> None:
    r = run_store_bench(ROOT / "seeds", tmp_path, repeat=1, jobs=1)
    json.dumps(r, ensure_ascii=False)  # the CLI writes it as JSON

    assert r["cores"] >= 1 and len(r["load_start"]) == 3 and len(r["load_end"]) == 3
    assert r["corpus"]["documents"] == 5
    build = r["build"]
    assert build["wall_s"] > 0 and build["peak_rss_mb"] > 0
    assert build["quads"] > 0 and build["store_bytes"] > 0
    assert r["graphs_agree"]["agree"], r["graphs_agree"]
    assert r["rdflib"]["parse_s"] > 0 and r["rdflib"]["triples"] == build["triples"]
    assert r["store"]["open_s"] >= 0 and r["store"]["quads"] == build["quads"]
    assert r["city"]  # the busiest city of the seeds replaces 长治市 in the queries

    assert [q["query"] for q in r["queries"]] == DEFAULT_QUERIES
    for q in r["queries"]:
        assert q["rows_agree"], q
        assert q["rows_store"] > 0, q["query"]
        assert q["answers"] != "different", q
        assert q["store_s"] > 0 and q["rdflib_s"] > 0 and q["ratio"] > 0
        assert len(q["store_all_s"]) == len(q["rdflib_all_s"]) == 1
        rows = tmp_path / "rows" / "store" / f"{q['query']}.json"
        assert len(json.loads(rows.read_text(encoding="utf-8"))) == q["rows_store"]

    table = markdown(r | {"mb": 0, "seed": 1})
    assert "| partnerships |" in table and "rdflib / store" in table
