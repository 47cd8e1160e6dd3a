"""``kg query``: run SPARQL over the built graph, with the project prefixes predeclared.

The query is a SPARQL string, a ``.rq`` file, or the name of one of the example
queries in ``ontology/queries/`` (``kg query --list``). The graph is the Turtle
file ``output/kg.ttl`` loaded into rdflib, or, with ``--store DIR``, the on-disk
pyoxigraph store that ``kg build --store`` writes (much faster on large graphs).

Both engines' answers are converted to one neutral shape (:class:`QueryResult`)
so the three output formats do not care which engine ran:

* ``table`` (default): for people. IRIs shortened with the project prefixes,
  literals without quotes, columns aligned on display width (CJK characters
  count as two columns), long cells cut with an ellipsis.
* ``csv``: the W3C *SPARQL 1.1 Query Results CSV Format* (header of variable
  names, full IRIs, lexical forms, CRLF line ends).
* ``json``: the W3C *SPARQL 1.1 Query Results JSON Format*
  (``{"head": {"vars": [...]}, "results": {"bindings": [...]}}``), which keeps
  term types, datatypes and language tags, and which SPARQL tooling reads.

ASK queries give a boolean; CONSTRUCT/DESCRIBE queries give their triples as
rows of ``subject predicate object``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as KindLiteral

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from kg.errors import QueryError
from kg.io import one_line, read_rdf
from kg.prefixes import PREFIXES, shorten

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
#: Where the named example queries live: ``NAME.rq``, first line ``# description``.
QUERIES_DIR = ONTOLOGY_DIR / "queries"
#: Where ``kg build`` writes the graph (relative to the working directory).
DEFAULT_GRAPH = Path("output") / "kg.ttl"
#: Cells longer than this many display columns are cut in table output (0: never).
DEFAULT_MAX_WIDTH = 60

FORMATS = ("table", "csv", "json")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_OXIGRAPH_ERROR_RE = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_PREFIX_ERROR_RE = re.compile(r"Unknown namespace prefix : (\S*)")
_PREFIXED_NAME_END_RE = re.compile(r"([A-Za-z][\w.-]*):[\w.-]*$")
_PYPARSING_WHERE_RE = re.compile(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)")
_PLAIN_DATATYPES = {str(XSD.string), str(RDF.langString)}
_NUMERIC_DATATYPES = {
    str(XSD[name])
    for name in (
        "integer",
        "decimal",
        "double",
        "float",
        "int",
        "long",
        "short",
        "nonNegativeInteger",
        "positiveInteger",
    )
}


# ---------------------------------------------------------------- result model


@dataclass(frozen=True)
class Term:
    """An RDF term, independent of the engine that produced it."""

    kind: KindLiteral["uri", "bnode", "literal"]
    value: str
    lang: str | None = None
    datatype: str | None = None  # None for simple and language-tagged literals

    def display(self) -> str:
        """What a person wants to read in a table cell."""
        if self.kind == "uri":
            return shorten(self.value)
        if self.kind == "bnode":
            return f"_:{self.value}"
        return self.value

    def is_numeric(self) -> bool:
        return self.kind == "literal" and self.datatype in _NUMERIC_DATATYPES


@dataclass(frozen=True)
class QueryResult:
    """A SELECT table (``variables``, ``rows``) or an ASK answer (``boolean``)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]
    boolean: bool | None = None


@dataclass(frozen=True)
class NamedQuery:
    """An example query shipped in ``ontology/queries``."""

    name: str
    path: Path
    description: str


# ---------------------------------------------------------------- finding the query


def named_queries(directory: Path = QUERIES_DIR) -> list[NamedQuery]:
    """The shipped queries, sorted by name; the description is the first comment line."""
    return [
        NamedQuery(path.stem, path, _description(path)) for path in sorted(directory.glob("*.rq"))
    ]


def _description(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
        if line.strip():
            break
    return ""


def resolve_query(query_or_file: str, directory: Path = QUERIES_DIR) -> str:
    """The SPARQL text meant by a query string, a ``.rq`` path or a named query."""
    if _is_existing_file(query_or_file):
        return Path(query_or_file).read_text(encoding="utf-8")
    if _NAME_RE.match(query_or_file):
        name = query_or_file.removesuffix(".rq")
        path = directory / f"{name}.rq"
        if path.is_file():
            return path.read_text(encoding="utf-8")
        raise QueryError(
            f"no query file or named query {query_or_file!r} (kg query --list shows the names)"
        )
    return query_or_file


def _is_existing_file(text: str) -> bool:
    if "\n" in text or len(text) > 1024:
        return False
    try:
        return Path(text).is_file()
    except OSError:
        return False


# ---------------------------------------------------------------- running it


def load_graph(path: Path) -> Graph:
    """Parse the graph to query, or raise QueryError."""
    missing = f"graph not found: {path} (run kg build, or give --graph)"
    return read_rdf(path, missing=missing, error=QueryError)


def run_query(text: str, graph: Graph) -> QueryResult:
    """Run SPARQL on an rdflib graph, the project prefixes predeclared."""
    try:
        prepared = prepareQuery(text, initNs=dict(PREFIXES))
    except Exception as exc:
        raise _syntax_error(text, exc) from exc
    try:
        result = graph.query(prepared)
    except Exception as exc:
        raise QueryError(f"query failed: {one_line(str(exc))}") from exc
    if result.type == "ASK":
        return QueryResult(variables=(), rows=(), boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None
        return _graph_result(result.graph)
    variables = tuple(str(v) for v in result.vars or ())
    rows = tuple(tuple(_term(row[i]) for i in range(len(variables))) for row in result)
    return QueryResult(variables=variables, rows=rows)


def run_query_on_store(text: str, store_dir: Path) -> QueryResult:
    """Run SPARQL on an on-disk pyoxigraph store (opened read-only, all graphs as default)."""
    if not store_dir.is_dir():
        raise QueryError(f"store not found: {store_dir} (kg build --store DIR writes one)")
    try:
        store = ox.Store.read_only(str(store_dir))
    except OSError as exc:
        raise QueryError(f"cannot open store {store_dir}: {one_line(str(exc))}") from exc
    try:
        result = store.query(text, prefixes=dict(PREFIXES), use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise _syntax_error(text, exc) from exc
    except OSError as exc:
        raise QueryError(f"query failed: {one_line(str(exc))}") from exc
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(variables=(), rows=(), boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        return _triples_result(
            (_ox_term(t.subject), _ox_term(t.predicate), _ox_term(t.object)) for t in result
        )
    variables = tuple(v.value for v in result.variables)
    rows = tuple(tuple(_ox_term(solution[v]) for v in variables) for solution in result)
    return QueryResult(variables=variables, rows=rows)


def _graph_result(triples: Iterable[tuple[Node, Node, Node]]) -> QueryResult:
    return _triples_result((_term(s), _term(p), _term(o)) for s, p, o in triples)


def _triples_result(rows: Iterable[tuple[Term | None, ...]]) -> QueryResult:
    """CONSTRUCT/DESCRIBE triples as a sorted subject/predicate/object table."""
    return QueryResult(
        variables=("subject", "predicate", "object"), rows=tuple(sorted(rows, key=_row_key))
    )


def _term(node: Node | None) -> Term | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        return Term("uri", str(node))
    if isinstance(node, BNode):
        return Term("bnode", str(node))
    if isinstance(node, Literal):
        datatype = str(node.datatype) if node.datatype is not None else None
        if datatype in _PLAIN_DATATYPES:
            datatype = None
        return Term("literal", str(node), lang=node.language, datatype=datatype)
    return Term("literal", str(node))


def _ox_term(node: object) -> Term | None:
    if node is None:
        return None
    if isinstance(node, ox.NamedNode):
        return Term("uri", node.value)
    if isinstance(node, ox.BlankNode):
        return Term("bnode", node.value)
    if isinstance(node, ox.Literal):
        datatype = node.datatype.value
        return Term(
            "literal",
            node.value,
            lang=node.language,
            datatype=None if datatype in _PLAIN_DATATYPES else datatype,
        )
    return Term("literal", str(node))


def _row_key(row: Sequence[Term | None]) -> tuple[tuple[str, str], ...]:
    return tuple((t.kind, t.value) if t else ("", "") for t in row)


def _syntax_error(text: str, exc: Exception) -> QueryError:
    """One line with line, column and the text there, whichever engine complained."""
    line: int | None = getattr(exc, "lineno", None)
    col: int | None = getattr(exc, "col", None)
    message = _PYPARSING_WHERE_RE.sub("", str(exc))  # rdflib: "Expected X, found 'Y' (at …)"
    match = _OXIGRAPH_ERROR_RE.match(str(exc))
    if match:
        line, col, message = int(match[1]), int(match[2]), match[3]
    prefix = _PREFIX_ERROR_RE.search(str(exc))
    if prefix is None and "Prefix not found" in message and line is not None and col is not None:
        prefix = _PREFIXED_NAME_END_RE.search(_source_line(text, line)[: col - 1])
    if prefix is not None:
        message = f"unknown prefix {prefix[1]!r}"
        line, col = _locate(text, f"{prefix[1]}:")
    message = _shorten_message(one_line(message))
    if line is None or col is None:
        return QueryError(f"malformed SPARQL query: {message}")
    near = _shorten_message(_source_line(text, line)[col - 1 :].strip(), 40)
    near_text = f" near {near!r}" if near else ""
    return QueryError(f"malformed SPARQL query at line {line}, column {col}{near_text}: {message}")


def _locate(text: str, needle: str) -> tuple[int | None, int | None]:
    index = text.find(needle)
    if index < 0:
        return None, None
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def _source_line(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 1 <= line <= len(lines) else ""


def _shorten_message(message: str, limit: int = 160) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


# ---------------------------------------------------------------- output formats


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: wide/fullwidth (CJK) chars 2, combining marks 0."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _fit(text: str, max_width: int) -> str:
    """Cut ``text`` to ``max_width`` display columns, marking the cut with an ellipsis."""
    text = one_line(text)
    if max_width <= 0 or display_width(text) <= max_width:
        return text
    out: list[str] = []
    width = 0
    for char in text:
        char_width = display_width(char)
        if width + char_width > max_width - 1:
            break
        out.append(char)
        width += char_width
    return "".join(out) + "…"


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def format_table(result: QueryResult, max_width: int = DEFAULT_MAX_WIDTH) -> str:
    """An aligned text table with a row count, for reading in a terminal."""
    if result.boolean is not None:
        return "yes" if result.boolean else "no"
    if not result.variables:
        return "(no columns)"
    cells = [[_fit(t.display(), max_width) if t else "" for t in row] for row in result.rows]
    widths = [
        max([display_width(name)] + [display_width(row[i]) for row in cells])
        for i, name in enumerate(result.variables)
    ]
    numeric = [
        bool(result.rows) and all(row[i] is None or row[i].is_numeric() for row in result.rows)
        for i in range(len(result.variables))
    ]
    lines = [
        " | ".join(
            _pad(n, w, r) for n, w, r in zip(result.variables, widths, numeric, strict=True)
        ),
        "-+-".join("-" * w for w in widths),
    ]
    lines += [
        " | ".join(_pad(c, w, r) for c, w, r in zip(row, widths, numeric, strict=True))
        for row in cells
    ]
    lines = [line.rstrip() for line in lines]
    count = len(result.rows)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(lines)


def format_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV: header of variables, full IRIs, lexical forms."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.boolean is not None:
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(t) for t in row])
    return buffer.getvalue()


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    return f"_:{term.value}" if term.kind == "bnode" else term.value


def format_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON (``head``/``results``/``bindings``, or ``boolean``)."""
    if result.boolean is not None:
        document: dict[str, object] = {"head": {}, "boolean": result.boolean}
    else:
        bindings = [
            {
                name: _json_term(term)
                for name, term in zip(result.variables, row, strict=True)
                if term is not None
            }
            for row in result.rows
        ]
        document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=2)


def _json_term(term: Term) -> dict[str, str]:
    out = {"type": term.kind, "value": term.value}
    if term.lang:
        out["xml:lang"] = term.lang
    elif term.datatype:
        out["datatype"] = term.datatype
    return out


def format_result(result: QueryResult, fmt: str, max_width: int = DEFAULT_MAX_WIDTH) -> str:
    if fmt == "csv":
        return format_csv(result)
    if fmt == "json":
        return format_json(result) + "\n"
    return format_table(result, max_width) + "\n"


def format_query_list(queries: Sequence[NamedQuery]) -> str:
    """``name  description`` lines, names padded to one column."""
    if not queries:
        return "(no named queries)\n"
    width = max(len(q.name) for q in queries)
    return "".join(f"{q.name.ljust(width)}  {q.description}\n" for q in queries)


# ---------------------------------------------------------------- command line


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "query",
        help="run a SPARQL query (string, .rq file or named query) over the graph",
        description=(
            "Run SPARQL over the built graph. QUERY_OR_FILE is a SPARQL string, a .rq file, "
            "or the name of a query in ontology/queries (see --list). The prefixes "
            + ", ".join(PREFIXES)
            + " are predeclared."
        ),
    )
    parser.add_argument("query", nargs="?", metavar="QUERY_OR_FILE", help="query, file or name")
    parser.add_argument(
        "--graph",
        type=Path,
        default=DEFAULT_GRAPH,
        help=f"Turtle graph to query (default: {DEFAULT_GRAPH})",
    )
    parser.add_argument(
        "--store",
        type=Path,
        metavar="DIR",
        help="query this on-disk pyoxigraph store instead of loading --graph",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (aligned, for people), csv or json (W3C SPARQL 1.1 results formats)",
    )
    parser.add_argument(
        "--max-width",
        type=int,
        default=DEFAULT_MAX_WIDTH,
        help=f"cut table cells wider than this (default {DEFAULT_MAX_WIDTH}; 0: never)",
    )
    parser.add_argument(
        "--list", action="store_true", help="list the named queries with their descriptions"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.list:
        print(format_query_list(named_queries()), end="")
        return 0
    if not args.query:
        raise QueryError("give a SPARQL query, a .rq file or a query name (kg query --list)")
    text = resolve_query(args.query)
    if args.store is not None:
        result = run_query_on_store(text, args.store)
    else:
        result = run_query(text, load_graph(args.graph))
    print(format_result(result, args.format, args.max_width), end="")
    return 0
