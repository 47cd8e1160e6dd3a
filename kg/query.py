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
* ``csv``: for spreadsheets: a header of variable names, IRIs shortened as in
  the table, literals with their line breaks made spaces, CRLF line ends.
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
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as KindLiteral

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF, XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from kg.deadline import run_with_deadline
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
#: Seconds a query may run before it is stopped (``--timeout``).
DEFAULT_TIMEOUT = 60.0

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
class Param:
    """A parameter a query declares in a comment: ``# @param name = 长治市 (zh): what it is``.

    ``kind`` says how a value given with ``--param name=VALUE`` becomes an RDF term: ``zh``
    a literal tagged @zh (the labels of this graph), ``string`` a plain literal, ``integer``,
    or ``iri`` (a full IRI or a prefixed name such as place:140400). The value is bound to the
    variable ``?name`` by the engine (initBindings, substitutions), never pasted into the text.
    """

    name: str
    default: str
    kind: str
    description: str

    def usage(self) -> str:
        return f"--param {self.name}=… ({self.kind}, default {self.default}): {self.description}"


@dataclass(frozen=True)
class NamedQuery:
    """An example query shipped in ``ontology/queries``."""

    name: str
    path: Path
    description: str
    params: tuple[Param, ...] = ()


# ---------------------------------------------------------------- finding the query


def named_queries(directory: Path = QUERIES_DIR) -> list[NamedQuery]:
    """The shipped queries, sorted by name; the description is the first comment line."""
    out = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        out.append(NamedQuery(path.stem, path, _description(path), query_params(text)))
    return out


_PARAM_RE = re.compile(
    r"^#\s*@param\s+([A-Za-z_]\w*)\s*=\s*(\S+)\s*\((zh|string|integer|iri)\)\s*:?\s*(.*)$"
)


def query_params(text: str) -> tuple[Param, ...]:
    """The ``# @param`` declarations of a query text, in order."""
    out = []
    for line in text.splitlines():
        m = _PARAM_RE.match(line.strip())
        if m:
            out.append(Param(m.group(1), m.group(2), m.group(3), m.group(4).strip()))
    return tuple(out)


def bind_params(text: str, given: Sequence[str] = ()) -> dict[str, Term]:
    """The value of every declared parameter (its default unless ``NAME=VALUE`` is given)."""
    declared = {p.name: p for p in query_params(text)}
    values = {name: p.default for name, p in declared.items()}
    for item in given:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise QueryError(f"--param wants NAME=VALUE, got {item!r}")
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise QueryError(f"the query has no parameter {name!r} (its parameters: {known})")
        values[name] = value
    return {name: _param_term(declared[name], value) for name, value in values.items()}


def _param_term(param: Param, value: str) -> Term:
    if param.kind == "zh":
        return Term("literal", value, lang="zh")
    if param.kind == "string":
        return Term("literal", value)
    if param.kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise QueryError(f"--param {param.name} wants an integer, got {value!r}")
        return Term("literal", str(int(value)), datatype=str(XSD.integer))
    iri = _expand(value)
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+", iri):
        raise QueryError(f"--param {param.name} wants an IRI or a prefixed name, got {value!r}")
    return Term("uri", iri)


def _expand(value: str) -> str:
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return str(PREFIXES[prefix]) + local
    return value


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
    if _looks_like_path(query_or_file):
        raise QueryError(f"file not found: {query_or_file}")
    return query_or_file


def _looks_like_path(text: str) -> bool:
    """/tmp/nope.rq, queries/x.rq, ./q: no SPARQL has a path shape and no braces."""
    if "{" in text or "\n" in text or len(text) > 1024:
        return False
    return text.endswith(".rq") or (("/" in text or "\\" in text) and " " not in text.strip())


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


def check_local(text: str, allow_service: bool = False) -> None:
    """``SERVICE <…>`` sends the query to another server: refused unless allowed."""
    if not allow_service and _SERVICE_RE.search(_code_only(text)):
        raise QueryError(
            "the query uses SERVICE, which would send it over the network; kg query is local "
            "(give --allow-service to allow it)"
        )


_SERVICE_RE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_STRING_OR_COMMENT_RE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s"]*>|#[^\n]*'
)


def _code_only(text: str) -> str:
    """The query without its strings, IRIs and comments (a label may say SERVICE)."""
    return _STRING_OR_COMMENT_RE.sub(" ", text)


#: A plain string literal used as a value ("长治市" with no @zh and no ^^).
_PLAIN_LITERAL_RE = re.compile(r'"([^"\\\n]{1,80})"(?!\s*(?:@|\^\^))')


def plain_literal_hint(text: str, result: QueryResult) -> str | None:
    """Why an empty answer may be empty: labels here are tagged @zh, a plain string is not."""
    if result.boolean is not None or result.rows:
        return None
    code = re.sub(r"#[^\n]*", " ", text)
    found = [m.group(1) for m in _PLAIN_LITERAL_RE.finditer(code) if _has_cjk(m.group(1))]
    if not found:
        return None
    example = found[0]
    return (
        f'no rows: the query compares the plain string "{example}", but the labels of this '
        f'graph are tagged @zh and a plain string never equals them; write "{example}"@zh '
        "(or compare STR(?label))"
    )


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def run_query(text: str, graph: Graph, bindings: dict[str, Term] | None = None) -> QueryResult:
    """Run SPARQL on an rdflib graph, the project prefixes predeclared."""
    try:
        prepared = prepareQuery(text, initNs=dict(PREFIXES))
    except Exception as exc:
        raise _syntax_error(text, exc) from exc
    if bindings is None:  # a query's declared parameters take their defaults
        bindings = bind_params(text)
    init = {Variable(k): _rdflib_node(v) for k, v in bindings.items()}
    try:
        result = graph.query(prepared, initBindings=init) if init else graph.query(prepared)
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


def _rdflib_node(term: Term) -> Node:
    if term.kind == "uri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    datatype = URIRef(term.datatype) if term.datatype else None
    return Literal(term.value, lang=term.lang, datatype=datatype)


def _with_values(text: str, bindings: dict[str, Term]) -> str:
    """The query with its parameters bound by a trailing VALUES block (pyoxigraph's own
    substitutions need the variable projected). Each value is written by pyoxigraph's term
    serialiser (N-Triples escaping), so a value cannot change the query around it."""
    if not bindings:
        return text
    names = sorted(bindings)
    values = " ".join(str(_ox_node(bindings[n])) for n in names)
    variables = " ".join(f"?{n}" for n in names)
    return f"{text}\nVALUES ({variables}) {{ ({values}) }}\n"


def _ox_node(term: Term) -> object:
    if term.kind == "uri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    if term.datatype:
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
    return ox.Literal(term.value)


def run_query_on_store(
    text: str, store_dir: Path, bindings: dict[str, Term] | None = None
) -> QueryResult:
    """Run SPARQL on an on-disk pyoxigraph store (opened read-only, all graphs as default)."""
    if not store_dir.is_dir():
        raise QueryError(f"store not found: {store_dir} (kg build --store DIR writes one)")
    try:
        store = ox.Store.read_only(str(store_dir))
    except OSError as exc:
        raise QueryError(f"cannot open store {store_dir}: {one_line(str(exc))}") from exc
    try:
        if bindings is None:
            bindings = bind_params(text)
        result = store.query(
            _with_values(text, bindings), prefixes=dict(PREFIXES), use_default_graph_as_union=True
        )
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


def result_to_data(result: QueryResult) -> dict[str, object]:
    """Plain JSON-able data (what a query child process sends back)."""
    return {
        "variables": list(result.variables),
        "rows": [
            [None if t is None else [t.kind, t.value, t.lang, t.datatype] for t in row]
            for row in result.rows
        ],
        "boolean": result.boolean,
    }


def result_from_data(data: dict[str, object]) -> QueryResult:
    rows = data["rows"]
    assert isinstance(rows, list)
    variables = data["variables"]
    assert isinstance(variables, list)
    boolean = data["boolean"]
    return QueryResult(
        variables=tuple(str(v) for v in variables),
        rows=tuple(tuple(None if t is None else Term(*t) for t in row) for row in rows),
        boolean=None if boolean is None else bool(boolean),
    )


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
    """A CSV table for spreadsheets: header of variables, IRIs shortened with the project
    prefixes (kg:coConstruction), literals as lexical forms with their whitespace runs (line
    breaks inside an evidence sentence) made one space. JSON keeps the full terms."""
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
    if term.kind == "bnode":
        return f"_:{term.value}"
    if term.kind == "uri":
        return shorten(term.value)
    return _WHITESPACE_RE.sub(" ", term.value).strip()


_WHITESPACE_RE = re.compile(r"\s+")


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
    """``name  description`` lines, names padded to one column, each parameter below."""
    if not queries:
        return "(no named queries)\n"
    width = max(len(q.name) for q in queries)
    lines = []
    for q in queries:
        lines.append(f"{q.name.ljust(width)}  {q.description}\n")
        lines += [f"{'':{width}}    {p.usage()}\n" for p in q.params]
    return "".join(lines)


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
        "--list",
        action="store_true",
        help="list the named queries with their descriptions and parameters",
    )
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a value for a parameter the query declares (# @param; see --list), bound "
        "by the engine, e.g. --param name=长治市",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"stop a query running longer than S seconds (default {DEFAULT_TIMEOUT:g}; 0: never)",
    )
    parser.add_argument(
        "--allow-service",
        action="store_true",
        help="let SERVICE clauses send the query to other servers (refused by default)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.list:
        print(format_query_list(named_queries()), end="")
        return 0
    if not args.query:
        raise QueryError("give a SPARQL query, a .rq file or a query name (kg query --list)")
    text = resolve_query(args.query)
    check_local(text, args.allow_service)
    bindings = bind_params(text, args.param)
    if args.store is not None:
        store = args.store

        def work() -> dict[str, object]:
            return result_to_data(run_query_on_store(text, store, bindings))
    else:
        graph = load_graph(args.graph)

        def work() -> dict[str, object]:
            return result_to_data(run_query(text, graph, bindings))

    data = run_with_deadline(work, args.timeout, what="the query", error=QueryError)
    result = result_from_data(data)
    print(format_result(result, args.format, args.max_width), end="")
    hint = plain_literal_hint(text, result)
    if hint:
        print(f"kg query: {hint}", file=sys.stderr)
    return 0
