"""Query times on the on-disk Oxigraph store against rdflib in memory, on the same graph.

    python -m bench.store [--mb 50] [--seed 1] [--queries a,b,c] [--repeat 3] [--jobs N]
                          [--city NAME] [--work DIR] [--out bench/results/store.json]

A corpus of ``--mb`` MB is generated with :mod:`bench.corpus` (kept and reused in
``bench/results/corpus/<N>mb/``) and built in a child process by

    python -m kg build CORPUS --out TMP --jobs N --store TMP/store --html never --graphml never
                       --no-cache

(wall time, peak RSS of the child, triples of kg.ttl, quads in the store, store size on disk).
Then each query is run, in two further child processes so that each engine's memory is its own:

* **store**: ``kg.query.run_query_on_store``, the code path of ``kg query --store``: the store
  opened read-only, the default graph the union of all graphs (per-document facts live in
  named graphs), results converted to ``kg.query.QueryResult``. Opening is timed separately
  (it is part of every query's time here, and small);
* **rdflib**: ``kg.query.load_graph`` + ``kg.query.run_query``, the code path of
  ``kg query --graph kg.ttl``; parsing kg.ttl (time and resident memory it adds) is
  reported apart from the query times.

Each query's time is the best of ``--repeat`` runs (all kept in JSON); the ratio is
rdflib / store. Both engines' rows are written to the work folder and compared: same number of
rows, and whether they are identical, identical but in another order, or different (the first
differing row is kept). A disagreement is reported, not hidden.

The queries are named queries of ``ontology/queries/`` (or ``.rq`` files) plus the bench's own
``class-counts``. The queries about one city (``institutions-of-city``, ``entity-profile``,
``evidence-of``) name 长治市, which a generated corpus may not contain: ``长治市`` in every query is
replaced by ``--city`` (default: the city with the most institutions in the built graph).

The machine is shared: the number of cores (and those this process may use) and the load
average before every phase are recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.__main__ import BUILD_ARGS, ROOT, _read, machine, make_corpus, publish, run_build

RESULTS = ROOT / "bench" / "results" / "store.json"
#: The default query set: named queries meaningful on a large generated graph, and a count.
DEFAULT_QUERIES = [
    "partnerships",
    "achievements-by-year",
    "national-pilots",
    "institutions-of-city",
    "multi-report-entities",
    "class-counts",
]
#: Queries of the benchmark itself (not in ontology/queries/).
BENCH_QUERIES = {
    "class-counts": """# Number of nodes per class.
SELECT ?class (COUNT(DISTINCT ?node) AS ?nodes)
WHERE { ?node a ?class }
GROUP BY ?class
ORDER BY ?class
""",
}
#: The city the named queries ask about; replaced by ``--city``.
SEED_CITY = "长治市"
#: The city with the most institutions located in it (directly or in a place inside it).
BUSIEST_CITY = """
SELECT ?name (COUNT(DISTINCT ?institution) AS ?n)
WHERE {
  ?city a kg:City ; rdfs:label ?name .
  FILTER (LANGMATCHES(LANG(?name), "zh"))
  ?where kg:locatedIn* ?city .
  ?institution kg:locatedIn ?where ; a kg:Institution .
}
GROUP BY ?name
ORDER BY DESC(?n) ?name
LIMIT 1
"""
UNION_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ENGINES = ("store", "rdflib")
#: GROUP_CONCAT separators of the named queries.
SEPARATORS = ("、", " ")


# --- the measurement --------------------------------------------------------------------------


def run_store_bench(
    corpus_dir: Path,
    work_dir: Path,
    queries: list[str] | None = None,
    repeat: int = 3,
    *,
    jobs: int | None = None,
    city: str | None = None,
) -> dict:
    """Build ``corpus_dir`` into a store and time ``queries`` on the store and in rdflib.

    Everything is written under ``work_dir`` (``build/kg.ttl``, ``build/store``, the rows
    of every query in ``rows/<engine>/<query>.json``). Returns the figures (see the module
    docstring); ``repeat`` runs per query and engine, the best kept.
    """
    repeat = max(1, repeat)
    jobs = jobs or os.cpu_count() or 1
    work_dir.mkdir(parents=True, exist_ok=True)
    out = work_dir / "build"
    store_dir = out / "store"
    for stale in (out, work_dir / "rows"):
        shutil.rmtree(stale, ignore_errors=True)
    files = sorted(corpus_dir.rglob("*.txt")) + sorted(corpus_dir.rglob("*.md"))
    results: dict[str, Any] = {
        "machine": machine(),
        "cores": os.cpu_count(),
        "cores_available": len(os.sched_getaffinity(0)),
        "load_start": _load(),
        "repeat": repeat,
        "corpus": {
            "path": _shown(corpus_dir),
            "documents": len(files),
            "bytes": sum(f.stat().st_size for f in files),
        },
    }

    build_args = ["--store", str(store_dir), "--html", "never", "--graphml", "never"]
    saved = BUILD_ARGS[:]
    BUILD_ARGS[:] = build_args
    try:
        build = run_build(corpus_dir, out, jobs)
    finally:
        BUILD_ARGS[:] = saved
    results["build"] = asdict(build) | {
        "args": build_args,
        "ttl_bytes": (out / "kg.ttl").stat().st_size,
        "store_bytes": _du(store_dir),
    }

    names = list(queries) if queries else list(DEFAULT_QUERIES)
    city = city or busiest_city(store_dir) or SEED_CITY
    texts = {name: _query_text(name) for name in names}
    if city != SEED_CITY:
        texts = {name: text.replace(SEED_CITY, city) for name, text in texts.items()}
    results["city"] = city
    results["queries_text"] = texts

    engines: dict[str, dict[str, Any]] = {}
    for engine in ENGINES:
        target = store_dir if engine == "store" else out / "kg.ttl"
        print(f"  {engine}: {len(texts)} queries × {repeat}, load {_load()[0]:.1f}", flush=True)
        engines[engine] = run_engine(engine, target, texts, repeat, work_dir / "rows" / engine)
    results["store"], results["rdflib"] = engines["store"], engines["rdflib"]
    results["build"]["quads"] = engines["store"]["quads"]
    results["graphs_agree"] = {
        "ttl_triples_pyoxigraph": build.triples,
        "ttl_triples_rdflib": engines["rdflib"]["triples"],
        "store_quads": engines["store"]["quads"],
        "store_union_triples": engines["store"]["union_triples"],
        "agree": build.triples == engines["rdflib"]["triples"] == engines["store"]["union_triples"],
    }
    results["queries"] = [compare(name, engines, work_dir / "rows") for name in texts]
    results["load_end"] = _load()
    return results


def busiest_city(store_dir: Path) -> str | None:
    """The Chinese name of the city with the most institutions in the store (None: no city)."""
    import pyoxigraph as ox

    from kg.prefixes import PREFIXES

    store = ox.Store.read_only(str(store_dir))
    found = store.query(BUSIEST_CITY, prefixes=dict(PREFIXES), use_default_graph_as_union=True)
    names = [solution["name"].value for solution in found]
    del found, store
    return names[0] if names else None


def run_engine(
    engine: str, target: Path, texts: dict[str, str], repeat: int, rows_dir: Path
) -> dict[str, Any]:
    """Time the queries on one engine in a child process; its wall time and peak RSS."""
    rows_dir.mkdir(parents=True, exist_ok=True)
    spec = rows_dir / "spec.json"
    answer = rows_dir / "result.json"
    spec.write_text(
        json.dumps(
            {
                "engine": engine,
                "target": str(target),
                "queries": texts,
                "repeat": repeat,
                "rows_dir": str(rows_dir),
                "result": str(answer),
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    load = _load()[0]
    cmd = [sys.executable, "-m", "bench.store", "--worker", str(spec)]
    wall, rss_mb, code, errors = _child(cmd)
    if code != 0:
        raise RuntimeError(f"{engine} queries failed ({code}): {' '.join(cmd)}\n{errors}")
    out = json.loads(answer.read_text(encoding="utf-8"))
    return out | {"wall_s": round(wall, 3), "peak_rss_mb": rss_mb, "load_before": load}


def _child(cmd: list[str]) -> tuple[float, float, int, str]:
    """Run a command; wall seconds, peak RSS (MB, ``wait4``), exit code, stderr.

    (``bench.__main__.run_build`` does the same for ``kg build`` only.)
    """
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stderr:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors = _read(stderr)
    return wall, round(usage.ru_maxrss / 1024, 1), proc.returncode, errors


def compare(name: str, engines: dict[str, dict[str, Any]], rows_dir: Path) -> dict[str, Any]:
    """One query's figures on both engines, and whether their answers agree."""
    st, rd = engines["store"]["queries"][name], engines["rdflib"]["queries"][name]
    a = _rows(rows_dir / "store" / f"{name}.json")
    b = _rows(rows_dir / "rdflib" / f"{name}.json")
    if a == b:
        agreement = "identical"
    elif sorted(a, key=json.dumps) == sorted(b, key=json.dumps):
        agreement = "same rows, other order"
    elif _sorted_lists(a) == _sorted_lists(b):
        agreement = "same up to order inside GROUP_CONCAT lists"
    else:
        agreement = "different"
    out: dict[str, Any] = {
        "query": name,
        "source": "bench" if name in BENCH_QUERIES else "named",
        "rows_store": st["rows"],
        "rows_rdflib": rd["rows"],
        "rows_agree": st["rows"] == rd["rows"],
        "answers": agreement,
        "store_s": st["best_s"],
        "rdflib_s": rd["best_s"],
        "ratio": round(rd["best_s"] / st["best_s"], 2) if st["best_s"] > 0 else None,
        "store_all_s": st["all_s"],
        "rdflib_all_s": rd["all_s"],
    }
    if agreement != "identical":
        i = next(
            (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
        )
        out["first_difference"] = {
            "row": i,
            "store": a[i] if i < len(a) else None,
            "rdflib": b[i] if i < len(b) else None,
        }
    return out


def _sorted_lists(rows: list[Any]) -> list[Any]:
    """The rows as a sorted list, each literal's GROUP_CONCAT parts sorted.

    SPARQL leaves the order of GROUP_CONCAT unspecified, so two engines may join the same
    values in another order (the named queries join with "、" or a space).
    """

    def cell(c: list[str | None] | None) -> Any:
        if not c or c[0] != "literal" or c[1] is None:
            return c
        parts = {sep: c[1].split(sep) for sep in SEPARATORS}
        sep = max(parts, key=lambda k: len(parts[k]))
        return [c[0], sep.join(sorted(parts[sep])), *c[2:]]

    return sorted(([cell(c) for c in row] for row in rows), key=json.dumps)


def _rows(path: Path) -> list[Any]:
    return json.loads(path.read_text(encoding="utf-8"))


# --- the child process: one engine ------------------------------------------------------------


def worker(spec_path: Path) -> int:
    """Run one engine's side (``--worker SPEC``): load, time every query, write rows."""
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    from kg.query import load_graph, run_query, run_query_on_store

    engine, target, repeat = spec["engine"], Path(spec["target"]), spec["repeat"]
    rows_dir = Path(spec["rows_dir"])
    out: dict[str, Any] = {"engine": engine, "rss_before_load_mb": _rss_mb()}
    if engine == "store":
        import pyoxigraph as ox

        from kg.prefixes import PREFIXES

        t0 = time.perf_counter()
        store = ox.Store.read_only(str(target))
        out["open_s"] = round(time.perf_counter() - t0, 4)
        out["quads"] = len(store)
        count = store.query(UNION_TRIPLES, prefixes=dict(PREFIXES), use_default_graph_as_union=True)
        out["union_triples"] = int(next(iter(count))["n"].value)
        del store

        def run(text: str):  # type: ignore[no-untyped-def]
            return run_query_on_store(text, target)
    else:
        t0 = time.perf_counter()
        graph = load_graph(target)
        out["parse_s"] = round(time.perf_counter() - t0, 3)
        out["triples"] = len(graph)
        out["rss_after_load_mb"] = _rss_mb()
        out["graph_rss_mb"] = round(out["rss_after_load_mb"] - out["rss_before_load_mb"], 1)

        def run(text: str):  # type: ignore[no-untyped-def]
            return run_query(text, graph)

    out["queries"] = {}
    for name, text in spec["queries"].items():
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            result = run(text)
            times.append(round(time.perf_counter() - t0, 4))
        rows = [[_cell(t) for t in row] for row in result.rows]
        if result.boolean is not None:
            rows = [[result.boolean]]
        (rows_dir / f"{name}.json").write_text(
            json.dumps(rows, ensure_ascii=False), encoding="utf-8"
        )
        out["queries"][name] = {"best_s": min(times), "all_s": times, "rows": len(rows)}
    out["peak_rss_self_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    Path(spec["result"]).write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return 0


def _cell(term: Any) -> list[str | None] | None:
    if term is None:
        return None
    return [term.kind, term.value, term.lang, term.datatype]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


# --- helpers ----------------------------------------------------------------------------------


def _query_text(name: str) -> str:
    """SPARQL of a bench query, a named query of ontology/queries, or a .rq file."""
    from kg.query import resolve_query

    if name in BENCH_QUERIES:
        return BENCH_QUERIES[name]
    text = resolve_query(name)
    if text == name:  # resolve_query passes SPARQL strings through
        raise SystemExit(f"bench.store: no named query or .rq file {name!r}")
    return text


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# --- reporting --------------------------------------------------------------------------------


def markdown(r: dict[str, Any]) -> str:
    """The figures as Markdown."""
    m, b, st, rd = r["machine"], r["build"], r["store"], r["rdflib"]
    mb = r["corpus"]["bytes"] / 1_000_000
    lines = [
        f"Measured {m['date'][:10]} on {r['cores']} cores ({r['cores_available']} available; "
        f"{m['cpu'] or m['platform']}), Python {m['python']}, commit {m['commit'] or '?'}"
        f"{' (dirty)' if m['dirty'] else ''}; best of {r['repeat']} run(s) per query. "
        f"Load average (1/5/15 min) at start {_fmt_load(r['load_start'])}, "
        f"before the build {b['load_before']}, before the store queries {st['load_before']}, "
        f"before rdflib {rd['load_before']}, at the end {_fmt_load(r['load_end'])}.",
        "",
        f"Corpus {r['corpus']['path']}: {r['corpus']['documents']:,} documents, {mb:.1f} MB. "
        f"`kg build --jobs {b['jobs']} --no-cache --store DIR {' '.join(b['args'][2:])}`: "
        f"{b['wall_s']:.1f} s wall, peak RSS {b['peak_rss_mb']:,.0f} MB (largest process); "
        f"kg.ttl {b['ttl_bytes'] / 1e6:.1f} MB, {b['triples']:,} triples; store "
        f"{b['store_bytes'] / 1e6:.0f} MB on disk, {b['quads']:,} quads "
        f"({st['union_triples']:,} distinct triples in the union of its graphs: "
        f"{'same as' if r['graphs_agree']['agree'] else '**not** the same as'} kg.ttl).",
        "",
        f"rdflib: parsing kg.ttl takes {rd['parse_s']:.1f} s and adds "
        f"{rd['graph_rss_mb']:,.0f} MB resident (process peak {rd['peak_rss_mb']:,.0f} MB). "
        f"Store: opened read-only in {st['open_s'] * 1000:.0f} ms (included in each query "
        f"below, as in `kg query --store`), process peak {st['peak_rss_mb']:,.0f} MB. "
        f"Queries about one city use {r['city']}.",
        "",
        "| query | rows (store / rdflib) | Oxigraph store | rdflib in memory | rdflib / store "
        "| answers |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for q in r["queries"]:
        rows = (
            f"{q['rows_store']:,}"
            if q["rows_agree"]
            else f"**{q['rows_store']:,} / {q['rows_rdflib']:,}**"
        )
        ratio = f"{q['ratio']:,.1f}×" if q["ratio"] is not None else "?"
        answers = q["answers"] if q["answers"] == "identical" else f"**{q['answers']}**"
        name = q["query"] + (" (bench)" if q["source"] == "bench" else "")
        lines.append(
            f"| {name} | {rows} | {_secs(q['store_s'])} | {_secs(q['rdflib_s'])} | {ratio} "
            f"| {answers} |"
        )
    total_st = sum(q["store_s"] for q in r["queries"])
    total_rd = sum(q["rdflib_s"] for q in r["queries"])
    if total_st > 0:
        lines.append(
            f"| all | | {_secs(total_st)} | {_secs(total_rd)} | {total_rd / total_st:,.1f}× | |"
        )
    return "\n".join(lines)


def _secs(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def _fmt_load(load: list[float]) -> str:
    return " / ".join(f"{x:.2f}" for x in load)


# --- command line -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench.store", description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=50, help="corpus size in MB (default 50)")
    ap.add_argument("--seed", type=int, default=1, help="corpus generator seed")
    ap.add_argument(
        "--queries",
        default=",".join(DEFAULT_QUERIES),
        help="comma-separated query names or .rq files (default: %(default)s)",
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs per query, best kept (default 3)")
    ap.add_argument("--jobs", type=int, default=None, help="kg build --jobs (default: all cores)")
    ap.add_argument(
        "--city",
        default=None,
        help="replaces 长治市 in the queries (default: the city with the most institutions)",
    )
    ap.add_argument("--work", type=Path, default=None, help="keep build and rows in DIR")
    ap.add_argument("--out", type=Path, default=RESULTS, help="JSON results file")
    ap.add_argument("--worker", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.queries = [q.strip() for q in args.queries.split(",") if q.strip()]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker is not None:
        return worker(args.worker)
    for name in args.queries:
        _query_text(name)  # fail before generating and building
    corpus, gen_s = make_corpus(args.mb, args.seed)
    if args.work is not None:
        results = _bench(corpus, args.work, args)
    else:
        with tempfile.TemporaryDirectory(prefix="kg-bench-store-") as tmp:
            results = _bench(corpus, Path(tmp), args)
    results = {"mb": args.mb, "seed": args.seed, "generate_s": round(gen_s, 3)} | results
    publish(results, args.out, markdown(results))
    return 0


def _bench(corpus: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    return run_store_bench(corpus, work, args.queries, args.repeat, jobs=args.jobs, city=args.city)


if __name__ == "__main__":
    raise SystemExit(main())
