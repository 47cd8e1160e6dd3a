"""Stage 6b: kg.ttl and graph.graphml from per-resource units, rendered once and cached.

A *unit* is what one source contributes to the outputs: the ontology, one document (its
Document node and its relation nodes), or one entity. A unit's Turtle text and its GraphML
elements depend only on a few inputs (a document's facts and the names of its parties; an
entity's merged state), so their digest keys a render cache beside the document cache. After
one report changes, a rebuild re-renders that report's unit and the entities whose state it
changed; every other unit is copied from the cache. Without a cache, units are rendered in
forked worker processes (``--jobs``) and streamed to kg.ttl in order.

The bytes are those of :func:`kg.rdf.write_turtle` over :meth:`BuildResult.triples` (a test
holds the two equal); GraphML holds what :func:`kg.netx.to_networkx` makes of kg.ttl.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.graphml import KeyTable, edge_xml, header, key_table, node_xml, write_parts
from kg.io import atomic_write_bytes, atomic_writer
from kg.netx import edge_records, node_records, scalar_attributes
from kg.rdf import (
    Triple,
    doc_iri,
    document_triples,
    entity_triples,
    ontology_triples,
    relation_triples,
    turtle_prefixes,
    write_blocks,
)
from kg.triples import TripleIndex

if TYPE_CHECKING:
    from kg.pipeline import BuildResult

#: Sources whose change changes how units are rendered (beside the extraction rules).
_EMIT_SOURCES = ("emit.py", "rdf.py", "netx.py", "graphml.py", "vocab.py", "prefixes.py")
#: Below this many units to render, forking workers costs more than it saves.
PARALLEL_MIN_UNITS = 2000
#: GraphML keys of the build's graph: fixed, so a node's element can be cached on its own.
GRAPHML_TYPES: dict[tuple[str, str], str] = {
    ("graph", "documents"): "string",
    **{
        ("node", name): "string"
        for name in (
            "label class top_class aliases documents admin_code role kind date evidence "
            "level department"
        ).split()
    },
    ("node", "lat"): "double",
    ("node", "lon"): "double",
    ("node", "mentions"): "long",
    ("edge", "relation"): "string",
}
GRAPHML_KEYS: KeyTable = key_table(GRAPHML_TYPES)


@cache
def render_version(rules: str) -> str:
    """Digest of the extraction rules' version and of everything rendering depends on."""
    from kg.lexicon import ONTOLOGY_DIR

    h = hashlib.sha256(rules.encode())
    pkg = Path(__file__).resolve().parent
    for path in [*(pkg / s for s in _EMIT_SOURCES), ONTOLOGY_DIR / "kg.ttl"]:
        h.update(path.name.encode())
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()[:16]


@dataclass(slots=True)
class Unit:
    """One source's share of the outputs."""

    turtle: str
    nodes: list[tuple[str, str]] | None  # (node IRI, <node> element); None: not rendered
    edges: list[tuple[str, str, str, str]] | None  # (subject, property, object, <edge>)


@dataclass(frozen=True, slots=True)
class UnitSpec:
    kind: str  # "ontology" | "doc" | "entity"
    ref: int | str | None  # index into result.docs, or entity key
    digest: str


class Emitter:
    """Units of one build: their specs and digests, rendering, and the render cache."""

    def __init__(self, result: BuildResult, graphml: bool) -> None:
        self.result = result
        self.graphml = graphml
        ents = result.resolver.entities
        self.known = set(ents)
        self.names = {k: e.name for k, e in ents.items()}
        self.files = {doc_iri(f.doc_id): f.name for f in result.docs}
        self._doc_names = {f.doc_id: f.name for f in result.docs}
        self.specs = self._specs()
        self.rendered = 0

    def _specs(self) -> list[UnitSpec]:
        specs = [UnitSpec("ontology", None, _digest(("ontology",)))]
        for i, f in enumerate(self.result.docs):
            parties = tuple(tuple(self.names.get(p) for p in r.parties) for r in f.relations)
            specs.append(UnitSpec("doc", i, _digest(("doc", f.sha256, f.name, parties))))
        ents = self.result.resolver.entities
        for key in sorted(ents):
            specs.append(UnitSpec("entity", key, _digest(self._entity_state(key))))
        return specs

    def _entity_state(self, key: str) -> tuple[Any, ...]:
        e = self.result.resolver.entities[key]
        known = self.known
        return (
            "entity",
            e.key,
            e.cls,
            e.subclass,
            e.name,
            sorted(e.aliases),
            sorted((d, n, self._doc_names.get(d)) for d, n in e.docs.items()),
            e.located_in if e.located_in in known else None,
            e.parent if e.parent in known else None,
            sorted(e.roles),
            sorted(a for a in e.affiliations if a in known),
            e.code,
            e.lat,
            e.lon,
        )

    def triples(self, spec: UnitSpec) -> list[Triple]:
        if spec.kind == "ontology":
            return list(ontology_triples())
        if spec.kind == "doc":
            assert isinstance(spec.ref, int)
            f = self.result.docs[spec.ref]
            out = list(document_triples(f))
            for r, ev in zip(f.relations, f.evidence, strict=True):
                if all(p in self.known for p in r.parties):
                    out += relation_triples(r, f, ev, self.names)
            return out
        ent = self.result.resolver.entities[str(spec.ref)]
        return list(entity_triples(ent, self.known))

    def render(self, spec: UnitSpec) -> Unit:
        triples = self.triples(spec)
        buf = StringIO()
        write_blocks(triples, buf)
        if not self.graphml:
            return Unit(buf.getvalue(), None, None)
        index = TripleIndex(triples)
        nodes = [
            (iri, node_xml(iri, scalar_attributes(attrs), GRAPHML_KEYS))
            for iri, attrs in node_records(index, self.files)
        ]
        edges = [
            (s, rel, o, edge_xml(s, o, rel, {"relation": rel}, GRAPHML_KEYS))
            for s, rel, o in edge_records(index)
        ]
        return Unit(buf.getvalue(), nodes, edges)

    def units(self, cached: dict[str, Unit], jobs: int) -> Iterator[tuple[UnitSpec, Unit]]:
        """Every unit in output order, from ``cached`` when there, else rendered."""
        todo = [s for s in self.specs if not self._usable(cached.get(s.digest))]
        self.rendered = len(todo)
        fresh: Iterator[Unit]
        if jobs > 1 and len(todo) >= PARALLEL_MIN_UNITS and _can_fork():
            fresh = _render_forked(self, todo, jobs)
        else:
            fresh = map(self.render, todo)
        todo_digests = {s.digest for s in todo}
        for spec in self.specs:
            unit = next(fresh) if spec.digest in todo_digests else cached[spec.digest]
            if spec.digest in todo_digests:
                cached[spec.digest] = unit  # a digest repeated later is rendered once
                todo_digests.discard(spec.digest)
            yield spec, unit

    def _usable(self, unit: Unit | None) -> bool:
        return unit is not None and (not self.graphml or unit.nodes is not None)


def _digest(state: tuple[Any, ...]) -> str:
    return hashlib.blake2b(repr(state).encode("utf-8"), digest_size=16).hexdigest()


# --- parallel rendering (fork: the workers inherit the build instead of unpickling it) ----

_FORKED: Emitter | None = None


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _render_slice(specs: list[UnitSpec]) -> list[Unit]:
    assert _FORKED is not None
    return [_FORKED.render(s) for s in specs]


def _render_forked(emitter: Emitter, todo: list[UnitSpec], jobs: int) -> Iterator[Unit]:
    """Units of ``todo`` in order, rendered by ``jobs - 1`` forked workers and this process.

    The parent takes every ``jobs``-th slice itself while the workers render theirs: waiting
    idle for ``jobs`` workers would leave a core to the parent's unpickling and writing."""
    global _FORKED
    size = max(50, len(todo) // (jobs * 64))  # small: document units weigh far more
    slices = [todo[i : i + size] for i in range(0, len(todo), size)]
    _FORKED = emitter
    try:
        with multiprocessing.get_context("fork").Pool(jobs - 1) as pool:
            pending = {
                i: pool.apply_async(_render_slice, (part,))
                for i, part in enumerate(slices)
                if i % jobs
            }
            for i, part in enumerate(slices):
                if i in pending:
                    yield from pending.pop(i).get()
                else:
                    yield from map(emitter.render, part)
    finally:
        _FORKED = None


# --- the render cache and the files ---------------------------------------------------------


def _cache_file(cache_dir: str | None, rules: str) -> Path | None:
    if not cache_dir:
        return None
    return Path(cache_dir) / "render" / f"{render_version(rules)}.pkl"


def load_cache(cache_dir: str | None, rules: str) -> dict[str, Unit]:
    path = _cache_file(cache_dir, rules)
    if path is None or not path.exists():
        return {}
    try:  # units are kept as plain tuples: they unpickle in less than half the time
        data = pickle.loads(path.read_bytes())
        return {digest: Unit(*fields) for digest, fields in data.items()}
    except Exception:  # a corrupt or foreign cache is rebuilt, never trusted
        return {}


def save_cache(cache_dir: str | None, rules: str, units: dict[str, Unit]) -> None:
    path = _cache_file(cache_dir, rules)
    if path is None:
        return
    for old in path.parent.glob("*.pkl"):  # renders of older rules are never read again
        if old != path:
            old.unlink(missing_ok=True)
    data = {digest: (u.turtle, u.nodes, u.edges) for digest, u in units.items()}
    atomic_write_bytes(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def write(
    result: BuildResult,
    ttl: Path,
    graphml: Path | None,
    *,
    cache_dir: str | None = None,
    rules: str = "",
    jobs: int = 1,
) -> None:
    """Write kg.ttl (and graph.graphml when a path is given) through the render cache."""
    emitter = Emitter(result, graphml is not None)
    cached = load_cache(cache_dir, rules)
    loaded = len(cached)
    keep = cache_dir is not None
    used: dict[str, Unit] = {}
    nodes: list[tuple[str, str]] = []
    edges: list[tuple[str, str, str, str]] = []
    with atomic_writer(ttl) as out:
        out.write(turtle_prefixes().encode("utf-8"))
        for spec, unit in emitter.units(cached, jobs):
            out.write(unit.turtle.encode("utf-8"))
            if graphml is not None:
                nodes += unit.nodes or ()
                edges += unit.edges or ()
            if keep:
                used[spec.digest] = unit
    if keep and (emitter.rendered or len(used) != loaded):
        save_cache(cache_dir, rules, used)
    if graphml is None:
        return
    nodes.sort()
    ids = {iri for iri, _ in nodes}
    documents = "|".join(sorted({f.name for f in result.docs}))
    head = header(GRAPHML_KEYS, {"documents": documents or None})
    write_parts(
        graphml,
        head,
        (xml for _, xml in nodes),
        (
            xml
            for s, _, o, xml in sorted(edges, key=lambda e: (e[0], e[2], e[1]))
            if s in ids and o in ids
        ),
    )
