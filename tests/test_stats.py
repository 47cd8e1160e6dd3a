"""`kg stats` on the hand-written sample graph: text report, --json, and its building blocks."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal, namespace

from kg.cli import main
from kg.netx import load, to_networkx
from kg.stats import (
    cross_province,
    display_width,
    province_of,
    render,
    summarize,
    table,
)
from kg.vocab import ID, KG

FIXTURE = Path(__file__).parent / "fixtures" / "analytics_sample.ttl"


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return to_networkx(load(FIXTURE))


def run_stats(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = main(["stats", "--graph", str(FIXTURE), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_stats(capsys)
    assert code == 0 and err == ""
    assert "18 nodes, 18 edges, 2 documents" in out
    for expected in (
        "Place",
        "Hospital",
        "Most connected institutions",
        "长治市人民医院",
        "Cross-province partnerships: 3",
        "山西省 — 北京市",
        "Communities: 3",
        "Achievements per city and year",
    ):
        assert expected in out


def test_text_report_aligns_chinese_columns(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_stats(capsys)
    lines = out.splitlines()
    start = lines.index("Most connected institutions") + 1
    rows = lines[start : start + 4]  # header + three institutions
    columns = {
        display_width(row[: row.index(cls)])
        for row, cls in zip(rows, ("Class", "Hospital", "University", "Hospital"), strict=True)
    }
    assert len(columns) == 1, rows
    assert len({display_width(row) for row in rows}) == 1, rows  # numbers right-aligned


def test_json_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_stats(capsys, "--json")
    assert code == 0
    report = json.loads(out)
    assert report["source"] == str(FIXTURE)
    counts = {c["class"]: c["count"] for c in report["classes"]}
    assert counts == {
        "Place": 7,
        "Institution": 3,
        "Program": 1,
        "Person": 1,
        "Partnership": 3,
        "Achievement": 3,
        "Document": 2,
    }
    assert report["classes"][0]["subclasses"] == {"City": 2, "County": 1, "Province": 4}
    top_institution = report["most_connected"]["institutions"][0]
    assert (top_institution["label"], top_institution["partners"], top_institution["degree"]) == (
        "长治市人民医院",
        1,
        3,
    )
    assert report["most_connected"]["places"][0]["label"] == "长治市"
    crossing = {
        tuple((p["label"], p["province"]) for p in r["parties"])
        for r in report["cross_province_partnerships"]
    }
    assert crossing == {
        (("北京市", "北京市"), ("长治市", "山西省")),
        (("上海中医药大学", "上海市"), ("平顶山市", "河南省")),
        (("长治市人民医院", "山西省"), ("北京肿瘤医院", "北京市")),
    }
    communities = report["communities"]
    assert communities["count"] + communities["singletons"] >= 1
    assert sum(c["size"] for c in communities["largest"]) + communities["singletons"] == 12
    assert report["achievements_by_city_year"] == {
        "years": ["2022", "2023"],
        "rows": [{"city": "长治市", "counts": {"2022": 1, "2023": 2}, "total": 3}],
    }
    assert "\\u" not in out  # Chinese kept readable


def test_json_report_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    first = run_stats(capsys, "--json")[1]
    assert run_stats(capsys, "--json")[1] == first


def test_top_limits_rankings(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_stats(capsys, "--json", "--top", "1")
    report = json.loads(out)
    assert len(report["most_connected"]["institutions"]) == 1
    assert len(report["most_connected"]["places"]) == 1
    assert len(report["communities"]["largest"]) == 1
    _, text, _ = run_stats(capsys, "--top", "1")
    assert "… 2 more (see --json)" in text


def test_missing_graph_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(["stats", "--graph", str(tmp_path / "kg.ttl")])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.startswith("kg: error: no graph at") and err.count("\n") == 1


def test_top_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["stats", "--top", "0"])
    assert exit_info.value.code == 2
    assert "positive" in capsys.readouterr().err


def test_province_of_follows_located_in(G: nx.MultiDiGraph) -> None:
    assert province_of(G, str(ID["place/140426"])) == str(ID["place/140000"])  # 黎城县
    assert province_of(G, str(ID["org/5d0c2f7a91e3"])) == str(ID["place/140000"])
    assert province_of(G, str(ID["place/110000"])) == str(ID["place/110000"])


def test_province_of_a_municipality_typed_city(G: nx.MultiDiGraph) -> None:
    """The builder types 北京市 as a City under 中国: its 110000 code still makes it a province."""
    H = G.copy()
    beijing, china = str(ID["place/110000"]), str(ID["place/100000"])
    H.nodes[beijing]["class"] = "City"
    H.add_node(china, label="中国", top_class="Place", **{"class": "Country"})
    H.add_edge(beijing, china, key="locatedIn", relation="locatedIn")
    assert province_of(H, str(ID["org/8b41e6c0d2fa"])) == beijing
    H.nodes[beijing]["admin_code"] = "110100"
    assert province_of(H, str(ID["org/8b41e6c0d2fa"])) is None


def test_partnership_within_a_province_is_not_cross_province() -> None:
    rdf = Graph()
    for triple in load(FIXTURE):
        rdf.add(triple)
    local = ID["partnership/eeee00000001"]
    rdf.add((local, namespace.RDF.type, KG.Partnership))
    rdf.add((local, namespace.RDFS.label, Literal("长治市—黎城县 支援", lang="zh")))
    rdf.add((local, KG.partner, ID["place/140400"]))
    rdf.add((local, KG.partner, ID["place/140426"]))
    rdf.add((local, KG.partnershipKind, KG.support))
    rows = cross_province(to_networkx(rdf))
    assert len(rows) == 3
    assert str(local) not in {r["id"] for r in rows}


def test_render_is_layout_of_summarize(G: nx.MultiDiGraph) -> None:
    text = render(summarize(G, top=5), top=5)
    assert text.startswith("18 nodes, 18 edges, 2 documents\n")
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_display_width_and_table() -> None:
    assert display_width("长治市") == 6
    assert display_width("ab") == 2
    assert display_width("ｂ") == 2  # fullwidth
    assert display_width("e\u0301") == 1  # e + combining accent
    lines = table(["名称", "N"], [["长治市人民医院", 1], ["Beijing", 10]])
    assert len({display_width(line) for line in lines}) == 1


def test_a_province_holder_is_not_listed_as_a_city_and_isolation_is_explained() -> None:
    from kg.stats import achievements_by_city_year, community_summary

    G = nx.MultiDiGraph()
    G.add_node("p", label="湖南省", top_class="Place", **{"class": "Province"})
    G.add_node("c", label="株洲市", top_class="Place", **{"class": "City"})
    G.add_node("a", label="先进省", top_class="Achievement", **{"class": "Achievement"})
    G.add_node("b", label="先进市", top_class="Achievement", **{"class": "Achievement"})
    G.add_node("lone", label="某计划", top_class="Program", **{"class": "Program"})
    G.add_edge("a", "p", relation="achievedBy")
    G.add_edge("b", "c", relation="achievedBy")
    G.add_edge("c", "p", relation="locatedIn")
    cities = {r["city"] for r in achievements_by_city_year(G)["rows"]}
    assert cities == {"株洲市", "湖南省 (province)"}
    summary = community_summary(G, top=5, seed=1)
    assert summary["singletons_by_class"] == {"Program": 1}
    from kg.stats import _community_section

    lines = _community_section(summary)
    assert "isolated (Program 1): named in a report, but in no partnership" in lines[1]
