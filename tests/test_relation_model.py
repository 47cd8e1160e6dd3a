"""One relation node per fact (issue 18): on the seeds graph and on invented documents.

Within one report a partnership is one node per set of partners carrying every kind and
every sentence (a kg:Statement with its own offsets); across reports one node per report,
gathered by the named query ``partnership-evidence``."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

from kg.evaluate import read_original
from kg.pipeline import build
from kg.query import bind_params, resolve_query, run_query
from kg.vocab import KG

ROOT = Path(__file__).resolve().parent.parent
TTL = ROOT / "output" / "kg.ttl"


@pytest.fixture(scope="module")
def seeds() -> Graph:
    g = Graph()
    g.parse(TTL, format="turtle")
    return g


def _label(g: Graph, node: object) -> str:
    return next(
        str(o) for o in g.objects(node, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    )  # type: ignore[arg-type]


def _pairs(g: Graph) -> dict[tuple[frozenset[str], str], list[URIRef]]:
    """(partner labels, document) -> partnership nodes."""
    found: dict[tuple[frozenset[str], str], list[URIRef]] = {}
    for p in g.subjects(RDF.type, KG.Partnership):
        partners = frozenset(_label(g, x) for x in g.objects(p, KG.partner))
        doc = str(next(g.objects(p, PROV.wasDerivedFrom)))
        found.setdefault((partners, doc), []).append(p)  # type: ignore[arg-type]
    return found


def test_one_partnership_per_partner_set_and_document(seeds: Graph) -> None:
    pairs = _pairs(seeds)
    assert all(len(nodes) == 1 for nodes in pairs.values()), pairs
    assert len(pairs) == 12  # the 12 partnerships the seeds gold lists
    (node,) = next(n for (who, _), n in pairs.items() if who == {"北京市", "长治市"})
    kinds = {str(k).rsplit("#", 1)[1] for k in seeds.objects(node, KG.partnershipKind)}
    assert kinds == {"cooperation", "support"}  # 京长合作 … 北京市选派专家: one node, two kinds
    statements = list(seeds.objects(node, KG.statement))
    assert len(statements) == 2
    evidence = {str(e) for e in seeds.objects(node, KG.evidence)}
    assert {str(seeds.value(st, KG.evidence)) for st in statements} == evidence


def test_every_statement_is_verbatim_at_its_offsets(seeds: Graph) -> None:
    texts = {}
    for doc in seeds.subjects(RDF.type, KG.Document):
        texts[doc] = read_original(ROOT / "seeds" / str(seeds.value(doc, KG.fileName)))
    statements = list(seeds.subjects(RDF.type, KG.Statement))
    assert len(statements) > len(list(seeds.subjects(RDF.type, KG.Partnership)))
    for st in statements:
        start, end = int(seeds.value(st, KG.evidenceStart)), int(seeds.value(st, KG.evidenceEnd))  # type: ignore[arg-type]
        doc = seeds.value(st, PROV.wasDerivedFrom)
        assert texts[doc][start:end] == str(seeds.value(st, KG.evidence))


def _build(tmp_path: Path, files: dict[str, str]) -> Graph:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return build([folder]).graph()


REPORT = (
    "宜昌市卫生健康委员会2024年工作总结\n\n"
    "宜昌市中心人民医院与武汉大学人民医院签订合作协议。"
    "一年来，宜昌市中心人民医院与武汉大学人民医院合作共建胸痛中心。"
    "武汉大学人民医院选派专家到宜昌市中心人民医院坐诊。\n"
)


def test_several_sentences_and_kinds_make_one_node(tmp_path: Path) -> None:
    g = _build(tmp_path, {"a.txt": REPORT})
    pairs = _pairs(g)
    key = next(k for k in pairs if k[0] == {"宜昌市中心人民医院", "武汉大学人民医院"})
    (node,) = pairs[key]
    assert len(list(g.objects(node, KG.statement))) == 3
    assert len(set(g.objects(node, KG.partnershipKind))) >= 2
    for st in g.objects(node, KG.statement):  # each sentence with its own offsets
        assert g.value(st, KG.evidenceStart) is not None and g.value(st, KG.evidenceEnd) is not None


def test_reports_keep_their_own_node_and_one_query_gathers_them(tmp_path: Path) -> None:
    other = REPORT.replace("2024", "2025").replace("签订合作协议", "续签合作协议")
    g = _build(tmp_path, {"a.txt": REPORT, "b.txt": other})
    pairs = _pairs(g)
    keys = [k for k in pairs if k[0] == {"宜昌市中心人民医院", "武汉大学人民医院"}]
    assert len(keys) == 2  # one node per report
    text = resolve_query("partnership-evidence")
    result = run_query(text, g, bind_params(text, ["a=武汉大学人民医院", "b=宜昌市中心人民医院"]))
    files = [row[result.variables.index("file")].display() for row in result.rows]
    assert sorted(set(files)) == ["a.txt", "b.txt"] and len(files) == 6
