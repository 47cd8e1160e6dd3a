"""``kg validate``: check a built graph against ``ontology/shapes.ttl`` with pyshacl.

Design choice: inference ``"none"``, with ``ontology/kg.ttl`` merged into (a copy
of) the data graph. SHACL already follows ``rdfs:subClassOf`` when it selects the focus
nodes of ``sh:targetClass`` and checks ``sh:class``, so the ontology's class
hierarchy is all the shapes need. RDFS inference would add nothing the shapes use,
would cost a full closure of the data graph (several times slower), and would hide
a real contract break: the builder must *assert* both the specific and the top-level
class of every resource, which only a non-inferring run can see.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from kg.io import one_line, read_rdf
from kg.prefixes import shorten

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
#: The OWL ontology mixed into the data graph before validation.
DEFAULT_ONTOLOGY = ONTOLOGY_DIR / "kg.ttl"
#: The SHACL shapes of the data-shape contract.
DEFAULT_SHAPES = ONTOLOGY_DIR / "shapes.ttl"
#: Where ``kg build`` writes the graph (relative to the working directory).
DEFAULT_DATA = Path("output") / "kg.ttl"
#: Longer literal values (evidence sentences) are cut in the report, to keep one line readable.
MAX_VALUE_CHARS = 40


@dataclass(frozen=True)
class Violation:
    """One SHACL result, reduced to what a person needs to find and fix it."""

    focus: str
    label: str | None
    path: str | None
    message: str
    value: str | None
    severity: str
    shape: str

    def format(self) -> str:
        """One line: focus node with its label, path, message (and the offending value)."""
        focus = f"{self.focus} 「{self.label}」" if self.label else self.focus
        where = f"{focus}  {self.path}" if self.path else focus
        line = f"{where}: {self.message}"
        if self.value is not None:
            line += f" (value: {self.value})"
        if self.severity != "Violation":
            line = f"[{self.severity}] {line}"
        return line


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one graph: ``conforms`` and the sorted violations."""

    conforms: bool
    violations: tuple[Violation, ...]
    results_text: str

    def lines(self) -> list[str]:
        """The readable report: one line per violation, then a summary line."""
        return [v.format() for v in self.violations] + [self.summary()]

    def summary(self) -> str:
        if self.conforms:
            return "conforms: 0 violations"
        nodes = len({v.focus for v in self.violations})
        plural = "" if len(self.violations) == 1 else "s"
        node_plural = "" if nodes == 1 else "s"
        return (
            f"does not conform: {len(self.violations)} violation{plural} "
            f"on {nodes} node{node_plural}"
        )


def load_graph(path: Path, what: str) -> Graph:
    """Parse an RDF file (format from its suffix, Turtle by default) or raise InputError."""
    return read_rdf(path, what=what)


def validate_graph(
    data: Graph,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
) -> ValidationReport:
    """Validate ``data`` against the project shapes (or ``shapes``); ``data`` is not modified."""
    shapes = shapes if shapes is not None else load_graph(DEFAULT_SHAPES, "shapes")
    ontology = ontology if ontology is not None else load_graph(DEFAULT_ONTOLOGY, "ontology")
    conforms, results, text = pyshacl.validate(
        _with_ontology(data, ontology),
        shacl_graph=shapes,
        inference="none",
        inplace=True,  # on our private copy: pyshacl need not clone it again
        allow_warnings=False,
    )
    # A value can break two constraints of one shape (datatype and range) with the same
    # message: print it once.
    violations = tuple(sorted(set(_violations(results, data)), key=_sort_key))
    return ValidationReport(conforms=bool(conforms), violations=violations, results_text=text)


class _PreparedQueryGraph(Graph):
    """A graph that parses each distinct SPARQL text once.

    pyshacl runs a SHACL-SPARQL constraint as one query per focus node, always the
    same text with ``$this`` passed as a binding, and rdflib re-parses the text on
    every call: parsing, not matching, dominated validation time (a graph of 27k
    triples and 1,000 relations took 24 s instead of 5 s). The cache lives on this
    private graph, so nothing outlives a run.
    """

    def __init__(self) -> None:
        super().__init__()
        self._prepared: dict[tuple[str, tuple[tuple[str, str], ...]], Query] = {}

    def query(  # type: ignore[override]
        self,
        query_object: str | Query,
        processor: str = "sparql",
        result: str = "sparql",
        initNs: Mapping[str, Any] | None = None,  # rdflib's parameter names
        initBindings: Mapping[str, Node] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str):
            namespaces = dict(initNs or self.namespaces())
            key = (query_object, tuple(sorted((p, str(n)) for p, n in namespaces.items())))
            if key not in self._prepared:
                self._prepared[key] = prepareQuery(query_object, initNs=namespaces)
            query_object = self._prepared[key]
        return super().query(
            query_object,
            processor,
            result,
            initNs,
            initBindings,
            use_store_provided,
            **kwargs,
        )


def _with_ontology(data: Graph, ontology: Graph) -> Graph:
    """A new graph holding the data and the whole ontology.

    pyshacl's own ``ont_graph`` mixing copies only RDFS/OWL axioms, but the shapes
    also need the SKOS facts (``kg:cooperation skos:inScheme kg:PartnershipKind``),
    so the ontology is merged whole, as ``kg build`` does in ``output/kg.ttl``.
    """
    combined = _PreparedQueryGraph()
    combined += data
    combined += ontology
    return combined


def _violations(results: Graph, data: Graph) -> Iterable[Violation]:
    # Only the report's top-level results: nested sh:detail results (from sh:node)
    # restate the same problem from the referenced shape's point of view.
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        yield Violation(
            focus=_show(focus),
            label=_label(data, focus),
            path=_show_path(results, results.value(result, SH.resultPath)),
            message=one_line(str(message)) if message is not None else "constraint violated",
            value=_show(value) if value is not None and value != focus else None,
            severity=_local_name(severity) if severity is not None else "Violation",
            shape=_show(results.value(result, SH.sourceShape)),
        )


def _sort_key(v: Violation) -> tuple[str, str, str, str]:
    return (v.focus, v.path or "", v.message, v.value or "")


def _label(data: Graph, node: Node | None) -> str | None:
    """The node's Chinese label, else any label: lets the reader recognise the entity."""
    if node is None:
        return None
    labels = [o for o in data.objects(node, RDFS.label) if isinstance(o, Literal)]
    labels.sort(key=lambda lit: (lit.language != "zh", str(lit)))
    return str(labels[0]) if labels else None


def _show(node: Node | None) -> str:
    if node is None:
        return "?"
    if isinstance(node, URIRef):
        return shorten(str(node))
    if isinstance(node, Literal):
        text = one_line(str(node))
        if len(text) > MAX_VALUE_CHARS:
            text = text[: MAX_VALUE_CHARS - 1] + "…"
        if node.language:
            return f'"{text}"@{node.language}'
        if node.datatype is not None:
            return f'"{text}"^^{shorten(str(node.datatype))}'
        return f'"{text}"'
    return f"_:{node}"


def _show_path(results: Graph, path: Node | None) -> str | None:
    """A property path as SPARQL-ish text (``prov:wasDerivedFrom/kg:characterCount``)."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return shorten(str(path))
    inverse = results.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_show_path(results, inverse)}"
    if results.value(path, RDF.first) is not None:
        items = [_show_path(results, item) or "?" for item in results.items(path)]
        return "/".join(items)
    return _show(path)


def _local_name(iri: Node) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


# ---------------------------------------------------------------- command line


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check a built graph against the SHACL shapes of the data contract",
        description=(
            "Validate a graph with pyshacl against ontology/shapes.ttl, with ontology/kg.ttl "
            "mixed in and no inference. Prints one line per violation (focus node and its "
            "label, path, message) and a summary. Exit 0 when the graph conforms, 1 otherwise."
        ),
    )
    parser.add_argument(
        "file",
        nargs="?",
        type=Path,
        default=DEFAULT_DATA,
        help=f"graph to validate (default: {DEFAULT_DATA})",
    )
    parser.add_argument(
        "--shapes",
        type=Path,
        default=DEFAULT_SHAPES,
        help="SHACL shapes file (default: ontology/shapes.ttl)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    data = load_graph(args.file, "graph")
    shapes = load_graph(args.shapes, "shapes")
    report = validate_graph(data, shapes=shapes)
    for line in report.lines():
        print(line)
    return 0 if report.conforms else 1
