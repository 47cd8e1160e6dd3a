"""A built kg.ttl cut into named graphs: one per report, one shared (kg push, kg build --store).

* one graph per report, named by its ``kg:Document`` IRI: the Document node's triples and those
  of every node ``prov:wasDerivedFrom`` that one document (partnerships, achievements);
* everything else (ontology, and the places, institutions, programs and people merged across
  reports) in one shared graph, :data:`SHARED_GRAPH`. A named graph rather than the default
  graph: replacing it never touches other data, and some stores make the default graph the
  union of all graphs. A node derived from several reports is shared too; a blank node goes
  with the subject naming it, relabelled in order of appearance so that the same kg.ttl always
  gives the same bytes.

Re-extracting a report therefore replaces exactly its graph, wherever the graphs are loaded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError, KGError
from kg.io import one_line
from kg.vocab import KG_NS as _KG

SHARED_GRAPH = "https://w3id.org/cn-health-kg/id/graph/shared"
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"


@dataclass
class NamedGraph:
    """One graph to send: its IRI, what it is for people, and its N-Triples lines."""

    iri: str
    label: str  # the report's file name, or "shared"
    lines: list[bytes] = field(default_factory=list)

    def payload(self) -> bytes:
        return b"".join(sorted(self.lines))


def partition(path: Path, error: type[KGError] = InputError) -> list[NamedGraph]:
    """The shared graph, then one graph per report (by file name), read from Turtle ``path``."""
    if not path.is_file():
        raise error(f"graph not found: {path} (run kg build, or give --ttl)")
    by_subject: dict[str, list[bytes]] = defaultdict(list)
    derived: dict[str, set[str]] = defaultdict(set)
    documents: set[str] = set()
    file_names: dict[str, str] = {}
    bnode_owner: dict[str, str] = {}  # a blank node goes with the first subject naming it
    bnodes: dict[str, str] = {}  # relabelled by first appearance: same input, same payload

    def term(node: object) -> str:
        if isinstance(node, ox.BlankNode):
            return bnodes.setdefault(node.value, f"_:b{len(bnodes)}")
        return str(node)

    try:
        for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
            s, p, o = term(quad.subject), quad.predicate.value, term(quad.object)
            by_subject[s].append(f"{s} <{p}> {o} .\n".encode())
            if p == _TYPE and o == f"<{_KG}Document>" and s.startswith("<"):
                documents.add(s)
            elif p == _DERIVED_FROM:
                derived[s].add(o)
            elif p == f"{_KG}fileName" and isinstance(quad.object, ox.Literal):
                file_names.setdefault(s, quad.object.value)
            if o.startswith("_:"):
                bnode_owner.setdefault(o, s)
    except SyntaxError as exc:
        raise error(f"cannot parse {path}: {one_line(str(exc))}") from exc
    except (OSError, ValueError) as exc:
        raise error(f"cannot read {path}: {one_line(str(exc))}") from exc

    def graph_of(subject: str, seen: frozenset[str] = frozenset()) -> str:
        if subject in documents:
            return subject
        owner = bnode_owner.get(subject)
        if owner is not None and owner not in seen:
            return graph_of(owner, seen | {subject})
        sources = derived.get(subject, set())
        if len(sources) == 1 and next(iter(sources)) in documents:
            return next(iter(sources))
        return SHARED_GRAPH  # several sources or none: shared across reports

    graphs = {SHARED_GRAPH: NamedGraph(SHARED_GRAPH, "shared")}
    for doc in documents:
        graphs[doc] = NamedGraph(doc[1:-1], file_names.get(doc, doc[1:-1]))
    for subject, lines in by_subject.items():
        graphs[graph_of(subject)].lines.extend(lines)
    by_subject.clear()
    return [graphs.pop(SHARED_GRAPH), *sorted(graphs.values(), key=lambda g: (g.label, g.iri))]
