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
    data = page_data(page)
    place = str(ID["place/1"])
    full = {n["id"]: n["full"] for n in data["nodes"]}
    expected = text if text.strip() else "1"  # an empty label falls back to the IRI's tail
    assert full[place] == expected
    assert data["info"][place]["aliases"] == ([text + "x"] if (text + "x").strip() else [])
    assert data["info"][str(ID["partnership/1"])]["evidence"] == [text]


def test_injection_fixture_text_survives_as_data() -> None:
    page = render_html(load(INJECTION))
    assert page.lower().count("</script") == PAGE_SCRIPTS
    for needle in ("<img", "<svg", "<iframe", "<b ", "<style>body"):
        assert needle not in page
    labels = {n["full"] for n in page_data(page)["nodes"]}
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


def test_page_skeleton(sample_page: str) -> None:
    assert sample_page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in sample_page
    assert '<meta charset="utf-8">' in sample_page
    for element_id in ("kg-network", "kg-search", "kg-class-filters", "kg-doc-filter",
                       "kg-year-filter", "kg-hierarchy", "kg-clear", "kg-legend"):  # fmt: skip
        assert f'id="{element_id}"' in sample_page
    script = kh._TEMPLATES.joinpath("page.js").read_text(encoding="utf-8")
    assert not re.search(
        r"\.(?:inner|outer)HTML\s*=|insertAdjacentHTML|document\.write|eval\(", script
    )


def test_nodes_are_the_typed_entities_not_documents(sample_data: dict) -> None:
    classes: dict[str, int] = {}
    for node in sample_data["nodes"]:
        classes[node["cls"]] = classes.get(node["cls"], 0) + 1
    assert classes == {
        "Place": 4, "Institution": 7, "Program": 1, "Person": 1, "Partnership": 2, "Achievement": 2
    }  # fmt: skip
    assert not any("/doc/" in n["id"] for n in sample_data["nodes"])
    assert len(sample_data["docs"]) == 2
    ids = [n["id"] for n in sample_data["nodes"]]
    assert ids == sorted(ids)
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in sample_data["nodes"])


def test_edges_carry_chinese_relation_labels(sample_data: dict) -> None:
    by_rel: dict[str, list[dict]] = {}
    for edge in sample_data["edges"]:
        by_rel.setdefault(edge["rel"], []).append(edge)
    assert {rel: len(es) for rel, es in by_rel.items()} == {
        "achievedBy": 2, "affiliation": 1, "awardedBy": 1, "leadPartner": 2, "locatedIn": 8,
        "parentOrganization": 1, "partner": 2, "program": 1,
    }  # fmt: skip
    assert {e["label"] for e in by_rel["partner"]} == {"合作伙伴"}
    assert {e["label"] for e in by_rel["locatedIn"]} == {"位于"}
    assert sum(e["hier"] for e in sample_data["edges"]) == 2  # Place -> Place only
    assert len({e["id"] for e in sample_data["edges"]}) == 18
    # the lead partner is drawn once, as 牵头方, not also as a plain partner edge
    lead = {(e["from"], e["to"]) for e in by_rel["leadPartner"]}
    assert not lead & {(e["from"], e["to"]) for e in by_rel["partner"]}


def test_tooltips_hold_class_aliases_documents_and_evidence(sample_data: dict) -> None:
    info = sample_data["info"]
    city = info[str(ID["place/140400"])]
    assert (city["cls"], city["sub"], city["aliases"]) == ("Place", "City", ["长治"])
    assert city["docs"] == [str(ID["doc/1cbb400f197c"]), str(ID["doc/c701ebf2b272"])]
    assert city["years"] == ["2023", "2025"]
    rel = info[str(ID["partnership/6f0e3b8a2c17"])]
    assert ["类型", "kind", "合作"] in rel["facts"]
    assert ["日期", "date", "2023-08"] in rel["facts"]
    assert rel["evidence"] == ["京长合作稳步推进。"]
    ach = info[str(ID["achievement/d17b6e2f4c93"])]
    assert ["级别", "level", "国家级"] in ach["facts"]
    assert ach["years"] == ["2025"]
    doc = sample_data["docs"][str(ID["doc/1cbb400f197c"])]
    assert doc == {
        "headline": "回应人民期盼 守护人民健康",
        "fileName": "000_1cbb400f197cc45a.txt",
        "about": [str(ID["place/140400"])],
        "years": ["2023"],
    }


def test_style_by_class_subtype_and_degree(sample_data: dict) -> None:
    nodes = {n["id"]: n for n in sample_data["nodes"]}
    city, county = nodes[str(ID["place/140400"])], nodes[str(ID["place/140403"])]
    hospital = nodes[str(ID["org/5b1d0c3e9a41"])]
    university = nodes[str(ID["org/9c4e1f20b8d6"])]
    assert city["shape"] == county["shape"] == "dot"
    assert hospital["shape"] == university["shape"] == "square"
    assert hospital["color"]["background"] != university["color"]["background"]
    assert city["value"] > county["value"]  # 长治市 is the hub
    assert nodes[str(ID["partnership/6f0e3b8a2c17"])]["shape"] == "diamond"
    assert nodes[str(ID["achievement/3c8f1d5a9e60"])]["shape"] == "hexagon"
    style = sample_data["style"]
    assert [c["key"] for c in style["classes"]] == [
        "Place", "Institution", "Program", "Person", "Partnership", "Achievement"
    ]  # fmt: skip
    assert style["relations"]["partner"]["zh"] == "合作伙伴"
    assert style["subclasses"]["Hospital"]["color"] == hospital["color"]["background"]


def test_hierarchy_only_places(sample_data: dict) -> None:
    hier = {n["label"] for n in sample_data["nodes"] if n["hier"]}
    assert hier == {"山西省"}  # 潞州区 holds a hospital, 北京市/长治市 are mentioned


def test_physics_polishes_then_stops(sample_data: dict) -> None:
    physics = sample_data["options"]["physics"]
    assert physics["enabled"] is True
    assert physics["stabilization"]["enabled"] is True
    assert 0 < physics["stabilization"]["iterations"] <= 150
    assert sample_data["options"]["layout"]["improvedLayout"] is False


def test_long_labels_are_cut_on_the_canvas_only(sample_data: dict) -> None:
    node = next(n for n in sample_data["nodes"] if n["id"].endswith("b2d94e6c0a85"))
    assert node["full"] == "北京肿瘤医院—长治市人民医院 合作"
    assert node["label"].endswith("…") and len(node["label"]) == kh.CANVAS_LABEL_MAX


def test_subclass_alone_is_enough_and_precedence_wins() -> None:
    g = Graph()
    g.add((ID["org/1"], RDF.type, KG.Hospital))  # no kg:Institution
    g.add((ID["x/2"], RDF.type, KG.Place))
    g.add((ID["x/2"], RDF.type, KG.Institution))  # double typing: Place comes first
    g.add((ID["doc/3"], RDF.type, KG.Document))
    g.add((URIRef("https://example.org/other"), RDF.type, RDFS.Class))
    nodes = {n["id"]: n for n in view_data(g)["nodes"]}
    assert set(nodes) == {str(ID["org/1"]), str(ID["x/2"])}
    assert nodes[str(ID["org/1"])]["cls"] == "Institution"
    assert nodes[str(ID["x/2"])]["cls"] == "Place"


def test_empty_graph_renders() -> None:
    data = page_data(render_html(Graph()))
    assert data["nodes"] == [] and data["edges"] == []


def test_big_component_gets_a_layout_without_scipy() -> None:
    """A 700-node component (networkx would need scipy) is laid out, deterministically."""
    g = Graph()
    for i in range(700):
        g.add((ID[f"place/{i}"], RDF.type, KG.Place))
        g.add((ID[f"place/{i}"], KG.locatedIn, ID[f"place/{(i * 7) // 10}"]))
    first, second = view_data(g), view_data(g)
    assert first["nodes"] == second["nodes"]
    xy = {(n["x"], n["y"]) for n in first["nodes"]}
    assert len(first["nodes"]) == 700 and len(xy) > 650  # spread out, not piled up


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
