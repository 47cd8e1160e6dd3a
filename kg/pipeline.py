"""The build: files → DocFacts (per document, in parallel, cached) → entities → outputs.

Documents are extracted independently (``process_file``), as a stream, so
memory holds one document per worker plus the entity index; results come back
in input order, so ``--jobs N`` gives the same bytes as ``--jobs 1``. A cache
keyed by the file's content hash and the rules' version makes a rebuild after
one changed report re-extract only that report. Its entries are plain data, sealed with
their format and checksum (:func:`facts_bytes`): a damaged or planted entry is a miss.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import io
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from kg import incremental
from kg.document import Document, Mention, Relation
from kg.errors import OutputError
from kg.gazetteer import load_gazetteer
from kg.incremental import State
from kg.io import (
    LOCK_WAIT,
    Damaged,
    cache_lock,
    cache_write_failed,
    die_with_parent,
    dump_data,
    load_data,
    owner_died,
    terminal_safe,
    warn_once,
    write_cache_bytes,
)
from kg.lexicon import ONTOLOGY_DIR
from kg.loader import Skipped, content_hash, doc_name, find_files, load_file
from kg.resolve import (
    DocFacts,
    DocRef,
    Resolver,
    document_shares,
    expand_affiliated,
    remap_relations,
)
from kg.unitstore import UnitStore

if TYPE_CHECKING:  # rdflib is imported where the graph is written, after workers start
    from rdflib import Graph

    from kg.rdf import Triple

_RULE_SOURCES = (
    "extract",
    "document.py",
    "normalize.py",
    "segment.py",
    "gazetteer.py",
    "resolve.py",
    "pipeline.py",  # analyse()
)


@cache
def rules_version() -> str:
    """Hash of everything that decides what a document yields: rules, lexicons, code."""
    h = hashlib.sha256(b"rules")  # kg/extract/ (EXTRACTOR_VERSION among it) is hashed below
    pkg = Path(__file__).resolve().parent
    files: list[Path] = []
    for sub in ("lexicon", "patterns", "gazetteer"):
        files += sorted((ONTOLOGY_DIR / sub).glob("*"))
    for src in _RULE_SOURCES:
        p = pkg / src
        files += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def analyse(doc: Document) -> DocFacts:
    """normalize → segment → extract one loaded document."""
    from kg.extract import extract  # imported where reports are extracted (workers)
    from kg.normalize import normalize

    norm = normalize(doc.raw)
    doc.text, doc.offsets = norm.text, norm.offsets
    extract(doc)
    mentions, renamed = expand_affiliated([_as_printed(doc, m) for m in doc.mentions])
    doc.relations = remap_relations(doc.relations, renamed)
    evidence = []
    for r in doc.relations:
        a, b = doc.to_original(r.sentence_start, r.sentence_end)
        evidence.append((doc.raw[a:b], a, b))
    facts = DocFacts(
        name=doc.name,
        sha256=doc.sha256,
        encoding=doc.encoding,
        characters=len(doc.raw),
        city=doc.own_place,  # the place the report is about: its county, city or province
        year=doc.year,
        years=doc.years,
        headline=doc.headline,
        mentions=mentions,
        relations=doc.relations,
        evidence=evidence,
    )
    facts.shares = document_shares(facts, load_gazetteer())
    return facts


def _as_printed(doc: Document, m: Mention) -> Mention:
    """The mention with the surface the file printed when normalization only replaced its
    characters one for one (郟县 stays an alias of 郏县; a repaired span keeps its repair)."""
    from kg.normalize import same_after_mapping

    a, b = doc.to_original(m.start, m.end)
    printed = doc.raw[a:b]
    if printed == m.surface or not same_after_mapping(printed, m.surface):
        return m
    return replace(m, surface=printed)


def process_file(job: tuple[Path, Path, str | None]) -> DocFacts | Skipped:
    """Load and analyse one file, through the cache when one is given."""
    path, root, cache_dir = job
    try:
        doc = load_file(path, root)
    except Exception as exc:  # one bad file never stops the build
        return Skipped(path, str(exc).removeprefix(f"{path}: "))
    cached = _cache_path(cache_dir, doc.sha256)
    facts = _cached_facts(cached, doc.name) if cached is not None and cached.exists() else None
    if facts is not None:
        return facts
    try:
        facts = analyse(doc)
    except Exception as exc:
        return Skipped(path, f"extraction failed: {type(exc).__name__}: {exc}")
    if cached is not None:
        try:
            write_cache_bytes(cached, facts_bytes(facts))
        except (OSError, OutputError) as exc:  # a full disk costs the cache, not the build
            if not _IN_WORKER:  # (a worker's failure is seen and said by Extraction._saved)
                cache_write_failed(exc)
    return facts


#: True in a worker process of the build (set when it starts).
_IN_WORKER = False


def _worker_start() -> None:
    global _IN_WORKER
    _IN_WORKER = True
    die_with_parent()


def cached_entry(path: Path, cache_dir: str | None) -> Path | None:
    """The cache file of a report extracted before (found by content hash, no decoding)."""
    if not cache_dir:
        return None
    try:
        sha = content_hash(path)
    except OSError:
        return None
    entry = _cache_path(cache_dir, sha)
    return entry if entry is not None and entry.exists() else None


def _from_cache(job: tuple[Path, Path, str | None], entry: Path) -> DocFacts | Skipped:
    return _cached_facts(entry, doc_name(job[0], job[1])) or process_file(job)


#: The document cache's format (the kind its files are sealed as, :func:`kg.io.seal`).
FACTS_KIND = "facts/1"


def facts_bytes(facts: DocFacts) -> bytes:
    """A report's facts as sealed plain data: tuples of str, int, float, bool and None."""
    f = facts
    return dump_data(
        FACTS_KIND,
        (
            f.name,
            f.sha256,
            f.encoding,
            f.characters,
            f.city,
            f.year,
            f.years,
            f.headline,
            [m.fields() for m in f.mentions],
            [r.fields() for r in f.relations],
            f.evidence,
            f.shares,
        ),
    )


def facts_from(data: bytes) -> DocFacts:
    """The facts :func:`facts_bytes` wrote (raises :class:`kg.io.Damaged`)."""
    try:
        name, sha, enc, chars, city, year, years, head, mentions, relations, ev, shares = load_data(
            FACTS_KIND, data
        )
        return DocFacts(
            name,
            sha,
            enc,
            chars,
            city,
            year,
            years,
            head,
            [Mention(*m) for m in mentions],
            [Relation(*r) for r in relations],
            ev,
            shares,
        )
    except (TypeError, ValueError) as exc:  # Damaged is a ValueError
        raise Damaged(str(exc)) from None


def _cached_facts(entry: Path | None, name: str) -> DocFacts | None:
    """A report's facts from its cache entry, under its name now (None: lost or damaged,
    the report is extracted again; damage is said once)."""
    if entry is None:
        return None
    try:
        facts = facts_from(entry.read_bytes())
        if facts.sha256 != entry.stem:
            raise Damaged("the facts of another report")
    except FileNotFoundError:
        return None
    except (OSError, Damaged) as exc:
        warn_once(
            "facts",
            f"{entry}: damaged document cache entry ({exc}): ignored, the report is "
            f"extracted again",
        )
        return None
    facts.name = name
    return facts


def _cache_path(cache_dir: str | None, sha: str) -> Path | None:
    if not cache_dir:
        return None
    return Path(cache_dir) / rules_version() / sha[:2] / f"{sha}.facts"


@dataclass(slots=True)
class BuildResult:
    """Documents in input order (``docs``: their facts, read lazily after an incremental
    rebuild; ``refs``: what the outputs need of them), skipped files, and the entities."""

    docs: Sequence[DocFacts] = field(default_factory=list)
    refs: list[DocRef] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    resolver: Resolver = field(default_factory=Resolver)
    seconds: float = 0.0
    #: For the next build (with a cache): this build's state, and the entity digests an
    #: incremental build kept from the one before.
    state: State | None = None
    digests: dict[str, str] = field(default_factory=dict)
    units: UnitStore | None = None  # the render cache, when opened while extracting
    #: Files whose bytes are those of an earlier file: (name, the earlier file's name).
    #: One Document stands for both, under the first name.
    copies: list[tuple[str, str]] = field(default_factory=list)

    def triples(self, with_ontology: bool = True) -> Iterator[Triple]:
        from kg.rdf import (
            document_relation_triples,
            document_triples,
            entity_triples,
            ontology_triples,
        )

        ents = self.resolver.entities
        known = set(ents)
        names = {k: e.name for k, e in ents.items()}
        if with_ontology:
            yield from ontology_triples()
        for f in self.docs:
            yield from document_triples(f)
            yield from document_relation_triples(f, known, names)
        for key in sorted(ents):
            yield from entity_triples(ents[key], known)

    def graph(self, triples: Iterable[Triple] | None = None) -> Graph:
        from rdflib import Graph

        from kg.rdf import PREFIXES

        g = Graph()
        for p, ns in PREFIXES.items():
            g.bind(p, ns)
        g.addN((s, p, o, g) for s, p, o in (self.triples() if triples is None else triples))
        return g

    def summary(self, seconds: float | None = None) -> str:
        """The build line: documents, then each class as the graph holds it (the count
        kg stats gives) with how many of them the reports name themselves (the rest are the
        places and parent bodies those lie in), then the relations, and the time the
        command took (``seconds``, the wall clock the user waited; else the extraction's)."""
        named = self.resolver.classes()
        nodes = Counter(e.cls for e in self.resolver.entities.values())
        ents = self.resolver.entities
        rel = Counter(
            kind
            for f in self.refs
            for kind, parties in zip(f.kinds, f.parties, strict=True)
            if all(p in ents for p in parties)  # the relation nodes the graph holds
        )
        parts = [f"{len(self.refs)} documents"]
        for c, n in sorted(nodes.items()):
            parts.append(
                f"{n} {c}" + (f" ({named.get(c, 0)} named)" if named.get(c, 0) != n else "")
            )
        parts += [f"{n} {c}" for c, n in sorted(rel.items())]
        took = self.seconds if seconds is None else seconds
        line = ", ".join(parts) + f" in {took:.1f}s"
        if self.skipped:
            line += f"; {len(self.skipped)} skipped"
        return line


def build(
    paths: Iterable[Path],
    *,
    jobs: int = 1,
    cache_dir: str | None = None,
    progress: bool = False,
    dask: str | None = None,
    follow_links: bool = False,
) -> BuildResult:
    """Extract every report under ``paths`` and resolve their entities (no files written).

    ``dask`` runs the same per-document extraction on a Dask cluster instead of local
    processes: a scheduler address, or ``"local"`` for a LocalCluster on this machine.
    """
    t0 = time.perf_counter()
    files, skipped = find_files(list(paths), follow_links)
    result = _incremental(files, cache_dir, jobs, progress, dask) if cache_dir else None
    if result is None:
        folder = incremental.state_folder(cache_dir, _state_version()) if cache_dir else None
        result = BuildResult(skipped=[], state=State.collect(folder) if folder else None)
        work = [(p, root, cache_dir) for p, root in files]
        stats = _stats(files) if result.state is not None else []  # before the files are read
        first: dict[str, str] = {}  # content hash -> the first name it was found under
        for i, item in enumerate(_run(work, jobs, progress, dask)):
            if isinstance(item, Skipped):
                result.skipped.append(item)
                if result.state is not None:
                    result.state.add_skipped(item, doc_name(*files[i]), stats[i])
            elif first.setdefault(item.sha256, item.name) != item.name:
                result.copies.append((item.name, first[item.sha256]))
            else:
                result.docs.append(item)  # type: ignore[attr-defined]
                result.refs.append(item.ref())
                result.resolver.add(item)
                if result.state is not None:
                    result.state.add(item, stats[i])
    result.skipped[:0] = skipped
    result.seconds = time.perf_counter() - t0
    return result


def _stats(files: list[tuple[Path, Path]]) -> list[incremental.Stat]:
    now = time.time_ns()
    out: list[incremental.Stat] = []
    for path, _ in files:
        try:
            out.append(incremental.file_stat(path, now))
        except OSError:
            out.append(None)
    return out


def _incremental(
    files: list[tuple[Path, Path]],
    cache_dir: str,
    jobs: int,
    progress: bool,
    dask: str | None,
) -> BuildResult | None:
    """The build from the last one's state when only a few reports changed (else None)."""
    state = incremental.load_state(cache_dir, _state_version())
    try:
        plan = incremental.plan(files, state) if state is not None else None
    except (IndexError, KeyError, TypeError, ValueError):  # a state of another shape
        return None
    if state is None or plan is None:
        return None
    work = [(*files[i], cache_dir) for i in plan.changed]
    extraction = Extraction(work, jobs, progress, dask)  # workers start on the changed reports
    old_facts = []
    for name, sha in plan.gone.items():  # the shares the old versions leave behind
        facts = _cached_facts(_cache_path(cache_dir, sha), name)
        if facts is None:  # a lost or corrupt entry: the full build knows what to do
            list(extraction)  # let the workers finish
            return None
        old_facts.append(facts)
    try:
        state.store.prefetch(share[0] for f in old_facts for share in f.shares)
        units = open_units(cache_dir)  # meanwhile the render cache, and the renderer (rdflib)
        extracted = dict(zip(plan.changed, extraction, strict=True))
        up = incremental.update(state, plan, files, extracted, old_facts, cache_dir)
    except incremental.StateError:  # it was removed: the full build leaves a new one
        list(extraction)  # let the workers finish
        return None
    return BuildResult(
        docs=up.docs,
        refs=up.refs,
        skipped=up.skipped,
        resolver=up.resolver,
        state=state,
        digests=up.digests,
        units=units,
    )


def open_units(cache_dir: str | None) -> UnitStore:
    from kg.emit import open_cache

    return open_cache(cache_dir, rules_version())


def _state_version() -> str:
    from kg.emit import render_version

    return render_version(rules_version())


def _run(
    work: list[tuple[Path, Path, str | None]], jobs: int, progress: bool, dask: str | None = None
) -> Iterator[DocFacts | Skipped]:
    return iter(Extraction(work, jobs, progress, dask))


class Extraction:
    """Facts of ``work`` in input order. Workers start on the reports to extract as soon as
    this is made; iterating reads the cached reports meanwhile and collects the rest."""

    def __init__(
        self,
        work: list[tuple[Path, Path, str | None]],
        jobs: int,
        progress: bool,
        dask: str | None = None,
    ) -> None:
        self.work = work
        self.bar = None
        if progress and len(work) > 20:
            from tqdm import tqdm

            self.bar = tqdm(total=len(work), unit="doc", file=sys.stderr)
        self.entries = [cached_entry(path, cache_dir) for path, _, cache_dir in work]
        todo = [job for job, entry in zip(work, self.entries, strict=True) if entry is None]
        self.todo = todo
        self.pool = None
        self.fresh: Iterator[DocFacts | Skipped]
        if dask is not None and todo:
            from kg.cluster import dask_map

            # Workers on other machines have other working folders: absolute paths (names in
            # the graph stay relative to each root, so the output is the same as with --jobs).
            remote = [
                (p.absolute(), r.absolute(), os.path.abspath(c) if c else c) for p, r, c in todo
            ]
            self.fresh = iter(dask_map(process_file, remote, dask))
        elif jobs <= 1 or not todo:
            self.fresh = map(process_file, todo)
        else:
            self.pool = ProcessPoolExecutor(
                max_workers=min(jobs, len(todo)), initializer=_worker_start
            )
            chunk = max(1, min(16, len(todo) // (jobs * 4)))
            self.fresh = self.pool.map(process_file, todo, chunksize=chunk)
        # While the workers start (a process, a dictionary) this process reads the cached
        # facts instead of waiting for the first fresh report; the order is unchanged.
        self.overlap = bool(todo) and len(todo) < len(work)
        self.overlap = self.overlap and (self.pool is not None or dask is not None)
        self.stream = self._stream()

    def __iter__(self) -> Iterator[DocFacts | Skipped]:
        return self.stream  # once: a second loop gets what the first left

    @staticmethod
    def _saved(job: tuple[Path, Path, str | None], facts: DocFacts) -> bool:
        """Whether the report's facts reached the cache (the one warning when not)."""
        entry = _cache_path(job[2], facts.sha256)
        if entry is None or entry.exists():
            return True
        import tempfile

        try:  # why the worker could not write it (it said nothing)
            entry.parent.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(dir=entry.parent, prefix=".probe-")
            os.close(fd)
            os.unlink(probe)
            reason = OSError(f"{entry}: not written by the worker")
        except OSError as exc:
            reason = exc
        cache_write_failed(reason)
        return False

    def _stream(self) -> Iterator[DocFacts | Skipped]:
        work, entries, fresh = self.work, self.entries, self.fresh
        early = [
            _from_cache(job, entry) if self.overlap and entry is not None else None
            for job, entry in zip(work, entries, strict=True)
        ]
        stream = (
            ready
            if ready is not None
            else (next(fresh) if entry is None else _from_cache(job, entry))
            for job, entry, ready in zip(work, entries, early, strict=True)
        )
        check = bool(self.todo) and self.todo[0][2] is not None  # extracted: now cached?
        try:
            for job, entry, item in zip(work, entries, stream, strict=True):
                if self.bar is not None:
                    self.bar.update(1)
                if check and entry is None and isinstance(item, DocFacts):
                    check = self._saved(job, item)
                yield item
        finally:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)
            if self.bar is not None:
                self.bar.close()


# --- writing outputs ------------------------------------------------------------------------


def turtle_text(result: BuildResult, triples: Iterable[Triple] | None = None) -> str:
    from kg.rdf import write_turtle

    buf = io.StringIO()
    write_turtle(result.triples() if triples is None else triples, buf)
    return buf.getvalue()


#: Above this many nodes graph.graphml is skipped unless asked for: converting the whole graph
#: through rdflib and networkx would hold it in memory several times over.
GRAPHML_AUTO_LIMIT = 50000


def node_count(result: BuildResult) -> int:
    rels = sum(len(f.kinds) for f in result.refs)
    return len(result.resolver.entities) + rels


def write_outputs(
    result: BuildResult,
    out: Path,
    html: str = "auto",
    graphml: str = "auto",
    *,
    cache_dir: str | None = None,
    jobs: int = 1,
) -> list[Path]:
    """kg.ttl, and the views the node count allows (or ``always`` asks for), atomically.

    kg.ttl and graph.graphml come from per-resource units through the render cache in
    ``cache_dir`` (:mod:`kg.emit`); graph.html is laid out from the whole graph.
    """
    from kg.emit import write as emit

    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".kg-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"{out}: cannot write output ({exc.strerror or exc})") from None
    nodes = node_count(result)
    # the page draws an overview and focused neighbourhoods, never the whole graph: any size
    want_html = html in ("always", "auto")
    want_graphml = graphml == "always" or (graphml == "auto" and nodes <= GRAPHML_AUTO_LIMIT)
    if graphml == "auto" and not want_graphml:
        print(
            f"kg build: graph.graphml skipped: {nodes:,} nodes "
            f"(--graphml always to write it; kg build --store DIR scales further)",
            file=sys.stderr,
        )
    _sweep_stages(out)
    stage = Path(tempfile.mkdtemp(dir=out, prefix=f"{_STAGE_PREFIX}{os.getpid()}-"))
    try:
        staged = [stage / "kg.ttl"]
        graphml_path = stage / "graph.graphml" if want_graphml else None
        rules = rules_version()
        state = result.state if cache_dir else None
        emit(
            result,
            staged[0],
            graphml_path,
            cache_dir=cache_dir,
            rules=rules,
            jobs=jobs,
            digests=result.digests,
            store=result.units,
            saved=None if state is None else partial(state.save, result.resolver.entities),
        )
        if want_html:
            from kg.html import write_html
            from kg.triples import TripleIndex

            write_html(TripleIndex(result.triples()), stage / "graph.html")  # type: ignore[arg-type]
            staged.append(stage / "graph.html")
        if graphml_path is not None:
            staged.append(graphml_path)
        # The set is complete: it replaces the previous one, the views first and kg.ttl
        # last; a view not written this time goes too, so no page of an older build stays
        # beside the new graph.
        for name in ("graph.html", "graph.graphml"):
            old = out / name
            if stage / name not in staged and old.exists():
                try:
                    old.unlink()
                except OSError as exc:
                    raise OutputError(f"cannot remove the previous {old}: {exc}") from None
                print(
                    f"kg build: removed the previous {old} (not written by this build)",
                    file=sys.stderr,
                )
        for path in [*staged[1:], staged[0]]:
            try:
                os.replace(path, out / path.name)
            except OSError as exc:
                raise OutputError(f"cannot write {out / path.name}: {exc}") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return [out / path.name for path in staged]


#: A build writes its outputs into ``<out>/.kg-build-<pid>-…/`` and moves them into place
#: only when all are written: a failure (a full disk) leaves the previous set whole.
_STAGE_PREFIX = ".kg-build-"


def _sweep_stages(out: Path) -> None:
    """Remove the staging folders of builds that were killed (their pid is not running)."""
    for folder in out.glob(f"{_STAGE_PREFIX}*"):
        if owner_died(folder.name[len(_STAGE_PREFIX) :].split("-", 1)[0]):
            shutil.rmtree(folder, ignore_errors=True)


def load_store(ttl: Path, store_dir: Path) -> int:
    """Load the built kg.ttl into an on-disk Oxigraph store, one named graph per report.

    The graphs are those ``kg push`` sends (:func:`kg.graphs.partition`: each report's
    Document and relation nodes in the graph named by the Document's IRI; entities and the
    ontology, merged across reports, in the shared graph), so re-extracting a report replaces
    exactly its facts. The store is emptied first and filled by Oxigraph's bulk loader from
    N-Quads streamed through a temporary file. Returns the number of quads in the store.
    """
    import tempfile

    import pyoxigraph as ox

    from kg.graphs import partition

    graphs = partition(ttl, error=OutputError)
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(store_dir))
        store.clear()
        with tempfile.TemporaryFile(dir=store_dir, prefix=".load-", suffix=".nq") as nquads:
            for g in graphs:
                name = f" <{g.iri}> .\n".encode()
                nquads.writelines(line[:-3] + name for line in g.lines)  # "s p o ." + graph
                g.lines.clear()
            nquads.seek(0)
            store.bulk_load(nquads, ox.RdfFormat.N_QUADS)
        store.flush()
        return len(store)
    except (OSError, ValueError) as exc:
        raise OutputError(f"{store_dir}: cannot load the store ({exc})") from None


# --- command line ----------------------------------------------------------------------------


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="build the knowledge graph from reports",
        description="Extract entities and relations from .txt/.md reports and write "
        "kg.ttl, graph.html and graph.graphml.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path("seeds")],
        help="report files or folders (default: seeds/)",
    )
    p.add_argument("--out", type=Path, default=Path("output"), help="output folder")
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes (default: all cores)",
    )
    p.add_argument(
        "--cache",
        default=".kgcache",
        help="cache folder for incremental rebuilds (default: .kgcache)",
    )
    p.add_argument("--no-cache", action="store_true", help="re-extract every document")
    p.add_argument(
        "--follow-links",
        action="store_true",
        help="read symbolic links inside an input folder that point outside it (skipped "
        "by default)",
    )
    p.add_argument(
        "--wait",
        type=float,
        default=LOCK_WAIT,
        metavar="SECONDS",
        help=f"wait at most this long for another build using the cache (default: {LOCK_WAIT:g})",
    )
    p.add_argument("--strict", action="store_true", help="fail on any unreadable document")
    p.add_argument(
        "--store",
        type=Path,
        default=None,
        help="also load the graph into an on-disk Oxigraph store at DIR (kg query --store DIR)",
    )
    p.add_argument(
        "--dask",
        nargs="?",
        const="local",
        default=None,
        metavar="ADDRESS",
        help="extract on a Dask cluster (scheduler ADDRESS, e.g. tcp://host:8786; 'local' or "
        "none: a LocalCluster on this machine); workers must see the report files",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    p.add_argument(
        "--html",
        choices=("auto", "always", "never"),
        default="auto",
        help="write graph.html (auto and always: at every size; the page draws an overview)",
    )
    p.add_argument(
        "--graphml",
        choices=("auto", "always", "never"),
        default="auto",
        help=f"write graph.graphml (auto: only up to {GRAPHML_AUTO_LIMIT:,} nodes)",
    )
    p.set_defaults(func=run)


#: Cyclic-GC thresholds for a build: it allocates millions of small acyclic objects, and
#: with the defaults (700, 10, 10) the collector rescans the growing heap thousands of times
#: (7-13% of a 10 MB build; memory is the same, the data holds no cycles to wait for).
BUILD_GC_THRESHOLDS = (100_000, 50, 100)


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        print("kg build: error: --jobs must be at least 1", file=sys.stderr)
        return 2
    gc.set_threshold(*BUILD_GC_THRESHOLDS)  # forked workers inherit it
    cache_dir = None if args.no_cache else args.cache
    with cache_lock(cache_dir, args.wait):
        try:
            done = _build_and_write(args, cache_dir)
        except incremental.StateError as exc:  # found damaged while writing: it is removed
            warn_once("state", str(exc))
            done = _build_and_write(args, cache_dir)  # the promised full build
    if isinstance(done, int):
        return done
    result, written = done
    if args.store is not None:
        quads = load_store(written[0], args.store)
        if not args.quiet:
            print(f"loaded {quads:,} quads into the store {args.store}")
    if not args.quiet:
        print(result.summary(time.perf_counter() - args.started))
        for w in written:
            print(f"wrote {w}")
    return 1 if result.skipped else 0


def _build_and_write(
    args: argparse.Namespace, cache_dir: str | None
) -> tuple[BuildResult, list[Path]] | int:
    result = build(
        args.paths,
        jobs=args.jobs,
        cache_dir=cache_dir,
        progress=sys.stderr.isatty() and not args.quiet,
        dask=args.dask,
        follow_links=getattr(args, "follow_links", False),
    )
    for s in result.skipped:
        print(terminal_safe(f"kg build: skipped {s.path}: {s.reason}"), file=sys.stderr)
    if result.copies:
        for name, first in result.copies:
            print(
                terminal_safe(
                    f"kg build: {name} is an identical copy of {first}: one Document, named {first}"
                ),
                file=sys.stderr,
            )
        n = len(result.refs) + len(result.copies)
        print(
            f"kg build: {n} files, {len(result.refs)} distinct reports "
            f"({len(result.copies)} identical copies)",
            file=sys.stderr,
        )
    if args.strict and result.skipped:
        print(
            f"kg build: error: {len(result.skipped)} document(s) skipped (--strict)",
            file=sys.stderr,
        )
        return 1
    if not result.docs:
        print("kg build: error: no document could be read", file=sys.stderr)
        return 1
    written = write_outputs(
        result,
        args.out,
        html=args.html,
        graphml=args.graphml,
        cache_dir=cache_dir,
        jobs=args.jobs,
    )
    return result, written
