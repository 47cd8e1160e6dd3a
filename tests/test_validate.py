"""kg validate: the sample graph conforms; each kind of contract break is caught and explained."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kg.cli import main
from kg.prefixes import PREFIXES
from kg.validate import DEFAULT_ONTOLOGY, DEFAULT_SHAPES, load_graph, validate_graph
from kg.vocab import GEO, ID, KG

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "sample.ttl"

CHANGZHI = ID["place/140400"]
LICHENG = ID["place/140426"]
BEIJING = ID["place/110000"]
HOSPITAL = ID["org/55414adc166c"]
DOC = ID["doc/1cbb400f197c"]
BEIJING_CHANGZHI = ID["partnership/5454fea5aed73887"]
TRUSTEESHIP = ID["partnership/38cfa3ff5418a78a"]
HONOUR = ID["achievement/320db743707574e8"]
HONOUR_SAID = ID["statement/320db743707574e8-257"]  # the sentence that states it
PERSON = ID["person/7edcc09b3372"]


@pytest.fixture(scope="module")
def sample() -> Graph:
    return load_graph(SAMPLE, "graph")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_graph(DEFAULT_SHAPES, "shapes")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_graph(DEFAULT_ONTOLOGY, "ontology")


def test_sample_conforms(sample: Graph, shapes: Graph, ontology: Graph) -> None:
    report = validate_graph(sample, shapes, ontology)
    assert report.conforms, "\n".join(report.lines())
    assert report.violations == ()
    assert report.lines() == ["conforms: 0 violations"]


def test_sample_with_the_ontology_inside_conforms(sample: Graph, ontology: Graph) -> None:
    """output/kg.ttl carries the ontology: its own terms must not become focus nodes."""
    combined = Graph()
    combined += sample
    combined += ontology
    assert validate_graph(combined).conforms


def test_validation_does_not_modify_the_data(sample: Graph) -> None:
    before = len(sample)
    validate_graph(sample)
    assert len(sample) == before


Mutation = Callable[[Graph], None]


def xsd(name: str) -> URIRef:
    # Not rdflib's XSD as a module global: pytest probes globals for mock attributes, and
    # that DefinedNamespace warns on every unknown name.
    return URIRef(PREFIXES["xsd"] + name)


def _set(s, p, o) -> Mutation:  # type: ignore[no-untyped-def]
    return lambda g: g.set((s, p, o))


def _add(s, p, o) -> Mutation:  # type: ignore[no-untyped-def]
    return lambda g: g.add((s, p, o))


def _remove(s, p, o=None) -> Mutation:  # type: ignore[no-untyped-def]
    return lambda g: g.remove((s, p, o))


BLANK = BNode()

# (id, mutation, focus node, path shown, words the message must contain)
BREAKS: list[tuple[str, Mutation, str, str | None, str]] = [
    (
        "label in English only",
        lambda g: (
            g.remove((CHANGZHI, RDFS.label, None)),
            g.add((CHANGZHI, RDFS.label, Literal("Changzhi", lang="en"))),
        ),
        "place:140400",
        "rdfs:label",
        "exactly one rdfs:label in Chinese",
    ),
    (
        "two Chinese labels",
        _add(HOSPITAL, RDFS.label, Literal("市医院", lang="zh")),
        "inst:55414adc166c",
        "rdfs:label",
        "exactly one rdfs:label in Chinese",
    ),
    (
        "label without language",
        lambda g: (
            g.remove((PERSON, RDFS.label, None)),
            g.add((PERSON, RDFS.label, Literal("王琦"))),
        ),
        "person:7edcc09b3372",
        "rdfs:label",
        "(@zh)",
    ),
    (
        "top-level type missing",
        _remove(LICHENG, RDF.type, KG.Place),
        "place:140426",
        "rdf:type",
        "must also be typed kg:Place",
    ),
    (
        "blank node entity",
        lambda g: (
            g.add((BLANK, RDF.type, KG.Person)),
            g.add((BLANK, RDFS.label, Literal("无名", lang="zh"))),
        ),
        "_:",
        None,
        "never a blank node",
    ),
    (
        "one partner",
        _remove(BEIJING_CHANGZHI, KG.partner, CHANGZHI),
        "partnership:5454fea5aed73887",
        "kg:partner",
        "at least two kg:partner",
    ),
    (
        "partner is a document",
        _add(BEIJING_CHANGZHI, KG.partner, DOC),
        "partnership:5454fea5aed73887",
        "kg:partner",
        "must be a kg:Place, kg:Institution or kg:Person",
    ),
    (
        "no partnership kind",
        _remove(BEIJING_CHANGZHI, KG.partnershipKind),
        "partnership:5454fea5aed73887",
        "kg:partnershipKind",
        "at least one kg:partnershipKind",
    ),
    (
        "two nodes for one set of partners in one document",
        lambda g: (
            [
                g.add((ID["partnership/other"], p, o))
                for p, o in g.predicate_objects(BEIJING_CHANGZHI)
                if p != KG.partnershipKind
            ]
            + [g.add((ID["partnership/other"], KG.partnershipKind, KG.exchange))]
        ),
        "partnership:5454fea5aed73887",
        "kg:partner",
        "one kg:Partnership per set of partners and document",
    ),
    (
        "kind from the wrong scheme",
        _set(BEIJING_CHANGZHI, KG.partnershipKind, KG.honour),
        "partnership:5454fea5aed73887",
        "kg:partnershipKind",
        "must be a concept of kg:PartnershipKind",
    ),
    (
        "lead partner not a partner",
        _add(TRUSTEESHIP, KG.leadPartner, HOSPITAL),
        "partnership:38cfa3ff5418a78a",
        "kg:leadPartner",
        "must also be stated as a kg:partner",
    ),
    (
        "achievement without achiever",
        _remove(HONOUR, KG.achievedBy),
        "achievement:320db743707574e8",
        "kg:achievedBy",
        "at least one kg:achievedBy",
    ),
    (
        "achievement kind from the wrong scheme",
        _set(HONOUR, KG.achievementKind, KG.cooperation),
        "achievement:320db743707574e8",
        "kg:achievementKind",
        "must be a concept of kg:AchievementKind",
    ),
    (
        "level not a level",
        _set(HONOUR, KG.level, KG.honour),
        "achievement:320db743707574e8",
        "kg:level",
        "concept of kg:Level",
    ),
    (
        "two sentences in one statement",
        _add(HONOUR_SAID, KG.evidence, Literal("我市再次荣获", lang="zh")),
        "statement:320db743707574e8-257",
        "kg:evidence",
        "exactly one kg:evidence",
    ),
    (
        "evidence of no statement",
        _add(HONOUR, KG.evidence, Literal("我市再次荣获", lang="zh")),
        "achievement:320db743707574e8",
        "kg:evidence",
        "the sentence of one of its kg:statement",
    ),
    (
        "no evidence",
        _remove(HONOUR, KG.evidence),
        "achievement:320db743707574e8",
        "kg:evidence",
        "needs kg:evidence",
    ),
    (
        "no statement",
        _remove(HONOUR, KG.statement),
        "achievement:320db743707574e8",
        "kg:statement",
        "at least one kg:statement",
    ),
    (
        "statement from another document",
        _set(HONOUR_SAID, PROV.wasDerivedFrom, ID["doc/c701ebf2b272"]),
        "achievement:320db743707574e8",
        "kg:statement",
        "from the relation's own document",
    ),
    (
        "offset is a string",
        _set(HONOUR_SAID, KG.evidenceStart, Literal("257")),
        "statement:320db743707574e8-257",
        "kg:evidenceStart",
        "an xsd:integer",
    ),
    (
        "offsets do not span the evidence",
        _set(HONOUR_SAID, KG.evidenceEnd, Literal(295)),
        "statement:320db743707574e8-257",
        "kg:evidence",
        "must equal the length of kg:evidence",
    ),
    (
        "start after end",
        lambda g: (
            g.set((HONOUR_SAID, KG.evidenceStart, Literal(290))),
            g.set((HONOUR_SAID, KG.evidenceEnd, Literal(257))),
        ),
        "statement:320db743707574e8-257",
        "kg:evidenceStart",
        "less than kg:evidenceEnd",
    ),
    (
        "offset beyond the file",
        lambda g: (
            g.set((HONOUR_SAID, KG.evidenceStart, Literal(9000))),
            g.set((HONOUR_SAID, KG.evidenceEnd, Literal(9033))),
        ),
        "statement:320db743707574e8-257",
        "kg:evidenceEnd",
        "beyond the kg:characterCount",
    ),
    (
        "derived from a place",
        _set(HONOUR, PROV.wasDerivedFrom, CHANGZHI),
        "achievement:320db743707574e8",
        "prov:wasDerivedFrom",
        "must point to a kg:Document",
    ),
    (
        "no source document",
        _remove(BEIJING_CHANGZHI, PROV.wasDerivedFrom),
        "partnership:5454fea5aed73887",
        "prov:wasDerivedFrom",
        "exactly one prov:wasDerivedFrom",
    ),
    (
        "date as plain string",
        _set(HONOUR, KG.date, Literal("2023-06")),
        "achievement:320db743707574e8",
        "kg:date",
        "xsd:gYear (2023), xsd:gYearMonth (2023-08) or xsd:date",
    ),
    (
        "month 13",
        _set(HONOUR, KG.date, Literal("2023-13", datatype=xsd("gYearMonth"))),
        "achievement:320db743707574e8",
        "kg:date",
        "must be one valid",
    ),
    (
        "date as dateTime",
        _set(HONOUR, KG.date, Literal("2023-06-01T00:00:00", datatype=xsd("dateTime"))),
        "achievement:320db743707574e8",
        "kg:date",
        "must be one valid",
    ),
    (
        "county not located",
        _remove(LICHENG, KG.locatedIn),
        "place:140426",
        "kg:locatedIn",
        "needs kg:locatedIn",
    ),
    (
        "located in a document",
        _add(HOSPITAL, KG.locatedIn, DOC),
        "inst:55414adc166c",
        "kg:locatedIn",
        "must point to a kg:Place",
    ),
    (
        "admin code of 5 digits",
        _set(LICHENG, KG.adminCode, Literal("14042")),
        "place:140426",
        "kg:adminCode",
        "6 or 12 digits",
    ),
    (
        "admin code of 9 digits",
        _set(LICHENG, KG.adminCode, Literal("140426100")),
        "place:140426",
        "kg:adminCode",
        "6 or 12 digits",
    ),
    (
        "latitude out of range",
        _set(BEIJING, GEO.lat, Literal("139.9", datatype=xsd("decimal"))),
        "place:110000",
        "geo:lat",
        "between -90 and 90",
    ),
    (
        "longitude as string",
        _set(BEIJING, GEO.long, Literal("116.4")),
        "place:110000",
        "geo:long",
        "xsd:decimal",
    ),
    (
        "latitude without longitude",
        _remove(BEIJING, GEO.long),
        "place:110000",
        "geo:long",
        "given together with geo:lat",
    ),
    (
        "mention count zero",
        _set(HOSPITAL, KG.mentionCount, Literal(0)),
        "inst:55414adc166c",
        "kg:mentionCount",
        ">= 1",
    ),
    (
        "bad content hash",
        _set(DOC, KG.contentHash, Literal("C0F754BB")),
        "doc:1cbb400f197c",
        "kg:contentHash",
        "64 lowercase hex",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "focus", "path", "words"),
    [case[1:] for case in BREAKS],
    ids=[case[0] for case in BREAKS],
)
def test_each_break_is_reported_readably(
    sample: Graph,
    shapes: Graph,
    ontology: Graph,
    mutate: Mutation,
    focus: str,
    path: str | None,
    words: str,
) -> None:
    data = Graph()
    data += sample
    mutate(data)
    report = validate_graph(data, shapes, ontology)
    assert not report.conforms
    matching = [
        v
        for v in report.violations
        if v.focus.startswith(focus) and v.path == path and words in v.message
    ]
    assert matching, "\n".join(report.lines())
    line = matching[0].format()
    assert line.startswith(focus) and words in line
    assert "\n" not in line
    assert report.lines()[-1].startswith("does not conform: ")


def test_line_shows_the_label_and_value(sample: Graph, shapes: Graph, ontology: Graph) -> None:
    data = Graph()
    data += sample
    data.set((LICHENG, KG.adminCode, Literal("14042")))
    report = validate_graph(data, shapes, ontology)
    assert report.lines() == [
        "place:140426 「黎城县」  kg:adminCode: kg:adminCode must be one GB/T 2260 code: "
        'a string of 6 or 12 digits (value: "14042")',
        "does not conform: 1 violation on 1 node",
    ]


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SAMPLE)]) == 0
    assert capsys.readouterr().out == "conforms: 0 violations\n"

    broken = load_graph(SAMPLE, "graph")
    broken.remove((LICHENG, KG.locatedIn, None))
    broken.remove((HONOUR, KG.achievedBy, None))
    path = tmp_path / "broken.ttl"
    broken.serialize(path, format="turtle")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "does not conform: 2 violations on 2 nodes"
    assert any(line.startswith("place:140426 「黎城县」  kg:locatedIn: ") for line in out)
    assert any("「全省人口和生育政策保障工作先进市」  kg:achievedBy" in line for line in out)


def test_cli_missing_file_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path / "nope.ttl")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kg: error: graph not found: ") and err.count("\n") == 1


def test_cli_unparsable_file_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text("@prefix kg: <x> .\nkg:a kg:b \n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kg: error: cannot parse graph ") and err.count("\n") == 1
