"""The project's namespace prefixes, declared once.

The Turtle writer binds them (so ``output/kg.ttl`` reads ``kg:City``, not a
full IRI), ``kg query`` predeclares them (so users write no ``PREFIX`` lines)
and table output shortens IRIs with them. Keeping a single immutable mapping
means the three can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from rdflib import Graph
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.vocab import GEO, ID_NS, KG_NS, ORG, SCHEMA

#: The vocabularies: the ontology, the data namespace and the standards the ontology reuses.
VOCABULARY_PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        "kg": KG_NS,
        "id": ID_NS,
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "owl": str(OWL),
        "xsd": str(XSD),
        "skos": str(SKOS),
        "prov": str(PROV),
        "geo": str(GEO),
        "schema": str(SCHEMA),
        "org": str(ORG),
        "dcterms": str(DCTERMS),
    }
)

#: One prefix per kind of data resource, so IRIs read ``place:140400``, ``doc:1cbb400f197c``
#: (valid prefixed names, unlike ``id:place/140400``). ``inst:`` because ``org:`` is W3C ORG.
DATA_PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        "place": ID_NS + "place/",
        "inst": ID_NS + "org/",
        "program": ID_NS + "program/",
        "person": ID_NS + "person/",
        "partnership": ID_NS + "partnership/",
        "achievement": ID_NS + "achievement/",
        "statement": ID_NS + "statement/",
        "doc": ID_NS + "doc/",
    }
)

#: prefix -> namespace IRI: everything the Turtle header declares and ``kg query`` predeclares.
PREFIXES: Mapping[str, str] = MappingProxyType({**VOCABULARY_PREFIXES, **DATA_PREFIXES})

# Longest namespace first, so an IRI is shortened with the most specific prefix
# (e.g. ``id:`` rather than a shorter namespace that happens to be its prefix).
_BY_LENGTH: tuple[tuple[str, str], ...] = tuple(
    sorted(PREFIXES.items(), key=lambda item: len(item[1]), reverse=True)
)


def sparql_prologue() -> str:
    """``PREFIX`` lines for all project prefixes (for engines that take no prefix map)."""
    return "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in PREFIXES.items())


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every project prefix on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def shorten(iri: str) -> str:
    """``kg:City`` for a project IRI, the IRI unchanged otherwise.

    The most specific namespace wins (``place:140400``, not ``id:place/140400``).
    Meant for display only: the local part is not escaped, so the result is not
    always a valid SPARQL/Turtle prefixed name.
    """
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri
