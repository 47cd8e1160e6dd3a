"""kg.netx and kg.analytics on the hand-written tests/fixtures/analytics_sample.ttl."""

from __future__ import annotations

import doctest
import json
import random
from itertools import pairwise
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal, namespace

import kg.analytics
import kg.netx
import kg.stats
from kg.analytics import (
    UnknownNameError,
    centrality,
    communities,
    entity_projection,
    partner_network,
    path,
    profile,
    rank,
    resolve,
)
from kg.errors import KGError, OutputError, QueryError
from kg.netx import load, to_graphml, to_networkx, to_node_link_json
from kg.vocab import ID, KG

FIXTURE = Path(__file__).parent / "fixtures" / "analytics_sample.ttl"


def iri(path: str) -> str:
    return str(ID[path])


CHANGZHI = iri("place/140400")
BEIJING = iri("place/110000")
PINGDINGSHAN = iri("place/410400")
CZ_HOSPITAL = iri("org/5d0c2f7a91e3")
BJ_HOSPITAL = iri("org/8b41e6c0d2fa")
SHUTCM = iri("org/c37a9e05b618")


@pytest.fixture(scope="module")
def rdf() -> Graph:
    return load(FIXTURE)


@pytest.fixture(scope="module")
def G(rdf: Graph) -> nx.MultiDiGraph:
    return to_networkx(rdf)


def labels(G: nx.Graph, nodes) -> set[str]:
    return {G.nodes[n]["label"] for n in nodes}


# --- load and to_networkx -------------------------------------------------------------------


def test_load_missing_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="no graph at"):
        load(tmp_path / "kg.ttl")


def test_load_unparsable_file_is_a_user_error(tmp_path: Path) -> None:
    bad = tmp_path / "kg.ttl"
    bad.write_text("@prefix kg: <x> .\nthis is not turtle", encoding="utf-8")
    with pytest.raises(KGError, match="cannot parse"):
        load(bad)


def test_nodes_are_entities_and_relations_not_documents(G: nx.MultiDiGraph) -> None:
    tops = {d["top_class"] for _, d in G.nodes(data=True)}
    assert tops == {"Place", "Institution", "Program", "Person", "Partnership", "Achievement"}
    assert G.number_of_nodes() == 7 + 3 + 1 + 1 + 3 + 3
    assert not [n for n in G if "/doc/" in n]
    assert G.graph["documents"] == ["000_1cbb400f197cc45a.txt", "001_c701ebf2b2720683.txt"]
    assert list(G.nodes) == sorted(G.nodes)


def test_place_attributes(G: nx.MultiDiGraph) -> None:
    city = G.nodes[CHANGZHI]
    assert city["label"] == "长治市"
    assert (city["class"], city["top_class"]) == ("City", "Place")
    assert city["aliases"] == ["长治"]
    assert city["documents"] == ["000_1cbb400f197cc45a.txt", "001_c701ebf2b2720683.txt"]
    assert city["lat"] == pytest.approx(36.195409)
    assert city["lon"] == pytest.approx(113.116404)
    assert city["admin_code"] == "140400"
    assert city["mentions"] == 14
    assert G.nodes[BEIJING]["aliases"] == ["京", "北京"]


def test_institution_person_and_relation_attributes(G: nx.MultiDiGraph) -> None:
    assert G.nodes[CZ_HOSPITAL]["class"] == "Hospital"
    assert G.nodes[SHUTCM]["class"] == "University"
    assert "lat" not in G.nodes[CZ_HOSPITAL]
    person = G.nodes[iri("person/a4c8e2f61b09")]
    assert (person["label"], person["class"], person["role"]) == ("李明", "Person", "院长")
    coop = G.nodes[iri("partnership/0f3b5a9c7e21")]
    assert (coop["kind"], coop["date"], coop["evidence"]) == (
        "cooperation",
        "2023",
        "京长合作稳步推进。",
    )
    assert coop["documents"] == ["000_1cbb400f197cc45a.txt"]
    undated = G.nodes[iri("partnership/6a2d8c4e0b17")]
    assert undated["date"] is None and undated["kind"] == "cooperation"
    honour = G.nodes[iri("achievement/13c5e7a9f2b4")]
    assert (honour["kind"], honour["level"], honour["date"]) == (
        "honour",
        "provincialLevel",
        "2023-06",
    )


def test_edges_are_keyed_by_relation(G: nx.MultiDiGraph) -> None:
    facts = {
        (G.nodes[u]["label"], k, G.nodes[v]["label"])
        for u, v, k, d in G.edges(keys=True, data=True)
        if d["relation"] == k
    }
    assert len(facts) == G.number_of_edges()
    assert ("北京市—长治市 合作", "partner", "长治市") in facts
    assert ("北京市—长治市 合作", "leadPartner", "北京市") in facts
    assert ("长治市", "locatedIn", "山西省") in facts
    assert ("黎城县", "locatedIn", "长治市") in facts
    assert ("李明", "affiliation", "长治市人民医院") in facts
    assert (
        "国家紧密型城市医疗集团建设试点城市",
        "program",
        "国家紧密型城市医疗集团建设试点",
    ) in facts
    assert ("全国基层中医药工作示范市", "achievedBy", "长治市") in facts


def test_conversion_ignores_triple_order(rdf: Graph, G: nx.MultiDiGraph) -> None:
    triples = list(rdf)
    random.Random(3).shuffle(triples)
    shuffled = Graph()
    for triple in triples:
        shuffled.add(triple)
    H = to_networkx(shuffled)
    assert list(H.nodes(data=True)) == list(G.nodes(data=True))
    assert list(H.edges(keys=True, data=True)) == list(G.edges(keys=True, data=True))


# --- partner network ------------------------------------------------------------------------


def test_partner_network_links_parties(G: nx.MultiDiGraph) -> None:
    P = partner_network(G)
    assert P.edges[BEIJING, CHANGZHI] == {
        "weight": 1,
        "kinds": ["cooperation"],
        "years": [2023],
        "partnerships": [iri("partnership/0f3b5a9c7e21")],
    }
    assert P.edges[SHUTCM, PINGDINGSHAN]["weight"] == 1
    assert P.edges[SHUTCM, PINGDINGSHAN]["kinds"] == ["coConstruction"]
    assert P.edges[SHUTCM, PINGDINGSHAN]["years"] == [2023]
    assert P.edges[CZ_HOSPITAL, BJ_HOSPITAL]["years"] == []
    assert P.number_of_edges() == 3
    assert labels(P, P) == {
        "北京市",
        "长治市",
        "上海中医药大学",
        "平顶山市",
        "长治市人民医院",
        "北京肿瘤医院",
    }


def test_partner_network_counts_shared_partnerships(rdf: Graph) -> None:
    more = Graph()
    for triple in rdf:
        more.add(triple)
    extra = ID["partnership/ffff00000001"]
    more.add((extra, namespace.RDF.type, KG.Partnership))
    more.add((extra, namespace.RDFS.label, Literal("长治市—北京市 交流", lang="zh")))
    more.add((extra, KG.partner, ID["place/140400"]))
    more.add((extra, KG.partner, ID["place/110000"]))
    more.add((extra, KG.partnershipKind, KG.exchange))
    more.add((extra, KG.date, Literal("2024-05", datatype=namespace.XSD.gYearMonth)))
    edge = partner_network(to_networkx(more)).edges[BEIJING, CHANGZHI]
    assert edge["weight"] == 2
    assert edge["kinds"] == ["cooperation", "exchange"]
    assert edge["years"] == [2023, 2024]


# --- names, paths, profiles -----------------------------------------------------------------


def test_resolve_by_label_alias_and_iri(G: nx.MultiDiGraph) -> None:
    assert resolve(G, "长治市") == CHANGZHI
    assert resolve(G, " 长治 ") == CHANGZHI
    assert resolve(G, "北京大学肿瘤医院") == BJ_HOSPITAL
    assert resolve(G, CHANGZHI) == CHANGZHI
    with pytest.raises(UnknownNameError, match="did you mean: 长治市, 长治市人民医院"):
        resolve(G, "治市")
    with pytest.raises(KGError):
        resolve(G, "北京市—长治市 合作")  # a relation, not an entity


def test_resolve_reports_ambiguous_names(G: nx.MultiDiGraph) -> None:
    H = G.copy()
    H.add_node(iri("place/999999"), label="长治市", top_class="Place", **{"class": "City"})
    with pytest.raises(UnknownNameError, match="ambiguous"):
        resolve(H, "长治市")


def test_path_from_hospital_to_city_is_explained(G: nx.MultiDiGraph) -> None:
    steps = path(G, "北京肿瘤医院", "长治市")
    assert steps, "the two are connected through the hospital partnership"
    assert steps[0]["from"] == "北京肿瘤医院" and steps[-1]["to"] == "长治市"
    for before, after in pairwise(steps):
        assert before["to_id"] == after["from_id"]
    assert [s["predicate"] for s in steps] == ["partner", "partner", "locatedIn"]
    assert [s["inverse"] for s in steps] == [True, False, False]
    assert steps[0]["relation"] == "is partner in"
    assert steps[-1] == {
        "from": "长治市人民医院",
        "relation": "is located in",
        "to": "长治市",
        "predicate": "locatedIn",
        "inverse": False,
        "from_id": CZ_HOSPITAL,
        "to_id": CHANGZHI,
    }
    backwards = path(G, "长治市", "北京肿瘤医院")
    assert [s["to"] for s in backwards][:-1] == [s["from"] for s in reversed(steps)][:-1]
    assert backwards[0]["relation"] == "contains"


def test_path_edge_cases(G: nx.MultiDiGraph) -> None:
    assert path(G, "长治市", "长治") == []
    assert path(G, "上海中医药大学", "长治市") == []  # the Shanghai–Henan cluster is separate
    with pytest.raises(UnknownNameError, match="no entity named '广州市'"):
        path(G, "广州市", "长治市")


def test_profile_of_a_city(G: nx.MultiDiGraph) -> None:
    p = profile(G, "长治")
    assert (p["id"], p["label"], p["class"], p["top_class"]) == (
        CHANGZHI,
        "长治市",
        "City",
        "Place",
    )
    assert p["aliases"] == ["长治"]
    assert len(p["documents"]) == 2
    assert [x["label"] for x in p["located_in"]] == ["山西省"]
    assert [x["label"] for x in p["contains"]] == ["黎城县", "长治市人民医院"]
    assert [(x["partner"], x["kind"], x["date"], x["lead"]) for x in p["partners"]] == [
        ("北京市", "cooperation", "2023", "北京市")
    ]
    assert [(a["title"], a["date"]) for a in p["achievements"]] == [
        ("全国基层中医药工作示范市", "2022"),
        ("国家紧密型城市医疗集团建设试点城市", "2023-02-15"),
        ("全省人口和生育政策保障工作先进市", "2023-06"),
    ]
    assert p["programs"] == ["国家紧密型城市医疗集团建设试点"]
    assert p["people"] == []
    json.dumps(p, ensure_ascii=False)  # plain data


def test_profile_of_an_institution(G: nx.MultiDiGraph) -> None:
    p = profile(G, "长治市人民医院")
    assert p["class"] == "Hospital"
    assert [x["label"] for x in p["located_in"]] == ["长治市", "山西省"]
    assert [(x["partner"], x["kind"], x["date"]) for x in p["partners"]] == [
        ("北京肿瘤医院", "cooperation", None)
    ]
    assert p["people"] == [{"name": "李明", "role": "院长", "id": iri("person/a4c8e2f61b09")}]
    assert p["achievements"] == [] and p["contains"] == []


# --- ranking and communities ----------------------------------------------------------------


def test_rank_by_degree(G: nx.MultiDiGraph) -> None:
    assert rank(G, top=1) == [("长治市", 7.0)]
    assert rank(G, cls="Institution") == [
        ("长治市人民医院", 3.0),
        ("上海中医药大学", 2.0),  # tie with 北京肿瘤医院, broken by label
        ("北京肿瘤医院", 2.0),
    ]
    assert [label for label, _ in rank(G, cls="Hospital")] == ["长治市人民医院", "北京肿瘤医院"]
    assert len(rank(G, top=None)) == 12  # entities only
    assert rank(G, cls="Village") == []  # a real class with no members


def test_rank_pagerank_and_betweenness(G: nx.MultiDiGraph) -> None:
    assert rank(G, by="pagerank", top=1)[0][0] == "长治市"
    assert sum(centrality(G, "pagerank").values()) == pytest.approx(1.0, abs=1e-5)
    between = rank(G, by="betweenness", cls="Place", top=None)
    assert between[0][0] == "长治市"
    assert all(0.0 <= score <= 1.0 for _, score in between)
    assert rank(partner_network(G), by="pagerank", top=2)[0][1] > 0


def test_pagerank_matches_networkx() -> None:
    reference = getattr(nx.algorithms.link_analysis.pagerank_alg, "_pagerank_python", None)
    if reference is None:
        pytest.skip("networkx no longer ships its pure-Python PageRank")
    K = nx.relabel_nodes(nx.karate_club_graph(), str)
    for u, v in K.edges:
        K.edges[u, v]["weight"] = 1 + (int(u) + int(v)) % 3
    expected = reference(K, weight="weight", tol=1e-12)
    got = centrality(K, "pagerank")
    assert got == {n: pytest.approx(expected[n], abs=2e-6) for n in K}


def test_rank_rejects_bad_arguments(G: nx.MultiDiGraph) -> None:
    with pytest.raises(ValueError, match="unknown measure"):
        rank(G, by="closeness")
    with pytest.raises(UnknownNameError, match="unknown class"):
        rank(G, cls="Hosptial")


def test_communities_partition_the_entities(G: nx.MultiDiGraph) -> None:
    found = communities(G)
    entities = {n for n, d in G.nodes(data=True) if d["top_class"] in kg.netx.ENTITY_CLASSES}
    assert set().union(*found) == entities
    assert sum(len(c) for c in found) == len(entities)
    assert [len(c) for c in found] == sorted((len(c) for c in found), reverse=True)
    shanghai = next(c for c in found if SHUTCM in c)
    assert PINGDINGSHAN in shanghai and CHANGZHI not in shanghai


def test_communities_are_reproducible(G: nx.MultiDiGraph) -> None:
    first = communities(G, seed=42)
    assert communities(G, seed=42) == first
    rng = random.Random(11)
    for _ in range(5):
        nodes = list(G.nodes(data=True))
        edges = list(G.edges(keys=True, data=True))
        rng.shuffle(nodes)
        rng.shuffle(edges)
        H = nx.MultiDiGraph()
        H.add_nodes_from(nodes)
        H.add_edges_from(edges)
        assert communities(H, seed=42) == first


def test_entity_projection_weights(G: nx.MultiDiGraph) -> None:
    P = entity_projection(G)
    assert P.edges[BEIJING, CHANGZHI]["weight"] == 1  # the partnership
    assert P.edges[CZ_HOSPITAL, CHANGZHI]["weight"] == 1  # locatedIn
    assert P.has_edge(CHANGZHI, iri("program/2e9f4b7c10ad"))  # through the achievement
    assert all(d["top_class"] in kg.netx.ENTITY_CLASSES for _, d in P.nodes(data=True))


# --- exports --------------------------------------------------------------------------------


def test_graphml_round_trip(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = to_graphml(G, tmp_path / "sub" / "kg.graphml")
    H = nx.read_graphml(out, force_multigraph=True)
    assert set(H.nodes) == set(G.nodes)
    assert sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
    assert H.nodes[BEIJING]["aliases"] == "京|北京"
    assert H.nodes[CHANGZHI]["lat"] == pytest.approx(36.195409)
    assert "date" not in H.nodes[iri("partnership/6a2d8c4e0b17")]  # None dropped
    assert H.graph["documents"] == "000_1cbb400f197cc45a.txt|001_c701ebf2b2720683.txt"
    assert [p.name for p in out.parent.iterdir()] == ["kg.graphml"]  # no temp file left


def test_graphml_of_the_partner_network(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = to_graphml(partner_network(G), tmp_path / "partners.graphml")
    H = nx.read_graphml(out)
    edge = H.edges[BEIJING, CHANGZHI]
    assert (edge["weight"], edge["kinds"], edge["years"]) == (1, "cooperation", "2023")


def test_node_link_json_round_trip_and_determinism(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = to_node_link_json(G, tmp_path / "kg.json")
    text = out.read_text(encoding="utf-8")
    assert "长治市" in text  # not \u-escaped
    H = nx.node_link_graph(json.loads(text), edges="edges")
    assert isinstance(H, nx.MultiDiGraph)
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
    again = to_node_link_json(G, tmp_path / "again.json")
    assert again.read_bytes() == out.read_bytes()


def test_export_to_an_unwritable_place_is_a_user_error(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OutputError):
        to_node_link_json(G, blocker / "kg.json")


# --- documentation --------------------------------------------------------------------------


@pytest.mark.parametrize("module", [kg.netx, kg.analytics, kg.stats])
def test_docstring_examples_run(module) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
