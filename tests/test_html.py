"""The HTML view without a browser: escaping, determinism, offline page, data structure."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

import kg.html as kh
import kg.io as kg_io
from kg.errors import OutputError
from kg.html import embed_json, render_html, view_data, write_html
from kg.vocab import ID, KG

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "html_sample.ttl"
INJECTION = FIXTURES / "injection.ttl"
DATA_RE = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)
#: Closing script tags the page itself has: the JSON block, vis-network, the page script.
PAGE_SCRIPTS = 3

#: Text that tends to break out of a script element, an attribute or a JSON string.
NASTY = st.sampled_from(
    ["</script>", "</SCRIPT ", "<script>", "<!--", "-->", "<img src=x onerror=alert(1)>",
     '"', "'", "`", "&", "&amp;", "\\", "\u2028", "\u2029", "\x00", "\ud800", "${title}", "{{x}}"]
)  # fmt: skip
TEXT = st.lists(st.one_of(st.text(), NASTY), max_size=8).map("".join)


def load(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def page_data(page: str) -> dict:
    """The JSON the page embeds, parsed as the browser's JSON.parse would."""
    blocks = DATA_RE.findall(page)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture(scope="module")
def sample() -> Graph:
    return load(SAMPLE)


@pytest.fixture(scope="module")
def sample_page(sample: Graph) -> str:
    return render_html(sample)


@pytest.fixture(scope="module")
def sample_data(sample_page: str) -> dict:
    return page_data(sample_page)


def one_place_graph(label: str) -> Graph:
    """A Place and a Partnership carrying ``label`` as label, alias and evidence."""
    g = Graph()
    place, rel, doc = ID["place/1"], ID["partnership/1"], ID["doc/1"]
    g.add((place, RDF.type, KG.Place))
    g.add((place, RDFS.label, Literal(label, lang="zh")))
    g.add((place, SKOS.altLabel, Literal(label + "x", lang="zh")))
    g.add((rel, RDF.type, KG.Partnership))
    g.add((rel, RDFS.label, Literal(label, lang="zh")))
    g.add((rel, KG.partner, place))
    g.add((rel, KG.evidence, Literal(label, lang="zh")))
    g.add((rel, PROV.wasDerivedFrom, doc))
    g.add((doc, RDF.type, KG.Document))
    g.add((doc, KG.headline, Literal(label, lang="zh")))
    g.add((doc, KG.fileName, Literal(label)))
    return g


# --- escaping ------------------------------------------------------------------------------


@given(TEXT)
def test_embed_json_round_trips_and_has_no_markup(text: str) -> None:
    embedded = embed_json({"s": text, "l": [text]})
    assert json.loads(embedded) == {"s": text, "l": [text]}
    assert not set(embedded) & {"<", ">", "&", "\u2028", "\u2029"}
    embedded.encode("utf-8")  # lone surrogates are escaped, so the page can always be written


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_label_stays_inside_the_json_block(text: str) -> None:
    page = render_html(one_place_graph(text))
    assert page.lower().count("</script") == PAGE_SCRIPTS
    assert "<img" not in page.lower()
    assert page.count("<!--") == 0
    nodes = nodes_of(page_data(page))
    expected = text if text.strip() else "1"  # an empty label falls back to the IRI's tail
    assert nodes["place/1"]["label"] == expected
    assert nodes["place/1"]["aliases"] == ([text + "x"] if (text + "x").strip() else [])
    assert [e[0] for e in nodes["partnership/1"]["evidence"]] == [text]


def test_injection_fixture_text_survives_as_data() -> None:
    page = render_html(load(INJECTION))
    assert page.lower().count("</script") == PAGE_SCRIPTS
    for needle in ("<img", "<svg", "<iframe", "<b ", "<style>body"):
        assert needle not in page
    labels = set(page_data(page)["nodes"]["label"])
    assert "<script>window.__pwned=1;alert(1)</script>长治市" in labels
    assert "医院</script><!--<script>window.__pwned=6</script>" in labels


def test_title_is_escaped() -> None:
    page = render_html(Graph(), title='<script>alert(1)</script>"&')
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;</title>" in page
    assert page.lower().count("</script") == PAGE_SCRIPTS


# --- offline, deterministic -----------------------------------------------------------------


def test_page_loads_nothing_from_the_network(sample_page: str) -> None:
    lowered = sample_page.lower()
    assert not re.search(
        r"""\b(?:src|href|action|srcset|poster)\s*=\s*["']?\s*(?:[a-z]+:)?//""", lowered
    )
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", lowered)
    assert "@import" not in lowered
    assert "<link" not in lowered
    assert re.search(r"<script[^>]*\bsrc\s*=", lowered) is None
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', sample_page)
    assert csp is not None and "default-src 'none'" in csp[1]  # the CSP forbids any fetch anyway
    script_src = re.search(r"script-src ([^;]*)", csp[1])
    assert script_src is not None and "unsafe" not in script_src[1]  # only our two scripts run


def test_render_is_deterministic(sample: Graph, sample_page: str) -> None:
    assert render_html(sample) == sample_page
    shuffled = Graph()
    for triple in sorted(sample, key=lambda t: str(t[::-1]), reverse=True):
        shuffled.add(triple)
    assert render_html(shuffled) == sample_page


def test_render_is_identical_across_processes(sample: Graph, tmp_path: Path) -> None:
    """Set order depends on PYTHONHASHSEED: two fresh interpreters must agree byte for byte,
    also on a graph of many small components (networkx subgraph views iterate sets)."""
    graph = Graph()
    for triple in sample:
        graph.add(triple)
    for i in range(30):
        graph.add((ID[f"person/{i}"], RDF.type, KG.Person))
        graph.add((ID[f"person/{i}"], KG.affiliation, ID[f"org/{i % 7}"]))
        graph.add((ID[f"org/{i % 7}"], RDF.type, KG.Hospital))
    source = tmp_path / "graph.ttl"
    graph.serialize(source, format="turtle")
    code = (
        "import sys; from pathlib import Path; from rdflib import Graph; from kg.html import "
        "write_html; write_html(Graph().parse(sys.argv[1]), Path(sys.argv[2]))"
    )
    pages = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = tmp_path / f"p{seed}.html"
        subprocess.run([sys.executable, "-c", code, str(source), str(out)], env=env, check=True)
        pages.append(out.read_bytes())
    assert pages[0] == pages[1] == pages[2] == render_html(graph).encode("utf-8")


# --- structure ------------------------------------------------------------------------------


def nodes_of(data: dict) -> dict[str, dict]:
    """The node columns as one dict per node id (``place/140400``), for readable asserts."""
    cols = data["nodes"]
    classes = [c["key"] for c in data["style"]["classes"]]
    subs = [s["key"] for s in data["style"]["subclasses"]]
    out = {}
    for i, tail in enumerate(cols["id"]):
        out[tail] = {
            "i": i,
            "label": cols["label"][i],
            "cls": classes[cols["cls"][i]],
            "sub": subs[cols["sub"][i]] if cols["sub"][i] >= 0 else None,
            "docs": [data["docs"][d][0] for d in cols["docs"][i]],
            "aliases": cols["alias"].get(str(i), []),
            "facts": [
                data["style"]["facts"][f][1] + "=" + v for f, v in cols["facts"].get(str(i), [])
            ],
            "geo": cols["geo"].get(str(i)),
            "evidence": cols["evidence"].get(str(i), []),
        }
    return out


def edges_of(data: dict) -> list[tuple[str, str, str]]:
    ids, rels = data["nodes"]["id"], [r["key"] for r in data["style"]["relations"]]
    flat = data["edges"]
    return [(ids[flat[i]], ids[flat[i + 1]], rels[flat[i + 2]]) for i in range(0, len(flat), 3)]


def test_page_skeleton(sample_page: str) -> None:
    assert sample_page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in sample_page
    assert '<meta charset="utf-8">' in sample_page
    for element_id in ("kg-network", "kg-search", "kg-suggest", "kg-class-filters",
                       "kg-doc-filter", "kg-year-filter", "kg-hierarchy", "kg-clear", "kg-legend",
                       "kg-crumbs", "kg-hops", "kg-layout", "kg-table", "kg-csv", "kg-png"):  # fmt: skip
        assert f'id="{element_id}"' in sample_page
    script = kh._TEMPLATES.joinpath("page.js").read_text(encoding="utf-8")
    assert not re.search(
        r"\.(?:inner|outer)HTML\s*=|insertAdjacentHTML|document\.write|eval\(", script
    )


def test_cjk_font_stack_puts_system_fonts_first(sample_page: str, sample_data: dict) -> None:
    css = kh._TEMPLATES.joinpath("page.css").read_text(encoding="utf-8")
    stack = re.search(r"--kg-font:([^;]*);", css)
    assert stack is not None
    fonts = [f.strip().strip('"') for f in stack[1].split(",")]
    assert fonts[0] == "system-ui" and fonts[-1] == "sans-serif"
    assert {"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"} <= set(fonts)
    face = sample_data["options"]["nodes"]["font"]["face"]
    assert face.startswith("system-ui") and "Noto Sans CJK SC" in face


def test_nodes_are_the_typed_entities_not_documents(sample_data: dict) -> None:
    nodes = nodes_of(sample_data)
    classes: dict[str, int] = {}
    for node in nodes.values():
        classes[node["cls"]] = classes.get(node["cls"], 0) + 1
    assert classes == {
        "Place": 4, "Institution": 7, "Program": 1, "Person": 1, "Partnership": 2, "Achievement": 2
    }  # fmt: skip
    assert not any(tail.startswith("doc/") for tail in nodes)
    assert len(sample_data["docs"]) == 2
    assert list(nodes) == sorted(nodes)
    assert sample_data["base"] == str(ID[""])


def test_edges_are_index_triples(sample_data: dict) -> None:
    edges = edges_of(sample_data)
    by_rel: dict[str, int] = {}
    for _, _, rel in edges:
        by_rel[rel] = by_rel.get(rel, 0) + 1
    assert by_rel == {
        "achievedBy": 2, "affiliation": 1, "awardedBy": 1, "leadPartner": 2, "locatedIn": 8,
        "parentOrganization": 1, "partner": 2, "program": 1,
    }  # fmt: skip
    assert len(edges) == len(set(edges)) == 18
    # the lead partner is one 牵头方 edge, not also a plain partner edge
    lead = {(a, b) for a, b, rel in edges if rel == "leadPartner"}
    assert not lead & {(a, b) for a, b, rel in edges if rel == "partner"}
    assert sample_data["style"]["relations"][0] == {
        "key": "partner",
        "zh": "合作伙伴",
        "color": "#f4b07a",
    }


def test_cards_data_aliases_documents_facts_geo_evidence(sample_data: dict) -> None:
    nodes = nodes_of(sample_data)
    city = nodes["place/140400"]
    assert (city["cls"], city["sub"], city["aliases"]) == ("Place", "City", ["长治"])
    assert city["docs"] == ["doc/1cbb400f197c", "doc/c701ebf2b272"]
    assert city["geo"] == [36.1954, 113.1164]
    assert "admin code=140400" in city["facts"]
    rel = nodes["partnership/6f0e3b8a2c17"]
    assert {"kind=合作", "date=2023-08"} <= set(rel["facts"])
    doc = [d[0] for d in sample_data["docs"]].index("doc/1cbb400f197c")
    assert rel["evidence"] == [["京长合作稳步推进。", doc, 1103]]
    ach = nodes["achievement/d17b6e2f4c93"]
    assert "level=国家级" in ach["facts"]
    assert sample_data["docs"][doc] == [
        "doc/1cbb400f197c", "回应人民期盼 守护人民健康", "000_1cbb400f197cc45a.txt",
        [city["i"]], ["2023"],
    ]  # fmt: skip
    assert sample_data["years"] == ["2023", "2025"]


def test_hierarchy_only_places(sample_data: dict) -> None:
    nodes = nodes_of(sample_data)
    hier = {n["label"] for n in nodes.values() if n["i"] in sample_data["nodes"]["hier"]}
    assert hier == {"山西省"}  # 潞州区 holds a hospital, 北京市/长治市 are mentioned


def test_overview_is_places_and_strong_institutions_with_positions(sample_data: dict) -> None:
    nodes = nodes_of(sample_data)
    by_index = {n["i"]: tail for tail, n in nodes.items()}
    flat = sample_data["overview"]
    members = [by_index[flat[i]] for i in range(0, len(flat), 3)]
    assert all(isinstance(v, int) for v in flat)
    assert {nodes[m]["cls"] for m in members} == {"Place", "Institution"}
    assert {"place/140400", "place/110000", "org/5b1d0c3e9a41"} <= set(members)
    assert "partnership/6f0e3b8a2c17" not in members  # relations are edges in the overview
    limits = sample_data["limits"]
    assert limits["places"] == kh.OVERVIEW_PLACES
    assert limits["institutions"] == kh.OVERVIEW_INSTITUTIONS
    assert limits["focus"] <= limits["draw"] == kh.DRAW_LIMIT == 2000
    assert kh.OVERVIEW_PLACES + kh.OVERVIEW_INSTITUTIONS <= kh.DRAW_LIMIT


def test_overview_aggregates_partnerships_between_places() -> None:
    """Three partnerships of hospitals of two cities become one edge of weight 3 between the
    cities when the hospitals are not in the overview."""
    classes = ["Place", "Place", "Institution", "Institution", "Partnership", "Partnership",
               "Partnership"]  # fmt: skip
    edges = [(2, 0, "locatedIn"), (3, 1, "locatedIn")]
    edges += [(r, p, "partner") for r in (4, 5, 6) for p in (2, 3)]
    old = kh.OVERVIEW_INSTITUTIONS
    try:
        kh.OVERVIEW_INSTITUTIONS = 0
        members, weighted, structural = kh.overview(classes, edges)
    finally:
        kh.OVERVIEW_INSTITUTIONS = old
    assert members == [0, 1]
    assert weighted == [(0, 1, 3)]
    assert structural == []
    members, weighted, structural = kh.overview(classes, edges)
    assert members == [0, 1, 2, 3]
    assert weighted == [(2, 3, 3)]
    assert structural == [(2, 0), (3, 1)]


def test_subclass_alone_is_enough_and_precedence_wins() -> None:
    g = Graph()
    g.add((ID["org/1"], RDF.type, KG.Hospital))  # no kg:Institution
    g.add((ID["x/2"], RDF.type, KG.Place))
    g.add((ID["x/2"], RDF.type, KG.Institution))  # double typing: Place comes first
    g.add((ID["doc/3"], RDF.type, KG.Document))
    g.add((URIRef("https://example.org/other"), RDF.type, RDFS.Class))
    nodes = nodes_of(view_data(g))
    assert set(nodes) == {"org/1", "x/2"}
    assert nodes["org/1"]["cls"] == "Institution"
    assert nodes["x/2"]["cls"] == "Place"


def test_empty_graph_renders() -> None:
    data = page_data(render_html(Graph()))
    assert data["nodes"]["id"] == [] and data["edges"] == [] and data["overview"] == []


def test_big_component_gets_a_layout_without_scipy() -> None:
    """A 700-node component (networkx would need scipy) is laid out, deterministically."""
    ids = [f"n{i:04d}" for i in range(700)]
    edges = [{"from": ids[i], "to": ids[(i * 7) // 10]} for i in range(1, 700)]
    first, second = kh.compute_layout(ids, edges), kh.compute_layout(ids, edges)
    assert first == second
    assert len(first) == 700 and len(set(first.values())) > 650  # spread out, not piled up


def synthetic(n_places: int, per_place: int) -> Graph:
    """Places with hospitals and partnerships between neighbouring cities' hospitals."""
    g = Graph()
    doc = ID["doc/0"]
    g.add((doc, RDF.type, KG.Document))
    for p in range(n_places):
        place = ID[f"place/{p}"]
        g.add((place, RDF.type, KG.City))
        g.add((place, RDFS.label, Literal(f"城市{p}", lang="zh")))
        for h in range(per_place):
            org = ID[f"org/{p}-{h}"]
            g.add((org, RDF.type, KG.Hospital))
            g.add((org, RDFS.label, Literal(f"城市{p}第{h}医院", lang="zh")))
            g.add((org, KG.locatedIn, place))
            g.add((org, KG.mentionedIn, doc))
            rel = ID[f"partnership/{p}-{h}"]
            g.add((rel, RDF.type, KG.Partnership))
            g.add((rel, KG.partner, org))
            g.add((rel, KG.partner, ID[f"org/{(p + 1) % n_places}-{h}"]))
            g.add((rel, KG.evidence, Literal(f"城市{p}第{h}医院与邻市医院合作。", lang="zh")))
            g.add((rel, PROV.wasDerivedFrom, doc))
    return g


def test_big_graph_page_draws_a_bounded_overview() -> None:
    data = view_data(synthetic(400, 6))
    n = len(data["nodes"]["id"])
    assert n == 400 + 2 * 400 * 6
    members = len(data["overview"]) // 3
    assert members == min(400, kh.OVERVIEW_PLACES) + kh.OVERVIEW_INSTITUTIONS
    assert members <= kh.DRAW_LIMIT


def test_page_is_compact() -> None:
    """The data costs about its text: no per-node vis objects (a few hundred bytes each)."""
    graph = synthetic(200, 10)
    page = render_html(graph)
    data_bytes = len(DATA_RE.findall(page)[0].encode("utf-8"))
    nodes = 200 + 2 * 200 * 10
    assert data_bytes / nodes < 120


# --- writing -------------------------------------------------------------------------------


def test_write_html_is_utf8_and_atomic(sample: Graph, sample_page: str, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "graph.html"
    write_html(sample, out)
    assert out.read_bytes() == sample_page.encode("utf-8")
    assert out.stat().st_mode & 0o777 == 0o644
    write_html(Graph(), out)  # overwrite in place
    assert sorted(p.name for p in out.parent.iterdir()) == ["graph.html"]


def test_write_html_keeps_the_old_page_on_failure(
    sample: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "graph.html"
    out.write_text("old", encoding="utf-8")

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(kg_io.os, "replace", fail)
    with pytest.raises(OutputError, match="disk full"):
        write_html(sample, out)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_write_html_ignores_the_locale_encoding(tmp_path: Path) -> None:
    """Under a cp1252/GBK locale pyvis's own writer fails on Chinese; ours does not."""
    code = (
        "import sys; from pathlib import Path; from rdflib import Graph; from kg.html import "
        "write_html; write_html(Graph().parse(sys.argv[1]), Path(sys.argv[2]))"
    )
    out = tmp_path / "graph.html"
    env = {**os.environ, "PYTHONUTF8": "0", "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii"}
    subprocess.run([sys.executable, "-c", code, str(SAMPLE), str(out)], env=env, check=True)
    assert "长治市" in out.read_text(encoding="utf-8")


def test_build_auto_writes_the_page_at_any_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--html auto`` no longer skips big graphs: the page draws an overview at any size."""
    import kg.pipeline as pipeline
    from kg.cli import main

    src = tmp_path / "in"
    src.mkdir()
    (src / "report.txt").write_text(
        "江城市卫生健康委员会召开会议。江城市人民医院与海州大学签署合作协议。\n", encoding="utf-8"
    )
    monkeypatch.setattr(pipeline, "node_count", lambda result: 10**6)
    argv = ["build", str(src), "--out", str(tmp_path / "out"), "--no-cache", "--jobs", "1"]
    assert main([*argv, "--graphml", "never", "-q"]) == 0
    assert (tmp_path / "out" / "graph.html").stat().st_size > 100_000
