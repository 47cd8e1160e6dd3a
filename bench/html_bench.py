"""How long the HTML view takes to settle, in headless Chromium (not a unit test).

For a graph file (``--ttl``, default ``output/kg.ttl`` when it exists) and for a synthetic
graph of ``--nodes`` nodes (default 2,000) that follows ontology/README.md, this renders the page
with :func:`kg.html.render_html`, opens it from disk with every non-file request blocked, and
measures the time from navigation to the end of the vis stabilization (when the page switches
physics off and sets ``kgView.ready``). Figures are printed and written to
``bench/results/html.json``; screenshots go to ``test-artifacts/``.

    python -m bench.html_bench [--ttl output/kg.ttl] [--nodes 2000]

Chromium is Debian's ``/usr/bin/chromium`` (playwright's own browser download is not used).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from kg.html import render_html
from kg.vocab import ID, KG

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "html.json"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_SYLLABLES = (
    "长治晋城阳泉大同朔州忻州吕梁临汾运城平顶洛阳开封安阳新乡焦作南阳信阳周口许昌漯河鹤壁濮阳"
)
_INSTITUTIONS = (
    (KG.Hospital, "人民医院"),
    (KG.Hospital, "中医医院"),
    (KG.University, "医学院"),
    (KG.GovernmentAgency, "卫生健康委员会"),
    (KG.PublicHealthAgency, "疾病预防控制中心"),
    (KG.HealthCenter, "卫生院"),
    (KG.MedicalGroup, "医疗集团"),
    (KG.Association, "医学会"),
)
_KINDS = (KG.cooperation, KG.coConstruction, KG.trusteeship, KG.support, KG.exchange)
_ACH_KINDS = (KG.honour, KG.selection, KG.approval, KG.designation, KG.ranking)
_LEVELS = (KG.nationalLevel, KG.provincialLevel, KG.municipalLevel, KG.countyLevel)


def _name(rng: random.Random, suffix: str) -> str:
    return "".join(rng.sample(_SYLLABLES, 2)) + suffix


def _pick(rng: random.Random, items: list[URIRef]) -> URIRef:
    """A Zipf-weighted choice: reports dwell on a few cities and hospitals, like the seeds."""
    return rng.choices(items, weights=[1 / (i + 1) for i in range(len(items))])[0]


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def synthetic_graph(n_nodes: int, seed: int = 1) -> Graph:
    """A graph of about ``n_nodes`` shown nodes in the contract's shape, from a fixed seed.

    Proportions follow what the builder produces for the seed reports: a place hierarchy,
    institutions in cities (some with a parent), programs, people, and n-ary partnerships and
    achievements tied to them, each entity mentioned in one to three documents.
    """
    rng = random.Random(seed)
    g = Graph()
    docs = [ID[f"doc/{i:012x}"] for i in range(max(2, n_nodes // 40))]
    provinces = [ID[f"place/{11 + i}0000"] for i in range(max(2, n_nodes // 100))]
    cities = [ID[f"place/c{i}"] for i in range(max(3, n_nodes // 25))]
    counties = [ID[f"place/k{i}"] for i in range(max(3, n_nodes // 12))]
    n_left = n_nodes - len(provinces) - len(cities) - len(counties)
    orgs = [ID[f"org/{i}"] for i in range(int(n_left * 0.45))]
    programs = [ID[f"program/{i}"] for i in range(max(1, int(n_left * 0.08)))]
    people = [ID[f"person/{i}"] for i in range(max(1, int(n_left * 0.07)))]
    n_rel = n_left - len(orgs) - len(programs) - len(people)
    partnerships = [ID[f"partnership/{i}"] for i in range(n_rel // 2)]
    achievements = [ID[f"achievement/{i}"] for i in range(n_rel - n_rel // 2)]

    def entity(node: URIRef, classes: tuple[URIRef, ...], label: str) -> None:
        for cls in classes:
            g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, _zh(label)))
        for doc in rng.sample(docs, rng.randint(1, min(3, len(docs)))):
            g.add((node, KG.mentionedIn, doc))
        g.add((node, KG.mentionCount, Literal(rng.randint(1, 20))))

    for p in provinces:
        entity(p, (KG.Province, KG.Place), _name(rng, "省"))
    for c in cities:
        entity(c, (KG.City, KG.Place), _name(rng, "市"))
        g.add((c, KG.locatedIn, rng.choice(provinces)))
    for k in counties:
        entity(k, (KG.County, KG.Place), _name(rng, "县"))
        g.add((k, KG.locatedIn, rng.choice(cities)))
    for o in orgs:
        cls, suffix = rng.choice(_INSTITUTIONS)
        entity(o, (cls, KG.Institution), _name(rng, "市") + suffix)
        g.add((o, SKOS.altLabel, _zh(_name(rng, suffix[:2]))))
        g.add((o, KG.locatedIn, _pick(rng, cities + counties)))
        if rng.random() < 0.15:
            g.add((o, KG.parentOrganization, rng.choice(orgs)))
    for p in programs:
        entity(p, (KG.Project, KG.Program), _name(rng, "健康示范项目"))
    for person in people:
        entity(person, (KG.Person,), _name(rng, ""))
        g.add((person, KG.role, _zh("院长")))
        g.add((person, KG.affiliation, rng.choice(orgs)))
    for r in partnerships:
        a, b = _pick(rng, cities + orgs), _pick(rng, orgs + cities)
        _relation(g, rng, r, KG.Partnership, docs, "合作")
        g.add((r, KG.partner, a))
        g.add((r, KG.partner, b))
        g.add((r, KG.leadPartner, a))
        g.add((r, KG.partnershipKind, rng.choice(_KINDS)))
        if rng.random() < 0.2:
            g.add((r, KG.coBuilt, rng.choice(orgs)))
    for r in achievements:
        _relation(g, rng, r, KG.Achievement, docs, "先进单位")
        g.add((r, KG.achievedBy, _pick(rng, cities + orgs)))
        g.add((r, KG.achievementKind, rng.choice(_ACH_KINDS)))
        g.add((r, KG.level, rng.choice(_LEVELS)))
        if rng.random() < 0.3:
            g.add((r, KG.program, rng.choice(programs)))
    for i, doc in enumerate(docs):
        g.add((doc, RDF.type, KG.Document))
        g.add((doc, KG.headline, _zh(f"卫生健康工作报告 {i}")))
        g.add((doc, RDFS.label, _zh(f"卫生健康工作报告 {i}")))
        g.add((doc, KG.fileName, Literal(f"{i:03d}_{i:016x}.txt")))
        g.add((doc, KG.about, _pick(rng, cities)))
        g.add((doc, KG.coversYear, Literal(str(rng.randint(2021, 2025)), datatype=XSD.gYear)))
    return g


def _relation(
    g: Graph, rng: random.Random, node: URIRef, cls: URIRef, docs: list[URIRef], word: str
) -> None:
    """The fields every Partnership/Achievement carries: label, date, evidence, provenance."""
    g.add((node, RDF.type, cls))
    g.add((node, RDFS.label, _zh(_name(rng, word))))
    g.add(
        (
            node,
            KG.date,
            Literal(f"{rng.randint(2021, 2025)}-0{rng.randint(1, 9)}", datatype=XSD.gYearMonth),
        )
    )
    g.add((node, KG.evidence, _zh(_name(rng, f"{word}稳步推进。"))))
    g.add((node, KG.evidenceStart, Literal(0)))
    g.add((node, KG.evidenceEnd, Literal(10)))
    g.add((node, PROV.wasDerivedFrom, rng.choice(docs)))


def measure(graph: Graph, name: str, browser: Any, workdir: Path) -> dict[str, Any]:
    """Render ``graph`` and time its page in ``browser``: Python render, load, stabilization."""
    t0 = time.perf_counter()
    page_html = render_html(graph)
    render_s = time.perf_counter() - t0
    path = workdir / f"{name}.html"
    path.write_text(page_html, encoding="utf-8")
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    blocked: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_function("() => window.kgView && window.kgView.ready", timeout=600_000)
    figures = page.evaluate(
        """() => ({nodes: kgView.nodes.length, edges: kgView.edges.length,
                  scriptStartMs: kgView.timings.scriptStart,
                  stabilizedMs: kgView.timings.stabilized})"""
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"bench-{name}.png"))
    filter_ms = page.evaluate(
        """() => { const box = document.querySelector('#kg-class-filters input[data-cls=Place]');
                   const t = performance.now(); box.click(); box.click();
                   return (performance.now() - t) / 2; }"""
    )
    context.close()
    return {
        "graph": name,
        "nodes": figures["nodes"],
        "edges": figures["edges"],
        "page_bytes": len(page_html.encode("utf-8")),
        "python_render_s": round(render_s, 3),
        "navigation_to_script_ms": round(figures["scriptStartMs"]),
        "navigation_to_stabilized_ms": round(figures["stabilizedMs"]),
        "script_to_stabilized_ms": round(figures["stabilizedMs"] - figures["scriptStartMs"]),
        "class_filter_toggle_ms": round(filter_ms),
        "console_errors": errors,
        "blocked_requests": blocked,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ttl", type=Path, help="graph file to time (default output/kg.ttl)")
    parser.add_argument("--nodes", type=int, default=2000, help="size of the synthetic graph")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    graphs: list[tuple[str, Graph]] = []
    ttl = args.ttl or (ROOT / "output" / "kg.ttl")
    if ttl.exists():
        name = (
            str(ttl.resolve().relative_to(ROOT)) if ttl.resolve().is_relative_to(ROOT) else ttl.name
        )
        graphs.append((name.replace("/", "_"), Graph().parse(ttl)))
    elif args.ttl:
        parser.error(f"{ttl} does not exist")
    graphs.append((f"synthetic-{args.nodes}", synthetic_graph(args.nodes)))
    results = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, graph in graphs:
            result = measure(graph, name, browser, Path(tmp))
            results.append(result)
            print(
                f"{name}: {result['nodes']} nodes, {result['edges']} edges, "
                f"render {result['python_render_s']:.2f} s, "
                f"stabilized {result['navigation_to_stabilized_ms'] / 1000:.2f} s after navigation"
            )
        version = browser.version
        browser.close()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    report = {"chromium": version, "python": platform.python_version(), "results": results}
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
