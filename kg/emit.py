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
import os
import queue
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from io import StringIO
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kg.graphml import FOOTER, KeyTable, edge_xml, header, key_table, node_xml
from kg.io import atomic_writer, die_with_parent, drop_siblings
from kg.netx import edge_records, node_records, scalar_attributes
from kg.rdf import (
    Triple,
    doc_iri,
    document_relation_triples,
    document_triples,
    entity_triples,
    ontology_triples,
    turtle_prefixes,
    write_blocks,
)
from kg.triples import TripleIndex
from kg.unitstore import GraphPart, Unit, UnitStore

if TYPE_CHECKING:
    from kg.pipeline import BuildResult

#: Sources whose change changes how units are rendered (beside the extraction rules).
#: (The render cache's and the incremental state's formats are among them.)
_EMIT_SOURCES = (
    "emit.py",
    "rdf.py",
    "netx.py",
    "graphml.py",
    "vocab.py",
    "prefixes.py",
    "unitstore.py",
    "incremental.py",
)
#: Below this many units to render, forking workers costs more than it saves.
PARALLEL_MIN_UNITS = 2000
#: GraphML keys of the build's graph: fixed, so a node's element can be cached on its own.
GRAPHML_TYPES: dict[tuple[str, str], str] = {
    ("graph", "documents"): "string",
    **{
        ("node", name): "string"
        for name in (
            "label class top_class aliases documents admin_code role kind kinds date evidence "
            "sentences "
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


class UnitSpec(NamedTuple):  # a tuple: a build makes one per entity, fast
    kind: str  # "ontology" | "doc" | "entity"
    ref: int | str | None  # index into result.docs, or entity key
    digest: str


class Emitter:
    """Units of one build: their specs and digests, rendering, and the render cache."""

    def __init__(
        self, result: BuildResult, graphml: bool, digests: Mapping[str, str] | None = None
    ) -> None:
        """``digests``: entity units whose digest the caller knows (a rebuild's unchanged
        entities); the others are digested from their state."""
        self.result = result
        self.graphml = graphml
        ents = result.resolver.entities
        self.known = set(ents)
        self.names = result.resolver.names()
        self.files = {doc_iri(f.doc_id): f.name for f in result.refs}
        self._doc_names = {f.doc_id: f.name for f in result.refs}
        self.specs = self._specs(digests or {})
        self.rendered = 0

    def _specs(self, known: Mapping[str, str]) -> list[UnitSpec]:
        specs = [UnitSpec("ontology", None, _digest(("ontology",)))]
        names = self.names
        for i, f in enumerate(self.result.refs):
            parties = tuple(tuple(names.get(p) for p in ps) for ps in f.parties)
            specs.append(UnitSpec("doc", i, _digest(("doc", f.sha256, f.name, parties))))
        for key in sorted(self.result.resolver.entities):
            digest = known.get(key) or _digest(self._entity_state(key))
            specs.append(UnitSpec("entity", key, digest))
        return specs

    def entity_digests(self) -> dict[str, str]:
        return {str(s.ref): s.digest for s in self.specs if s.kind == "entity"}

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
            out += document_relation_triples(f, self.known, self.names)
            return out
        ent = self.result.resolver.entities[str(spec.ref)]
        return list(entity_triples(ent, self.known))

    def render(self, spec: UnitSpec) -> Unit:
        triples = self.triples(spec)
        buf = StringIO()
        write_blocks(triples, buf)
        turtle = buf.getvalue().encode("utf-8")
        if not self.graphml:
            return Unit(turtle, None)
        return Unit(turtle, self.graph_part(triples))

    def graph_part(self, triples: list[Triple], only: set[str] | None = None) -> GraphPart:
        """The unit's GraphML; ``only``: leave out edges with an end outside it."""
        index = TripleIndex(triples)
        nodes = sorted(
            (iri, node_xml(iri, scalar_attributes(attrs), GRAPHML_KEYS))
            for iri, attrs in node_records(index, self.files)
        )
        ids = tuple(iri for iri, _ in nodes)
        edges = sorted(edge_records(index), key=itemgetter(0, 2, 1))
        if only is not None:
            edges = [e for e in edges if e[0] in only and e[2] in only]
        own = set(ids)
        targets = {end for s, _, o in edges for end in (s, o) if end not in own}
        return GraphPart(
            "".join(xml for _, xml in nodes).encode("utf-8"),
            "".join(
                edge_xml(s, o, rel, {"relation": rel}, GRAPHML_KEYS) for s, rel, o in edges
            ).encode("utf-8"),
            ids,
            tuple(sorted(targets)),
        )

    def units(self, cached: UnitStore, jobs: int) -> Iterator[tuple[UnitSpec, Unit | None]]:
        """Every unit in output order: rendered when not in ``cached`` (and kept there when
        it has a folder), else None: read it from ``cached``."""
        todo = [s for s in self.specs if not cached.has(s.digest, self.graphml)]
        todo = list({s.digest: s for s in reversed(todo)}.values())[::-1]  # once per digest
        self.rendered += len(todo)
        fresh: Iterator[Unit]
        if jobs > 1 and len(todo) >= PARALLEL_MIN_UNITS and _can_fork():
            fresh = _render_forked(self, todo, jobs)
        else:
            fresh = map(self.render, todo)
        todo_digests = {s.digest for s in todo}
        keep = cached.folder is not None
        repeated = {d for d, n in Counter(s.digest for s in self.specs).items() if n > 1}
        for spec in self.specs:
            if spec.digest in todo_digests:
                unit = next(fresh)
                todo_digests.discard(spec.digest)
                if keep or spec.digest in repeated:  # a digest repeated later is rendered once
                    cached.put(spec.digest, unit)
                yield spec, unit
            else:
                yield spec, None


def _digest(state: tuple[Any, ...]) -> str:
    return hashlib.blake2b(repr(state).encode("utf-8"), digest_size=16).hexdigest()


# --- parallel rendering (fork: the workers inherit the build instead of unpickling it) ----

_FORKED: Emitter | None = None


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _render_claimed(claim: Any, n: int, results: Any) -> None:
    """A forked worker: claim the next unrendered slice until none is left."""
    assert _FORKED is not None and _SLICES is not None
    die_with_parent()
    while True:
        with claim.get_lock():
            i = claim.value
            claim.value += 1
        if i >= n:
            return
        results.put((i, [_FORKED.render(s) for s in _SLICES[i]]))


_SLICES: list[list[UnitSpec]] | None = None


def _render_forked(emitter: Emitter, todo: list[UnitSpec], jobs: int) -> Iterator[Unit]:
    """Units of ``todo`` in order, rendered by ``jobs - 1`` forked workers and this process.

    Slices are claimed from a shared counter, by the workers and by this process when the
    next slice it must yield is not back yet: whoever is free renders the next one, so the
    parent's own work (collecting, writing kg.ttl) never leaves a core idle or waiting."""
    global _FORKED, _SLICES
    size = max(20, len(todo) // (jobs * 128))  # small: document units weigh far more
    slices = [todo[i : i + size] for i in range(0, len(todo), size)]
    ctx = multiprocessing.get_context("fork")
    claim = ctx.Value("l", 0)
    results = ctx.Queue()
    _FORKED, _SLICES = emitter, slices
    workers = [
        ctx.Process(target=_render_claimed, args=(claim, len(slices), results), daemon=True)
        for _ in range(jobs - 1)
    ]
    try:
        for w in workers:
            w.start()
        done: dict[int, list[Unit]] = {}
        for i in range(len(slices)):
            while i not in done:
                try:
                    j, units = results.get_nowait()
                except queue.Empty:
                    with claim.get_lock():
                        j = claim.value
                        claim.value += 1
                    if j < len(slices):
                        units = [emitter.render(s) for s in slices[j]]
                    else:  # every slice is claimed: wait for the workers'
                        j, units = _result(results, workers)
                done[j] = units
            yield from done.pop(i)
    finally:
        _FORKED, _SLICES = None, None
        for w in workers:
            if w.is_alive():
                w.kill()
            w.join()


def _result(results: Any, workers: list[Any]) -> tuple[int, list[Unit]]:
    while True:
        try:
            return results.get(timeout=0.5)  # type: ignore[no-any-return]
        except queue.Empty:
            if any(w.exitcode not in (None, 0) for w in workers):
                raise RuntimeError("a rendering worker stopped") from None


# --- the render cache and the files ---------------------------------------------------------


def open_cache(cache_dir: str | None, rules: str) -> UnitStore:
    """The render cache of these rules and renderers (older ones are deleted when saving)."""
    return UnitStore(Path(cache_dir) / "render" / render_version(rules) if cache_dir else None)


def write(
    result: BuildResult,
    ttl: Path,
    graphml: Path | None,
    *,
    cache_dir: str | None = None,
    rules: str = "",
    jobs: int = 1,
    digests: Mapping[str, str] | None = None,
    store: UnitStore | None = None,
    saved: Callable[[dict[str, str]], None] | None = None,
) -> dict[str, str]:
    """Write kg.ttl (and graph.graphml when a path is given) through the render cache.

    ``digests`` are entity digests known from the build before (see :class:`Emitter`);
    returns every entity's digest. ``store``: the render cache, if already opened;
    ``saved`` is called with the digests once kg.ttl and the cache are written, while
    graph.graphml may still be written by a child process."""
    emitter = Emitter(result, graphml is not None, digests)
    cached = open_cache(cache_dir, rules) if store is None else store
    parts: list[GraphPart | None] = []
    writer = None
    try:
        if cached.folder is not None:
            # Every unit rendered into the cache first, so GraphML (by a forked child) and
            # kg.ttl (here) are written at the same time, from the cache.
            for _ in emitter.units(cached, jobs):
                pass
            if graphml is not None:

                def collect() -> None:
                    parts.extend(cached.graph(spec.digest) for spec in emitter.specs)

                writer = _graphml_writer(graphml, emitter, parts, jobs > 1, collect)
            with atomic_writer(ttl) as out:
                out.write(turtle_prefixes().encode("utf-8"))
                out.write(b"".join(cached.turtles([s.digest for s in emitter.specs])))
            cached.save([s.digest for s in emitter.specs])
            drop_siblings(cached.folder)  # renders of older rules are never read again
        else:  # no cache: units streamed to kg.ttl as they are rendered, then GraphML
            with atomic_writer(ttl) as out:
                out.write(turtle_prefixes().encode("utf-8"))
                for spec, fresh in emitter.units(cached, jobs):
                    unit = fresh or cached.get(spec.digest)  # a repeated unit: kept for it
                    out.write(unit.turtle)
                    if graphml is not None:
                        parts.append(unit.graph)
            if graphml is not None:
                writer = _graphml_writer(graphml, emitter, parts, jobs > 1)
        digests = emitter.entity_digests()
        if saved is not None:
            saved(digests)
    finally:
        if writer is not None:
            writer()
    return digests


def _graphml_writer(
    path: Path,
    emitter: Emitter,
    parts: list[GraphPart | None],
    fork: bool,
    collect: Callable[[], None] = lambda: None,
) -> Callable[[], None]:
    """Start writing graph.graphml from the units' ``parts`` (which ``collect`` fills
    first), in a forked child when ``fork``; the function returned waits for it and raises
    what it raised."""
    if not fork or not _can_fork():
        collect()
        _write_graphml(path, emitter, parts)
        return lambda: None
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: write, report, and leave without running the parent's cleanup
        code = 0
        try:
            die_with_parent()
            os.close(read)
            collect()
            _write_graphml(path, emitter, parts)
        except BaseException as exc:
            os.write(write, f"{type(exc).__name__}: {exc}".encode()[:4000])
            code = 1
        finally:
            os._exit(code)
    os.close(write)

    def wait() -> None:
        with os.fdopen(read, "rb") as f:
            message = f.read().decode("utf-8", "replace")
        _, status = os.waitpid(pid, 0)
        if status != 0:
            from kg.errors import OutputError

            raise OutputError(message or f"{path}: the writer stopped ({status})")

    return wait


def _write_graphml(path: Path, emitter: Emitter, parts: list[GraphPart | None]) -> None:
    """graph.graphml: every unit's nodes, then every unit's edges, in the units' order.

    An edge whose end no unit has as a node is left out: its unit is rendered again with
    those edges dropped (the blocks of the others are copied as they are)."""
    ids = {iri for part in parts if part is not None for iri in part.ids}
    edges = []
    for spec, part in zip(emitter.specs, parts, strict=True):
        if part is None:
            continue
        if all(t in ids for t in part.targets):
            edges.append(part.edges)
        else:
            edges.append(emitter.graph_part(emitter.triples(spec), ids).edges)
    documents = "|".join(sorted({f.name for f in emitter.result.refs}))
    head = header(GRAPHML_KEYS, {"documents": documents or None})
    with atomic_writer(path) as out:
        out.write(head.encode("utf-8"))
        out.write(b"".join([part.nodes for part in parts if part is not None]))
        out.write(b"".join(edges))
        out.write(FOOTER.encode("utf-8"))
