"""ontology/kg.ttl documents exactly the terms of kg/vocab.py, and parses everywhere."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.prefixes import PREFIXES
from kg.vocab import KG, KG_NS

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "kg.ttl"
DECLARATION_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    SKOS.ConceptScheme,
    SKOS.Concept,
}
TOP_LEVEL = {
    "Place", "Institution", "Program", "Person", "Partnership", "Achievement", "Document",
    "Statement",  # a sentence that states a relation (its evidence and offsets)
}  # fmt: skip
SCHEMA = PREFIXES["schema"]
ORG = PREFIXES["org"]
PROV = PREFIXES["prov"]
GEO = PREFIXES["geo"]


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def vocab_terms() -> set[str]:
    return set(KG.__annotations__)


def local(iri: URIRef) -> str:
    return str(iri)[len(KG_NS) :]


def declared(onto: Graph) -> dict[str, set[URIRef]]:
    """kg: local name -> its declaration types."""
    out: dict[str, set[URIRef]] = {}
    for s, o in onto.subject_objects(RDF.type):
        if isinstance(s, URIRef) and str(s).startswith(KG_NS) and o in DECLARATION_TYPES:
            out.setdefault(local(s), set()).add(o)
    return out


def test_vocab_and_ontology_declare_the_same_terms(onto: Graph) -> None:
    names = set(declared(onto))
    assert vocab_terms() - names == set(), "terms in kg/vocab.py missing from kg.ttl"
    assert names - vocab_terms() == set(), "terms in kg.ttl missing from kg/vocab.py"


def test_no_undeclared_kg_iri_is_used(onto: Graph) -> None:
    used = {
        local(t)
        for triple in onto
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(KG_NS)
    }
    assert used <= vocab_terms()


def test_each_term_has_one_kind_of_declaration(onto: Graph) -> None:
    kinds = declared(onto)
    assert {name for name, types in kinds.items() if len(types) != 1} == set()


@pytest.mark.parametrize("name", sorted(vocab_terms()))
def test_term_has_zh_and_en_labels_and_an_english_comment(onto: Graph, name: str) -> None:
    term = KG[name]
    labels = {lit.language for lit in onto.objects(term, RDFS.label) if isinstance(lit, Literal)}
    assert {"zh", "en"} <= labels
    assert len(list(onto.objects(term, RDFS.label))) == 2, "one label per language"
    comments = [c for c in onto.objects(term, RDFS.comment) if isinstance(c, Literal)]
    assert any(c.language == "en" and len(c) > 10 for c in comments)
    assert (term, RDFS.isDefinedBy, URIRef(KG_NS.rstrip("#"))) in onto


def test_ontology_header(onto: Graph) -> None:
    header = URIRef(KG_NS.rstrip("#"))
    assert (header, RDF.type, OWL.Ontology) in onto
    assert onto.value(header, OWL.versionInfo) is not None
    assert onto.value(header, OWL.versionIRI) is not None
    assert {lit.language for lit in onto.objects(header, RDFS.label)} == {"zh", "en"}
    assert onto.value(header, RDFS.comment) is not None
    assert onto.value(header, URIRef("http://purl.org/dc/terms/license")) is not None


def test_class_hierarchy_has_the_eight_top_level_classes(onto: Graph) -> None:
    classes = {s for s in onto.subjects(RDF.type, OWL.Class) if str(s).startswith(KG_NS)}

    def kg_parents(c: URIRef) -> set[URIRef]:
        return {p for p in onto.objects(c, RDFS.subClassOf) if str(p).startswith(KG_NS)}

    roots = {local(c) for c in classes if not kg_parents(c)}
    assert roots == TOP_LEVEL
    for c in classes:  # every class reaches exactly one root
        reached = {local(r) for r in onto.transitive_objects(c, RDFS.subClassOf)} & TOP_LEVEL
        assert len(reached) == 1, c


@pytest.mark.parametrize(
    ("sub", "sup"),
    [
        ("City", "Place"),
        ("County", "Place"),
        ("Hospital", "Institution"),
        ("University", "Institution"),
        ("Pilot", "Program"),
        ("PolicyDocument", "Program"),
    ],
)
def test_subclasses(onto: Graph, sub: str, sup: str) -> None:
    assert (KG[sub], RDFS.subClassOf, KG[sup]) in onto


@pytest.mark.parametrize(
    ("term", "parent"),
    [
        (KG.Place, SCHEMA + "Place"),
        (KG.Place, GEO + "SpatialThing"),
        (KG.Hospital, SCHEMA + "Hospital"),
        (KG.University, SCHEMA + "CollegeOrUniversity"),
        (KG.GovernmentAgency, SCHEMA + "GovernmentOrganization"),
        (KG.Institution, SCHEMA + "Organization"),
        (KG.Institution, ORG + "Organization"),
        (KG.Person, SCHEMA + "Person"),
        (KG.Partnership, PROV + "Entity"),
        (KG.Achievement, PROV + "Entity"),
        (KG.Document, PROV + "Entity"),
    ],
)
def test_class_alignments(onto: Graph, term: URIRef, parent: str) -> None:
    assert (term, RDFS.subClassOf, URIRef(parent)) in onto


def test_property_axioms(onto: Graph) -> None:
    assert (KG.locatedIn, RDF.type, OWL.TransitiveProperty) in onto
    assert (KG.leadPartner, RDFS.subPropertyOf, KG.partner) in onto
    assert (KG.locatedIn, RDFS.subPropertyOf, URIRef(SCHEMA + "containedInPlace")) in onto
    assert (
        KG.parentOrganization,
        RDFS.subPropertyOf,
        URIRef(SCHEMA + "parentOrganization"),
    ) in onto
    assert (KG.affiliation, RDFS.subPropertyOf, URIRef(ORG + "memberOf")) in onto
    assert onto.value(KG.partner, RDFS.domain) == KG.Partnership
    assert onto.value(KG.locatedIn, RDFS.range) == KG.Place


@pytest.mark.parametrize(
    ("scheme", "concepts"),
    [
        (
            "PartnershipKind",
            "cooperation agreement coConstruction trusteeship membership support exchange",
        ),
        (
            "AchievementKind",
            "honour selection approval designation certification promotion ranking",
        ),
        ("Level", "nationalLevel provincialLevel municipalLevel countyLevel"),
    ],
)
def test_concept_schemes(onto: Graph, scheme: str, concepts: str) -> None:
    assert (KG[scheme], RDF.type, SKOS.ConceptScheme) in onto
    members = {local(c) for c in onto.subjects(SKOS.inScheme, KG[scheme])}
    assert members == set(concepts.split())
    for name in members:
        assert (KG[name], RDF.type, SKOS.Concept) in onto
        assert {lit.language for lit in onto.objects(KG[name], SKOS.prefLabel)} == {"zh", "en"}


def test_no_blank_nodes_so_the_builder_can_copy_it(onto: Graph) -> None:
    assert not any(isinstance(t, BNode) for triple in onto for t in triple)


def test_pyoxigraph_parses_the_same_triples(onto: Graph) -> None:
    store = ox.Store()
    store.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
    assert len(store) == len(onto)
