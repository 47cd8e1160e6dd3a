"""Stage 6a: entities and relations → triples, and a deterministic Turtle writer.

IRIs are minted from content (a place's GB/T 2260 code, a hash of an
institution's canonical name, of a relation's kind + parties + document), so
they are stable across builds and independent of run order. The writer sorts
subjects and objects, so the same facts always give the same bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cache, lru_cache

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.lexicon import ONTOLOGY_DIR
from kg.prefixes import PREFIXES as ALL_PREFIXES
from kg.resolve import DocFacts, Entity, RelationNode, Statement, relation_nodes
from kg.vocab import (
    ALT_LABEL,
    DERIVED_FROM,
    ID_NS,
    KG_NS,
    LABEL,
    LAT,
    LONG,
    TYPE,
    X_DATE,
    X_INTEGER,
    X_STRING,
    X_YEAR,
    X_YEAR_MONTH,
)
from kg.vocab import KG_TERMS as KG

Triple = tuple[URIRef, URIRef, Node]

PREFIXES = dict(ALL_PREFIXES)
ONTOLOGY_IRI = URIRef(KG_NS.rstrip("#"))
KIND_LABELS = {
    "cooperation": "合作",
    "agreement": "签约",
    "coConstruction": "共建",
    "trusteeship": "托管",
    "membership": "加入",
    "support": "帮扶",
    "exchange": "交流",
}


def _h(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1 << 17)
def entity_iri(key: str) -> URIRef:
    """An entity's IRI (memoised: every mention and relation of an entity asks again)."""
    kind, _, rest = key.partition(":")
    if kind == "place":
        code, _, sub = rest.partition("/")
        return URIRef(f"{ID_NS}place/{code}" + (f"-{_h(sub)}" if sub else ""))
    return URIRef(f"{ID_NS}{kind}/{_h(rest)}")


@lru_cache(maxsize=1 << 12)
def doc_iri(doc_id: str) -> URIRef:
    return URIRef(f"{ID_NS}doc/{doc_id}")


def relation_iri(node: RelationNode, doc_id: str) -> URIRef:
    """A relation node's IRI: its identity (:func:`node_identity`) and document."""
    kind, *rest = node.identity
    path = "partnership" if kind == "Partnership" else "achievement"
    return URIRef(f"{ID_NS}{path}/{_h(*rest, doc_id)}")


def statement_iri(relation: URIRef, start: int, end: int) -> URIRef:
    return URIRef(f"{ID_NS}statement/{_h(str(relation), str(start), str(end))}")


def _zh(s: str) -> Literal:
    return Literal(s, lang="zh")


def date_literal(value: str) -> Literal:
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=X_YEAR)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=X_YEAR_MONTH)
    return Literal(value, datatype=X_DATE)


def entity_triples(ent: Entity, known: set[str]) -> Iterator[Triple]:
    s = entity_iri(ent.key)
    yield s, TYPE, KG[ent.subclass] if ent.subclass != ent.cls else KG[ent.cls]
    yield s, TYPE, KG[ent.cls]
    yield s, LABEL, _zh(ent.name)
    for a in sorted(ent.aliases - {ent.name}):
        yield s, ALT_LABEL, _zh(a)
    if ent.code and ent.code.isdigit():
        yield s, KG.adminCode, Literal(ent.code)
    if ent.lat is not None and ent.lon is not None:
        yield s, LAT, Literal(Decimal(str(ent.lat)))
        yield s, LONG, Literal(Decimal(str(ent.lon)))
    if ent.located_in and ent.located_in in known and ent.located_in != ent.key:
        yield s, KG.locatedIn, entity_iri(ent.located_in)
    if ent.parent and ent.parent in known and ent.parent != ent.key:
        yield s, KG.parentOrganization, entity_iri(ent.parent)
    for role in sorted(ent.roles):
        yield s, KG.role, _zh(role)
    for org in sorted(ent.affiliations):
        if org in known:
            yield s, KG.affiliation, entity_iri(org)
    for doc_id in sorted(ent.docs):
        yield s, KG.mentionedIn, doc_iri(doc_id)
    if ent.docs:
        yield s, KG.mentionCount, Literal(sum(ent.docs.values()))


def relation_triples(
    node: RelationNode, facts: DocFacts, names: dict[str, str]
) -> Iterator[Triple]:
    """A relation node, then one kg:Statement per sentence that states it (the sentence
    verbatim with its offsets; for a partnership the kinds that sentence gives). The node
    repeats every sentence as kg:evidence, so a query needs no hop to read them."""
    s = relation_iri(node, facts.doc_id)
    doc = doc_iri(facts.doc_id)
    r = node.first
    parties = [entity_iri(p) for p in node.parties]
    if node.kind == "Partnership":
        kinds = node.subtypes()
        yield s, TYPE, KG.Partnership
        label = "—".join(names.get(p, p) for p in node.parties)
        yield s, LABEL, _zh(label + " " + "、".join(KIND_LABELS[k] for k in kinds))
        for p in parties:
            yield s, KG.partner, p
        lead = next((st.relation.lead for st in node.statements if st.relation.lead), None)
        if lead:  # the first statement that names one (a lead is one party)
            yield s, KG.leadPartner, entity_iri(lead)
        for k in kinds:
            yield s, KG.partnershipKind, KG[k]
        for built in node.values("co_built"):
            yield s, KG.coBuilt, entity_iri(built)
    else:
        yield s, TYPE, KG.Achievement
        yield s, LABEL, _zh(r.title or "")
        for p in parties:
            yield s, KG.achievedBy, p
        yield s, KG.achievementKind, KG[r.subtype]
        level = r.level or next(iter(node.values("level")), None)
        if level:
            yield s, KG.level, KG[level]
        program = r.program or next(iter(node.values("program")), None)
        if program:
            yield s, KG.program, entity_iri(program)
        awarded_by = r.awarded_by or next(iter(node.values("awarded_by")), None)
        if awarded_by:
            yield s, KG.awardedBy, entity_iri(awarded_by)
        department = r.department or next(iter(node.values("department")), None)
        if department:
            yield s, KG.department, _zh(department)
    dates = node.values("date")
    if dates:
        yield s, KG.date, date_literal(dates[0])
    yield s, DERIVED_FROM, doc
    for st in node.statements:
        yield s, KG.evidence, _zh(st.text)
    for st in node.statements:
        yield s, KG.statement, statement_iri(s, st.start, st.end)
    for st in _by_offsets(node.statements):
        t = statement_iri(s, st[0].start, st[0].end)
        yield t, TYPE, KG.Statement
        yield t, KG.evidence, _zh(st[0].text)
        yield t, KG.evidenceStart, Literal(st[0].start)
        yield t, KG.evidenceEnd, Literal(st[0].end)
        yield t, DERIVED_FROM, doc
        if node.kind == "Partnership":
            for k in sorted({x.relation.subtype for x in st}):
                yield t, KG.statesKind, KG[k]
        sentence_dates = sorted({x.relation.date for x in st if x.relation.date})
        if sentence_dates:
            yield t, KG.date, date_literal(sentence_dates[0])


def document_relation_triples(
    facts: DocFacts, known: set[str] | dict[str, object], names: dict[str, str]
) -> Iterator[Triple]:
    """Every relation node of a document whose parties are all entities of the graph."""
    kept = [
        (r, ev)
        for r, ev in zip(facts.relations, facts.evidence, strict=True)
        if all(p in known for p in r.parties)
    ]
    for node in relation_nodes((r for r, _ in kept), (ev for _, ev in kept)):
        yield from relation_triples(node, facts, names)


def _by_offsets(statements: tuple[Statement, ...]) -> list[list[Statement]]:
    """Statements grouped by sentence (one sentence may state several kinds), in text order."""
    out: dict[tuple[int, int], list[Statement]] = {}
    for st in statements:
        out.setdefault((st.start, st.end), []).append(st)
    return [out[k] for k in sorted(out)]


def document_triples(f: DocFacts) -> Iterator[Triple]:
    s = doc_iri(f.doc_id)
    yield s, TYPE, KG.Document
    yield s, LABEL, _zh(f.headline)
    yield s, KG.headline, _zh(f.headline)
    yield s, KG.fileName, Literal(f.name)
    yield s, KG.contentHash, Literal(f.sha256)
    yield s, KG.encoding, Literal(f.encoding)
    yield s, KG.characterCount, Literal(f.characters)
    if f.city:
        yield s, KG.about, entity_iri(f"place:{f.city}")
    for y in f.years:
        yield s, KG.coversYear, Literal(str(y), datatype=X_YEAR)


@cache
def ontology_triples() -> tuple[Triple, ...]:
    """The vocabulary itself, included in the data so SPARQL users see the class tree
    (parsed once per process: kg.ttl, graph.html and GraphML all include it)."""
    path = ONTOLOGY_DIR / "kg.ttl"
    if not path.exists():
        return ()
    from rdflib import Graph

    g = Graph()
    g.parse(path, format="turtle")
    kept = [t for t in g if not any(_is_bnode(x) for x in t)]
    return tuple(sorted(kept, key=lambda t: (str(t[0]), str(t[1]), term(t[2]))))  # type: ignore[misc]


def _is_bnode(n: Node) -> bool:
    return not isinstance(n, (URIRef, Literal))


# --- Turtle writer -----------------------------------------------------------------------

_LOCAL_OK = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
_ESC = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ESC_RE = re.compile(r'[\\"\n\r\t\b\f]')
_SHORT = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))


def _iri_cached(u: str) -> str:
    """IRIs repeat (classes, properties, popular entities): shorten each once. The key is a
    plain ``str``: a ``URIRef`` key would be compared by rdflib's slow ``__eq__``."""
    return _iri_of_str(str(u))


@lru_cache(maxsize=1 << 16)
def _iri_of_str(u: str) -> str:
    return _iri(u)


def _iri(u: str) -> str:
    for ns, p in _SHORT:
        if u.startswith(ns):
            local = u[len(ns) :]
            if _LOCAL_OK.match(local):
                return f"{p}:{local}"
    return "<" + u.replace(">", "%3E").replace(" ", "%20") + ">"


def term(n: Node) -> str:
    """A term in Turtle syntax (IRIs shortened with the prefixes)."""
    if type(n) is URIRef:
        return _iri_cached(n)
    if isinstance(n, Literal):
        return _literal(n)
    if isinstance(n, URIRef):
        return _iri_cached(n)
    raise TypeError(f"cannot write {n!r}")


def _literal(n: Literal) -> str:
    lex = str(n)
    if _ESC_RE.search(lex):
        lex = _ESC_RE.sub(lambda m: _ESC[m.group()], lex)
    language = n.language
    if language:
        return f'"{lex}"@{language}'
    dt = n.datatype
    if dt is None or _same(dt, X_STRING):
        return f'"{lex}"'
    if _same(dt, X_INTEGER) and _INTEGER.fullmatch(lex):
        return lex
    return f'"{lex}"^^{_iri_cached(str(dt))}'


_same = str.__eq__  # rdflib's __eq__ also compares term types: slow, and needless here
_INTEGER = re.compile(r"-?\d+")


def turtle_prefixes() -> str:
    """The ``@prefix`` lines every Turtle file of the build starts with."""
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + "\n"


def write_turtle(triples: Iterable[Triple], out) -> int:  # type: ignore[no-untyped-def]
    """Stream Turtle to a text stream; returns the number of triples written."""
    out.write(turtle_prefixes())
    return write_blocks(triples, out)


def write_blocks(triples: Iterable[Triple], out) -> int:  # type: ignore[no-untyped-def]
    """Turtle subject blocks, without prefixes; returns the number of triples written.

    Triples arrive grouped by subject (the builder yields one resource at a time, in a
    deterministic order), so one subject block is held at a time, not the whole graph;
    predicates and objects are sorted inside a block so the bytes never depend on set order.
    Objects are rendered as they arrive: a block dedups their Turtle text (two terms with
    the same text are the same RDF term), which hashes faster than rdflib's terms.
    """
    count = 0
    subject: URIRef | None = None
    block: dict[str, set[tuple[bool, str]]] = {}
    same = str.__eq__  # rdflib's __eq__ also compares types: slow, and needless for subjects
    for s, p, o in triples:
        if s is not subject and (subject is None or not same(s, subject)):
            if subject is not None:
                count += _write_block(subject, block, out)
            subject, block = s, {}
        key = "a" if same(p, TYPE) else _iri_cached(p)
        rendered = (False, _iri_cached(o)) if type(o) is URIRef else (True, term(o))
        objs = block.get(key)
        if objs is None:
            block[key] = {rendered}
        else:
            objs.add(rendered)
    if subject is not None:
        count += _write_block(subject, block, out)
    return count


def _write_block(s: URIRef, preds: dict[str, set[tuple[bool, str]]], out) -> int:  # type: ignore[no-untyped-def]
    """One subject: ``a`` first, then predicates and, within each, objects in term order
    (IRIs before literals)."""
    count = 0
    lines = []
    for ptxt, objs in preds.items():
        count += len(objs)
        if len(objs) == 1:
            ((_, text),) = objs
        else:
            text = ",\n        ".join(t for _, t in sorted(objs))
        lines.append(((ptxt != "a", ptxt), text))
    lines.sort()
    parts = [_iri_cached(s), "\n"]
    last = len(lines) - 1
    for i, ((_, ptxt), text) in enumerate(lines):
        parts += ("    ", ptxt, " ", text, " .\n" if i == last else " ;\n")
    parts.append("\n")
    out.write("".join(parts))
    return count
