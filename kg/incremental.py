"""Rebuilds after a few reports changed, without reading the other reports' facts again.

A build with a cache leaves a *state* beside it (``state/<version>/``): ``main.data``
holds the documents in order (name, content hash, relation kinds and parties) and, per
entity, its name, class, whether a document names it, and its unit's digest; 256 shards
hold, per entity, its merged state and every document's share of it
(:func:`kg.resolve.document_shares`), in document order. Every file is plain data, sealed
with its format and checksum (:func:`kg.io.dump_data`); ``main.data`` also holds each
shard's checksum, so a shard of another build is as damaged as a torn one.

The next build stats the input files and hashes those whose size or mtime changed. When
only a few were added, changed or removed it
extracts those (through the document cache), reads the shards of the entities their old
and new versions touch, takes the old shares out and puts the new ones in (the fold of
:func:`kg.resolve.fold`, in document order), and hands every other entity to the renderer
with its old digest. Entities and the other reports' facts are read only when something
asks for them (a unit to render; graph.html, which needs the whole graph). The result is
a full build's, byte for byte: the tests hold the two equal over series of random edits.

Anything unexpected (no state, other rules, many changes, duplicate names or contents, a
lost or damaged cache entry, a missing shard) makes the caller run the full build instead.
"""

from __future__ import annotations

import hashlib
import shutil
import time
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

from kg.errors import KGError, OutputError
from kg.io import (
    Damaged,
    cache_write_failed,
    drop_siblings,
    dump_data,
    load_data,
    warn_once,
    write_cache_bytes,
)
from kg.loader import Skipped, content_hash, doc_name
from kg.resolve import DocFacts, DocRef, Entity, Resolver, Share, fold

#: The incremental path is taken while at most this share of the reports changed (and
#: always for up to MIN_CHANGES): beyond it a full build is about as quick.
MAX_CHANGED_SHARE = 0.1
MIN_CHANGES = 8
SHARDS = 256

#: The state files' formats (kinds they are sealed as).
MAIN_KIND, SHARD_KIND = "state-main/1", "state-shard/1"
MAIN, SHARD = "main.data", "shard-{:02x}.data"

#: An entity as plain values (marshal reads them back fast).
Row = tuple[Any, ...]
#: A file's (size, mtime in ns) when its content hash can be trusted without reading it.
Stat = tuple[int, int] | None
#: A document: name, content hash, relation kinds, relation parties, file stat.
DocRow = tuple[str, str, tuple[str, ...], tuple[tuple[str, ...], ...], Stat]
#: A file modified this close before it was looked at may change again within the same
#: mtime tick (file systems count in seconds, some in two): its stat is not trusted.
RACY_NS = 2_000_000_000


def file_stat(path: Path, now_ns: int) -> Stat:
    """The file's stat, if later changes will show in it (None: hash the file next time)."""
    st = path.stat()
    return (st.st_size, st.st_mtime_ns) if st.st_mtime_ns < now_ns - RACY_NS else None


#: What the outputs need of an entity without reading it: name, class, whether a document
#: names it, and the keys it points to (place, parent, affiliations).
Head = tuple[str, str, bool, tuple[str, ...]]
#: Per entity key: its merged state, and (document name, share) in document order.
Shard = dict[str, tuple[Row, list[tuple[str, Share]]]]


def entity_row(e: Entity) -> Row:
    return (
        e.key,
        e.cls,
        e.subclass,
        e.name,
        tuple(e.aliases),
        tuple(e.docs.items()),
        e.located_in,
        e.parent,
        tuple(e.roles),
        tuple(e.affiliations),
        e.code,
        e.lat,
        e.lon,
    )


def entity_from(row: Row) -> Entity:
    key, cls, sub, name, aliases, docs, located_in, parent, roles, affs, code, lat, lon = row
    return Entity(
        key,
        cls,
        sub,
        name,
        set(aliases),
        Counter(dict(docs)),
        located_in,
        parent,
        set(roles),
        set(affs),
        code,
        lat,
        lon,
    )


def head(e: Entity) -> Head:
    links = {e.located_in, e.parent, *e.affiliations} - {None}
    return (e.name, e.cls, bool(e.docs), tuple(links))  # type: ignore[arg-type]


def shard_of(key: str) -> int:
    return zlib.crc32(key.encode()) % SHARDS


class StateError(KGError):
    """A state file is missing or damaged (the state is removed: the next build is full)."""


class StateStore:
    """The state's shards, read on demand and checked against ``main.data``'s checksums."""

    def __init__(self, folder: Path, sums: dict[int, bytes] | None = None) -> None:
        self.folder = folder
        self.sums = sums or {}
        self.shards: dict[int, Shard] = {}
        self.dirty: set[int] = set()

    def shard(self, n: int) -> Shard:
        shard = self.shards.get(n)
        if shard is None:
            path = self.folder / SHARD.format(n)
            try:
                data = path.read_bytes() if n in self.sums else b""
                if data and _sum(data) != self.sums.get(n):
                    raise Damaged("its checksum does not match the state's")
                shard = load_data(SHARD_KIND, data) if data else {}
                if not isinstance(shard, dict):
                    raise Damaged("not a shard")
            except (OSError, Damaged) as exc:
                (self.folder / MAIN).unlink(missing_ok=True)
                raise StateError(
                    f"{path}: the incremental build state is damaged ({exc}); it was "
                    f"removed, this build is a full one"
                ) from None
            self.shards[n] = shard
        return shard

    def prefetch(self, keys: Iterable[str]) -> None:
        for n in sorted({shard_of(k) for k in keys}):
            self.shard(n)

    def entry(self, key: str) -> tuple[Row, list[tuple[str, Share]]] | None:
        return self.shard(shard_of(key)).get(key)


class StateEntities(Mapping[str, Entity]):
    """The build's entities: keys and names at hand, each entity read when first asked."""

    def __init__(self, heads: dict[str, Head], store: StateStore) -> None:
        self.heads = heads
        self.store = store
        self.loaded: dict[str, Entity] = {}

    def __getitem__(self, key: str) -> Entity:
        ent = self.loaded.get(key)
        if ent is None:
            entry = self.store.entry(key) if key in self.heads else None
            if entry is None:
                raise KeyError(key)
            ent = self.loaded[key] = entity_from(entry[0])
        return ent

    def __iter__(self) -> Iterator[str]:
        return iter(self.heads)

    def __len__(self) -> int:
        return len(self.heads)

    def __contains__(self, key: object) -> bool:
        return key in self.heads


class StateResolver(Resolver):
    """A resolver over a state's entities (nothing is added to it)."""

    def __init__(self, entities: StateEntities) -> None:
        super().__init__()
        self.entities = entities

    def names(self) -> dict[str, str]:
        assert isinstance(self.entities, StateEntities)
        return {k: h[0] for k, h in self.entities.heads.items()}

    def classes(self) -> Counter[str]:
        assert isinstance(self.entities, StateEntities)
        return Counter(h[1] for h in self.entities.heads.values() if h[2])


@dataclass(slots=True)
class State:
    """What a build leaves for the next one (see the module's docstring)."""

    folder: Path
    docs: list[DocRow]
    heads: dict[str, Head]
    digests: dict[str, str]
    store: StateStore
    #: Files that could not be read as reports: name -> (content hash, stat, reason). They
    #: are tried again only when they change (a corpus with a few broken files stays
    #: incremental), and reported as skipped each time, as a full build does.
    skipped: dict[str, tuple[str, Stat, str]] = field(default_factory=dict)
    #: A full build's shares, per entity key, until saved (None: an incremental build's,
    #: whose changed shards are in the store).
    collected: dict[str, list[tuple[str, Share]]] | None = None

    @classmethod
    def collect(cls, folder: Path) -> State:
        return cls(folder, [], {}, {}, StateStore(folder), skipped={}, collected={})

    def add_skipped(self, item: Skipped, name: str, stat: Stat) -> None:
        try:
            self.skipped[name] = (content_hash(item.path), stat, item.reason)
        except OSError:  # unreadable: tried again next time
            pass

    def add(self, facts: DocFacts, stat: Stat) -> None:
        """Record one document of a full build, in input order (``stat``: taken before
        the file was read)."""
        ref = facts.ref()
        self.docs.append((ref.name, ref.sha256, ref.kinds, ref.parties, stat))
        assert self.collected is not None
        for share in facts.shares:
            self.collected.setdefault(share[0], []).append((ref.name, share))

    def save(self, entities: Mapping[str, Entity], digests: dict[str, str]) -> None:
        """Write the state for the next build (a failure only makes that one a full build)."""
        if self.collected is not None:
            ents = {k: entities[k] for k in entities}
            self.heads = {k: head(e) for k, e in ents.items()}
            shards: dict[int, Shard] = {n: {} for n in range(SHARDS)}
            for key, shares in self.collected.items():
                shards[shard_of(key)][key] = (entity_row(ents[key]), shares)
            self.store.shards, self.store.dirty = shards, set(shards)
        self.digests = digests
        main = self.folder / MAIN
        try:
            if self.collected is not None and self.folder.exists():
                shutil.rmtree(self.folder)
            self.folder.mkdir(parents=True, exist_ok=True)
            main.unlink(missing_ok=True)  # no state while its shards change: a crash here
            sums = self.store.sums
            for n in sorted(self.store.dirty):  # only costs the next build a full one
                shard = self.store.shards[n]
                path = self.folder / SHARD.format(n)
                if not shard:
                    path.unlink(missing_ok=True)
                    sums.pop(n, None)
                    continue
                data = dump_data(SHARD_KIND, shard)
                path.write_bytes(data)
                sums[n] = _sum(data)
            state = (self.docs, self.heads, self.digests, sums, self.skipped)
            write_cache_bytes(main, dump_data(MAIN_KIND, state))
            drop_siblings(self.folder)  # states of other rules are never read
        except (OSError, OutputError) as exc:
            main.unlink(missing_ok=True)
            cache_write_failed(exc)


def _sum(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()[:16]


def state_folder(cache_dir: str, version: str) -> Path:
    return Path(cache_dir) / "state" / version


def load_state(cache_dir: str, version: str) -> State | None:
    """The last build's state (None: none, or not whole: the build is a full one)."""
    folder = state_folder(cache_dir, version)
    try:
        docs, heads, digests, sums, skipped = load_data(MAIN_KIND, (folder / MAIN).read_bytes())
        missing = [n for n in sums if not (folder / SHARD.format(n)).is_file()]
    except FileNotFoundError:
        return None
    except (OSError, Damaged, TypeError, ValueError, AttributeError) as exc:
        warn_once("state", f"{folder / MAIN}: damaged incremental state ({exc}): a full build")
        return None
    if missing:
        warn_once("state", f"{folder}: {len(missing)} state shard(s) missing: a full build")
        return None
    return State(folder, docs, heads, digests, StateStore(folder, sums), skipped=skipped)


@dataclass(slots=True)
class Plan:
    """How the inputs differ from the state's documents."""

    names: list[str]
    changed: list[int]  # input positions to extract (new or edited)
    gone: dict[str, str]  # name -> content hash of the old versions that leave the graph
    stats: list[Stat]  # per input file, taken before it was read
    still_skipped: set[str]  # names of files skipped before, unchanged since


def plan(files: list[tuple[Path, Path]], state: State) -> Plan | None:
    """The changes since the state's build, or None when a full build is the better way."""
    names = [doc_name(p, root) for p, root in files]
    if len(set(names)) != len(names):
        return None
    rows = {d[0]: d for d in state.docs}
    if len(rows) != len(state.docs):
        return None
    now: dict[str, str] = {}
    stats: list[Stat] = []
    started = time.time_ns()
    for name, (p, _) in zip(names, files, strict=True):
        try:
            stat = file_stat(p, started)
            row, skip = rows.get(name), state.skipped.get(name)
            sha, was = (row[1], row[4]) if row else (skip[0], skip[1]) if skip else (None, None)
            if stat is not None and was == stat:
                now[name] = sha  # same size and mtime: the same content, unread
            else:
                now[name] = content_hash(p)
        except OSError:
            return None
        stats.append(stat)
    still = {n for n, (sha, _, _) in state.skipped.items() if now.get(n) == sha}
    reports = [sha for n, sha in now.items() if n not in still]
    if len(set(reports)) != len(reports):  # identical copies: the full build names them
        return None
    old = {n: d[1] for n, d in rows.items()}
    changed = [i for i, n in enumerate(names) if old.get(n) != now[n] and n not in still]
    gone = {n: s for n, s in old.items() if now.get(n) != s}
    if len(changed) + len(gone) > max(MIN_CHANGES, int(len(names) * MAX_CHANGED_SHARE)):
        return None
    return Plan(names, changed, gone, stats, still)


class CachedDocs(Sequence[DocFacts]):
    """Documents' facts in input order: the fresh ones at hand, the others read from the
    document cache when asked for (re-extracted if the cache lost them)."""

    def __init__(self, fresh: dict[int, DocFacts], jobs: list[tuple[Path, Path, str | None]]):
        self.fresh = fresh
        self.jobs = jobs

    def __len__(self) -> int:
        return len(self.jobs)

    @overload
    def __getitem__(self, i: int) -> DocFacts: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[DocFacts]: ...
    def __getitem__(self, i: int | slice) -> DocFacts | Sequence[DocFacts]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        facts = self.fresh.get(i)
        if facts is None:
            from kg.pipeline import process_file

            item = process_file(self.jobs[i])
            if isinstance(item, Skipped):  # the file changed since this build read it
                raise OutputError(f"{item.path}: {item.reason}")
            facts = self.fresh[i] = item
        return facts

    def __iter__(self) -> Iterator[DocFacts]:
        return (self[i] for i in range(len(self)))


@dataclass(slots=True)
class Update:
    """An incremental build's documents and entities, and the digests still valid."""

    docs: CachedDocs
    refs: list[DocRef]
    resolver: StateResolver
    skipped: list[Skipped]
    digests: dict[str, str]


def update(
    state: State,
    p: Plan,
    files: list[tuple[Path, Path]],
    extracted: dict[int, DocFacts | Skipped],
    old_facts: list[DocFacts],
    cache_dir: str,
) -> Update:
    """Apply the plan to the state (in place): documents in order, touched entities folded
    anew. ``old_facts`` are the facts of the versions that leave the graph."""
    old = {d[0]: d for d in state.docs}
    fresh: dict[int, DocFacts] = {}
    skipped: list[Skipped] = []
    docs: list[DocRow] = []
    positions: list[int] = []
    new_shares: dict[str, list[tuple[str, Share]]] = {}
    was_skipped, state.skipped = state.skipped, {}
    for i, name in enumerate(p.names):
        item = extracted.get(i)
        if name in p.still_skipped:
            sha, _, reason = was_skipped[name]
            state.skipped[name] = (sha, p.stats[i], reason)
            skipped.append(Skipped(files[i][0], reason))
            continue
        if item is None:
            docs.append((*old[name][:4], p.stats[i]))
        elif isinstance(item, Skipped):
            skipped.append(item)
            state.add_skipped(item, name, p.stats[i])
            continue
        else:
            ref = item.ref()
            docs.append((ref.name, ref.sha256, ref.kinds, ref.parties, p.stats[i]))
            for share in item.shares:
                new_shares.setdefault(share[0], []).append((name, share))
            fresh[len(positions)] = item
        positions.append(i)
    order = {d[0]: n for n, d in enumerate(docs)}
    touched = {share[0] for f in old_facts for share in f.shares} | new_shares.keys()
    store, heads = state.store, state.heads
    folded: dict[str, Entity] = {}
    for key in sorted(touched):
        n = shard_of(key)
        shard = store.shard(n)
        entry = shard.get(key)
        rows = [r for r in (entry[1] if entry else ()) if r[0] not in p.gone]
        rows += new_shares.get(key, ())
        rows.sort(key=lambda r: order[r[0]])
        ent = fold(share for _, share in rows)
        store.dirty.add(n)
        if ent is None:
            shard.pop(key, None)
            heads.pop(key, None)
            continue
        shard[key] = (entity_row(ent), rows)
        heads[key] = head(ent)
        folded[key] = ent
    entities = StateEntities(heads, store)
    entities.loaded.update(folded)
    moved = {k for k in touched if (k in heads) != (k in state.digests)}  # appeared, vanished
    stale = set(touched)
    if moved:  # entities that point to them render differently now
        stale |= {k for k, h in heads.items() if not moved.isdisjoint(h[3])}
    digests = {k: d for k, d in state.digests.items() if k not in stale}
    state.docs = docs
    jobs = [(files[i][0], files[i][1], cache_dir) for i in positions]
    refs = [DocRef(*d[:4]) for d in docs]
    resolver = StateResolver(entities)
    return Update(CachedDocs(fresh, jobs), refs, resolver, skipped, digests)
