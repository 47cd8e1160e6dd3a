"""The RDF graph as a networkx graph, and exports for graph tools (Gephi, Cytoscape, D3).

RDF is the format of record, but network analysis (centrality, communities, paths) is far
easier on a property graph. :func:`to_networkx` is the single place that maps the contract of
``ontology/README.md`` onto networkx, so analytics never touch RDF terms:

* one node per entity (Place, Institution, Program, Person) and per relation resource
  (Partnership, Achievement); the node id is the IRI string;
* Documents are not nodes: they only explain where a fact comes from, so they appear as the
  ``documents`` attribute (file names) of the nodes they ground;
* one edge per object property between two nodes, keyed by the property's local name.

Everything is inserted in sorted order, so two conversions of the same graph are identical
whatever order rdflib parsed the triples in.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.errors import QueryError
from kg.graphml import write_graphml
from kg.io import atomic_write_bytes, read_rdf
from kg.vocab import ALT_LABEL, DERIVED_FROM, ID_NS, KG_NS, LABEL, LAT, LONG, TYPE
from kg.vocab import KG_TERMS as KG

if TYPE_CHECKING:  # networkx costs 0.2 s to import; the build's GraphML path needs none
    import networkx as nx

#: Classes whose instances become nodes, in precedence order (first wins on a double typing).
NODE_CLASSES: Final = (
    KG.Place,
    KG.Institution,
    KG.Program,
    KG.Person,
    KG.Partnership,
    KG.Achievement,
)
_NODE_CLASS_IRIS: Final = frozenset(str(c) for c in NODE_CLASSES)
#: Top-level class names of the entities (the other node classes are n-ary relations).
ENTITY_CLASSES: Final = ("Place", "Institution", "Program", "Person")
#: Top-level class names of the relation nodes.
RELATION_CLASSES: Final = ("Partnership", "Achievement")
#: Object properties that become edges (subject -> object) when both ends are nodes.
EDGE_PROPERTIES: Final = (
    KG.partner,
    KG.leadPartner,
    KG.achievedBy,
    KG.program,
    KG.locatedIn,
    KG.coBuilt,
    KG.parentOrganization,
    KG.affiliation,
    KG.awardedBy,
)


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``: how terms are shown to people.

    >>> local_name("https://w3id.org/cn-health-kg/ontology#coConstruction")
    'coConstruction'
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def load(path: str | os.PathLike[str] = "output/kg.ttl") -> Graph:
    """Parse the built graph (Turtle, or any format rdflib guesses from the suffix).

    Raises :class:`kg.errors.QueryError` (a ``KGError``) with a one-line reason when the file
    is missing or unparsable, so the command line reports it without a traceback.

    >>> load("no/such/kg.ttl")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: no graph at no/such/kg.ttl (build it first with `kg build`)
    """
    source = Path(path)
    missing = f"no graph at {source} (build it first with `kg build`)"
    return read_rdf(source, missing=missing, error=QueryError)


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Convert the RDF graph to a ``MultiDiGraph`` of entities and relation nodes.

    Node attributes: ``label`` (rdfs:label, Chinese preferred), ``class`` (most specific class
    local name), ``top_class``, ``aliases`` and ``documents`` (sorted lists), ``lat``/``lon``,
    ``admin_code`` for places, ``mentions`` when counted, ``role`` for people; relation nodes
    add ``kinds`` (sorted list; a partnership has one per kind its report gives), ``kind``
    (the kinds joined with ``|``), ``date``, ``sentences`` (every sentence that states it, in
    text order) and ``evidence`` (the first; None when absent), achievements ``level`` and
    ``department``. Edge key and ``relation`` attribute: the property local name.
    ``G.graph["documents"]`` lists every document file name.

    >>> G = example_graph()
    >>> G.nodes[_iri("place/140400")]["label"], G.nodes[_iri("place/140400")]["class"]
    ('长治市', 'City')
    >>> sorted(G[_iri("place/140400")])  # out-edges: only locatedIn
    ['https://w3id.org/cn-health-kg/id/place/140000']
    >>> G.graph["documents"]
    ['000_1cbb400f197cc45a.txt']
    """
    files = document_files(graph)
    import networkx as nx

    G = nx.MultiDiGraph()
    G.graph["documents"] = sorted(set(files.values()))
    nodes = node_records(graph, files)
    G.add_nodes_from(nodes)
    ids = {iri for iri, _ in nodes}
    for subject, relation, obj in edge_records(graph):
        if subject in ids and obj in ids:
            G.add_edge(subject, obj, key=relation, relation=relation)
    return G


def node_records(graph: Graph, files: dict[Node, str]) -> list[tuple[str, dict[str, Any]]]:
    """(IRI, attributes) of every node of ``graph``, by IRI; ``files``: document IRI → file."""
    classes = _node_classes(graph)
    return [(str(iri), _attributes(graph, iri, *classes[iri], files)) for iri in sorted(classes)]


def edge_records(graph: Graph) -> list[tuple[str, str, str]]:
    """(subject, property local name, object) of every edge property between IRIs, sorted.

    Whether both ends are nodes is the caller's check (a unit of the build sees only its own
    resources)."""
    found = {
        (str(s), local_name(prop), str(o))
        for prop in EDGE_PROPERTIES
        for s, o in graph.subject_objects(prop)
        if isinstance(s, URIRef) and isinstance(o, URIRef)
    }
    return sorted(found)


def _iri(path: str) -> str:
    """A data IRI from its path under the id namespace (for examples and tests)."""
    return ID_NS + path


def document_files(graph: Graph) -> dict[Node, str]:
    """Document IRI -> file name (the IRI itself when the file name is missing)."""
    return {
        doc: _first(graph, doc, KG.fileName) or str(doc)
        for doc in graph.subjects(TYPE, KG.Document)
    }


def _node_classes(graph: Graph) -> dict[URIRef, tuple[str, str]]:
    """Every node IRI -> (top class, most specific class) local names."""
    found: dict[URIRef, tuple[str, str]] = {}
    for top in NODE_CLASSES:
        for subject in graph.subjects(TYPE, top):
            if isinstance(subject, URIRef) and subject not in found:
                found[subject] = (local_name(top), _specific_class(graph, subject, top))
    return found


def _specific_class(graph: Graph, subject: URIRef, top: URIRef) -> str:
    """The subclass the builder typed ``subject`` with beside its top class (or the top)."""
    specific = sorted(
        local_name(t)
        for t in graph.objects(subject, TYPE)
        if str(t).startswith(KG_NS) and str(t) not in _NODE_CLASS_IRIS
    )
    return specific[0] if specific else local_name(top)


def _attributes(
    graph: Graph, iri: URIRef, top: str, specific: str, files: dict[Node, str]
) -> dict[str, Any]:
    docs = set(graph.objects(iri, KG.mentionedIn)) | set(graph.objects(iri, DERIVED_FROM))
    attrs: dict[str, Any] = {
        "label": _label(graph, iri),
        "class": specific,
        "top_class": top,
        "aliases": sorted({str(a) for a in graph.objects(iri, ALT_LABEL)}),
        "documents": sorted({files.get(d, str(d)) for d in docs}),
    }
    optional = {
        "lat": _number(graph, iri, LAT),
        "lon": _number(graph, iri, LONG),
        "admin_code": _first(graph, iri, KG.adminCode),
        "mentions": _number(graph, iri, KG.mentionCount, int),
        "role": _first(graph, iri, KG.role),
    }
    attrs.update({k: v for k, v in optional.items() if v is not None})
    if top in RELATION_CLASSES:
        prop = KG.partnershipKind if top == "Partnership" else KG.achievementKind
        kinds = sorted({local_name(k) for k in graph.objects(iri, prop)})
        attrs["kinds"] = kinds
        attrs["kind"] = "|".join(kinds) or None
        attrs["date"] = _first(graph, iri, KG.date)
        sentences = _sentences(graph, iri)
        attrs["sentences"] = sentences
        attrs["evidence"] = sentences[0] if sentences else None
    if top == "Achievement":
        level = _first(graph, iri, KG.level)
        attrs["level"] = local_name(level) if level else None
        attrs["department"] = _first(graph, iri, KG.department)
    return attrs


def _sentences(graph: Graph, iri: URIRef) -> list[str]:
    """The relation's sentences in text order (its kg:Statement offsets); kg:evidence of a
    graph without statements, sorted."""
    found = []
    for st in graph.objects(iri, KG.statement):
        start = _number(graph, st, KG.evidenceStart, int)
        found += [
            (start if start is not None else -1, str(e)) for e in graph.objects(st, KG.evidence)
        ]
    if found:
        return [text for _, text in sorted(set(found))]
    return sorted({str(e) for e in graph.objects(iri, KG.evidence)})


def _label(graph: Graph, iri: URIRef) -> str:
    """rdfs:label@zh, else any label, else the IRI's local name; the smallest if several."""
    labels = [o for o in graph.objects(iri, LABEL) if isinstance(o, Literal)]
    chinese = sorted(str(o) for o in labels if (o.language or "").lower().startswith("zh"))
    other = sorted(str(o) for o in labels)
    return (chinese or other or [local_name(iri)])[0]


def _first(graph: Graph, subject: Node, prop: URIRef) -> str | None:
    """The smallest lexical value of a property: deterministic when a value is repeated."""
    values = list(graph.objects(subject, prop))
    if len(values) <= 1:
        return str(values[0]) if values else None
    return min(str(o) for o in values)


def _number(graph: Graph, subject: Node, prop: URIRef, kind: type = float) -> Any:
    value = _first(graph, subject, prop)
    try:
        return kind(value) if value is not None else None
    except ValueError:
        return None


# --- exports --------------------------------------------------------------------------------


def to_graphml(G: nx.Graph, path: str | os.PathLike[str]) -> Path:
    """Write GraphML for Gephi/Cytoscape; lists become ``"a|b"`` strings, None is dropped.

    GraphML attributes must be scalars, hence the flattening. The write is atomic.

    >>> import tempfile, networkx as nx
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = to_graphml(example_graph(), Path(tmp) / "kg.graphml")
    ...     H = nx.read_graphml(out, force_multigraph=True)
    >>> H.nodes[_iri("place/140400")]["aliases"]
    '长治'
    """
    if G.is_multigraph():
        edges = [
            (str(u), str(v), str(k), scalar_attributes(d))
            for u, v, k, d in G.edges(keys=True, data=True)
        ]
    else:
        edges = [(str(u), str(v), None, scalar_attributes(d)) for u, v, d in G.edges(data=True)]
    nodes = [(str(n), scalar_attributes(d)) for n, d in G.nodes(data=True)]
    return write_graphml(
        Path(path), nodes, edges, scalar_attributes(G.graph), directed=G.is_directed()
    )


def to_node_link_json(G: nx.Graph, path: str | os.PathLike[str]) -> Path:
    """Write networkx node-link JSON (D3 and ``nx.node_link_graph`` read it back).

    Nodes sorted by id and edges by (source, target, key), keys sorted, UTF-8 kept readable
    (``ensure_ascii=False``): the same graph always gives the same bytes. Atomic write.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = to_node_link_json(example_graph(), Path(tmp) / "kg.json")
    ...     data = json.loads(out.read_text(encoding="utf-8"))
    >>> data["directed"], data["multigraph"], len(data["nodes"])
    (True, True, 8)
    """
    import networkx as nx

    data = nx.node_link_data(G, edges="edges")
    data["nodes"].sort(key=lambda n: str(n["id"]))
    data["edges"].sort(key=lambda e: (str(e["source"]), str(e["target"]), str(e.get("key", ""))))
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=_jsonable)
    return atomic_write_bytes(Path(path), (text + "\n").encode("utf-8"))


def scalar_attributes(attrs: dict[str, Any]) -> dict[str, Any]:
    """Attributes as GraphML scalars: lists joined with ``|``, sets sorted, None dropped."""
    flat: dict[str, Any] = {}
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
            value = "|".join(str(item) for item in items)
        elif not isinstance(value, str | int | float | bool):
            value = str(value)
        flat[str(key)] = value
    return flat


def _jsonable(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


# --- example --------------------------------------------------------------------------------


def example_graph() -> nx.MultiDiGraph:
    """An eight-node graph in the shape of ``ontology/README.md``, for examples and doctests.

    山西省 > 长治市 > 长治市人民医院; 北京市 > 北京肿瘤医院; a 2023 cooperation 北京市—长治市,
    a cooperation between the two hospitals, and one honour of 长治市 (like networkx's
    ``karate_club_graph``, it lets every docstring show real output).

    >>> G = example_graph()
    >>> G.number_of_nodes(), G.number_of_edges()
    (8, 8)
    """
    return to_networkx(Graph().parse(data=_EXAMPLE_TTL, format="turtle"))


_EXAMPLE_TTL: Final = f"""
@prefix kg: <{KG_NS}> .
@prefix place: <{ID_NS}place/> .
@prefix org: <{ID_NS}org/> .
@prefix rel: <{ID_NS}partnership/> .
@prefix ach: <{ID_NS}achievement/> .
@prefix doc: <{ID_NS}doc/> .
@prefix rdfs: <{RDFS}> .
@prefix skos: <{SKOS}> .
@prefix prov: <{PROV}> .
@prefix xsd: <{XSD}> .
place:140000 a kg:Province, kg:Place ; rdfs:label "山西省"@zh ; kg:adminCode "140000" .
place:110000 a kg:Province, kg:Place ; rdfs:label "北京市"@zh ; kg:adminCode "110000" .
place:140400 a kg:City, kg:Place ; rdfs:label "长治市"@zh ; skos:altLabel "长治"@zh ;
    kg:adminCode "140400" ; kg:locatedIn place:140000 ; kg:mentionedIn doc:1cbb400f197c .
org:a1 a kg:Hospital, kg:Institution ; rdfs:label "长治市人民医院"@zh ;
    kg:locatedIn place:140400 .
org:b2 a kg:Hospital, kg:Institution ; rdfs:label "北京肿瘤医院"@zh ; kg:locatedIn place:110000 .
rel:c3 a kg:Partnership ; rdfs:label "北京市—长治市 合作"@zh ;
    kg:partner place:110000, place:140400 ; kg:partnershipKind kg:cooperation ;
    kg:date "2023"^^xsd:gYear ; prov:wasDerivedFrom doc:1cbb400f197c .
rel:d4 a kg:Partnership ; rdfs:label "长治市人民医院—北京肿瘤医院 合作"@zh ;
    kg:partner org:a1, org:b2 ; kg:partnershipKind kg:cooperation .
ach:e5 a kg:Achievement ; rdfs:label "全省人口和生育政策保障工作先进市"@zh ;
    kg:achievedBy place:140400 ; kg:achievementKind kg:honour ; kg:date "2023-06"^^xsd:gYearMonth .
doc:1cbb400f197c a kg:Document ; kg:fileName "000_1cbb400f197cc45a.txt" .
"""
