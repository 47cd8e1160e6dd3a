"""The render cache: rendered units in one append-only file, found by their digest.

A unit's Turtle bytes, GraphML node elements and edge elements lie one after another in
``units-<id>.bin``; ``index.data`` maps each unit's digest to their byte ranges and their
checksum, and ``journal-<id>.data`` holds what later builds changed in it: one record per
build (units added, units dropped), appended after their bytes. Opening the cache reads the
index, the journal and the units file; nothing is decoded until a unit is asked for, and a
unit's bytes are checked against its checksum before they are used: a damaged unit is
rendered again (said once), never copied to an output. Saving after a rebuild appends the
units rendered anew and one journal record. When more than half of the units file is dead,
or the journal is long, both are rewritten under a new id (the index, replaced atomically,
names them). The index and each journal record are sealed plain data
(:func:`kg.io.dump_data`). Anything unreadable is an empty cache, never an error; a torn or
damaged journal record ends the journal.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from kg.errors import OutputError
from kg.io import Damaged, cache_write_failed, dump_data, load_data, warn_once, write_cache_bytes

#: Index entry: where the unit's bytes start, the lengths of its Turtle, <node> and <edge>
#: blocks, then its GraphPart's ids and targets (None, None: GraphML not rendered), then the
#: checksum of its bytes.
Entry = tuple[int, int, int, int, tuple[str, ...] | None, tuple[str, ...] | None, bytes]
INDEX_KIND, RECORD_KIND = "render-index/1", "render-journal/1"
INDEX = "index.data"


def _journal(file: str) -> str:
    return f"journal-{file}.data"


def _checksum(data: bytes | memoryview) -> bytes:
    return hashlib.sha256(data).digest()[:16]


@dataclass(frozen=True, slots=True)
class GraphPart:
    """A unit's GraphML: its <node> elements (by IRI) and <edge> elements (by source,
    target and relation), each as one block, the IRIs of its nodes, and the ends of its
    edges that are not among them (found among other units' nodes, or the edge is left out)."""

    nodes: bytes
    edges: bytes
    ids: tuple[str, ...]
    targets: tuple[str, ...]


@dataclass(slots=True)
class Unit:
    """One source's share of the outputs."""

    turtle: bytes
    graph: GraphPart | None  # None: not rendered


class UnitStore:
    """Rendered units by digest: those of the last build on disk, and new ones in memory."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.data = b""
        self.file = ""  # the units file's id
        self.live = 0  # bytes of the units file the index points to
        self.records = 0  # journal records read
        self.index: dict[str, Entry] = {}
        self.fresh: dict[str, Unit] = {}
        self.intact: set[str] = set()  # digests whose bytes matched their checksum
        if folder is not None:
            self._open(folder)

    def _open(self, folder: Path) -> None:
        try:
            index = load_data(INDEX_KIND, (folder / INDEX).read_bytes())
            file, size, live = index.pop("")
            journal = folder / _journal(file)
            records = 0
            if journal.exists():
                data = journal.read_bytes()
                at = 0
                while at + 4 <= len(data):
                    n = int.from_bytes(data[at : at + 4], "little")
                    try:
                        added, dropped, end, now_live = load_data(
                            RECORD_KIND, data[at + 4 : at + 4 + n]
                        )
                    except Damaged as exc:  # torn by a crash, or damaged: the rest is lost
                        if at + 4 + n <= len(data):
                            warn_once("render", f"{journal}: damaged record ({exc}): ignored")
                        break
                    for d in dropped:
                        index.pop(d, None)
                    index.update(added)
                    size, live, records = end, now_live, records + 1
                    at += 4 + n
            data = (folder / f"units-{file}.bin").read_bytes()
        except FileNotFoundError:
            return
        except (OSError, Damaged, ValueError, TypeError, KeyError, AttributeError) as exc:
            warn_once("render", f"{folder}: damaged render cache ({exc}): rendered again")
            return
        if len(data) >= size:  # bytes no record vouches for are never pointed at
            self.index, self.data, self.file, self.live = index, data, file, live
            self.records = records

    def has(self, digest: str, graphml: bool) -> bool:
        """Whether the unit is here, intact, with what the build writes (GraphML, when
        asked)."""
        unit = self.fresh.get(digest)
        if unit is not None:
            return not graphml or unit.graph is not None
        entry = self.index.get(digest)
        if entry is None or (graphml and entry[4] is None):
            return False
        return digest in self.intact or self._check(digest, entry)

    def _check(self, digest: str, entry: Entry) -> bool:
        """Whether the unit's bytes are those its checksum vouches for (if not, it is
        forgotten: rendered again, and written anew when the cache is saved)."""
        try:
            at, size, nodes, edges, ids, targets, checksum = entry
            end = at + size + nodes + edges
            ok = 0 <= at <= end <= len(self.data) and _checksum(self.data[at:end]) == checksum
            ok = ok and (ids is None) == (targets is None)
        except (TypeError, ValueError):
            ok = False
        if ok:
            self.intact.add(digest)
            return True
        warn_once(
            "render",
            f"{self.folder}: damaged unit(s) in the render cache: rendered again",
        )
        del self.index[digest]
        try:
            self.live -= _entry_bytes(entry)
        except (TypeError, IndexError):
            pass
        return False

    def _intact(self, digest: str) -> Entry:
        entry = self.index[digest]
        if digest not in self.intact and not self._check(digest, entry):
            raise OutputError(f"{self.folder}: a damaged unit was asked for: {digest}")
        return entry

    def get(self, digest: str) -> Unit:
        unit = self.fresh.get(digest)
        if unit is not None:
            return unit
        return Unit(self.turtle(digest), self.graph(digest))

    def turtle(self, digest: str) -> bytes:
        return self.turtles([digest])[0]

    def turtles(self, digests: list[str]) -> list[bytes]:
        """The Turtle of many units (as :meth:`turtle`, with less overhead)."""
        fresh, index, data, intact = self.fresh, self.index, self.data, self.intact
        out = []
        for digest in digests:
            unit = fresh.get(digest)
            if unit is None:
                at, size = (index[digest] if digest in intact else self._intact(digest))[:2]
                out.append(data[at : at + size])
            else:
                out.append(unit.turtle)
        return out

    def graph(self, digest: str) -> GraphPart | None:
        unit = self.fresh.get(digest)
        if unit is not None:
            return unit.graph
        at, size, nodes, edges, ids, targets, _ = self._intact(digest)
        if ids is None or targets is None:
            return None
        at += size
        data = self.data
        return GraphPart(data[at : at + nodes], data[at + nodes : at + nodes + edges], ids, targets)

    def put(self, digest: str, unit: Unit) -> None:
        self.fresh[digest] = unit

    def save(self, used: list[str]) -> None:
        """Keep the units of ``used`` (digests of this build) for the next one."""
        if self.folder is None:
            return
        keep = [d for d in dict.fromkeys(used) if d in self.fresh or self.has(d, False)]
        kept = {d for d in keep if d not in self.fresh}
        new = [d for d in keep if d in self.fresh]
        dropped = [d for d in self.index if d not in kept]
        if not new and not dropped:
            return  # nothing rendered, nothing dropped: the files on disk are this build's
        live = self.live - sum(_entry_bytes(self.index[d]) for d in dropped)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not self.file or live < len(self.data) * MIN_LIVE or self.records >= MAX_RECORDS:
                self._rewrite(keep)
            else:
                self._append(new, dropped, live)
        except (OSError, OutputError) as exc:  # an unwritable cache costs the next build time
            cache_write_failed(exc)

    def _append(self, new: list[str], dropped: list[str], live: int) -> None:
        assert self.folder is not None
        at = len(self.data)
        added: dict[str, Entry] = {}
        chunks: list[bytes] = []
        for digest in new:
            entry, parts = _layout(self.fresh[digest], at)
            added[digest] = entry
            chunks += parts
            size = sum(map(len, parts))
            at, live = at + size, live + size
        units = self.folder / f"units-{self.file}.bin"
        if units.stat().st_size != len(self.data):  # written since it was read: start afresh
            self._rewrite([*self.index.keys() - set(dropped), *new])
            return
        with open(units, "ab") as f:
            f.writelines(chunks)  # bytes first: a record only ever points at written bytes
        record = dump_data(RECORD_KIND, (added, dropped, at, live))
        with open(self.folder / _journal(self.file), "ab") as f:
            f.write(len(record).to_bytes(4, "little") + record)

    def _rewrite(self, keep: list[str]) -> None:
        assert self.folder is not None
        at = 0
        index: dict[str, Entry] = {}
        chunks: list[bytes] = []
        for digest in keep:
            entry, parts = _layout(self.get(digest), at)
            index[digest] = entry
            chunks += parts
            at += sum(map(len, parts))
        file = os.urandom(6).hex()
        write_cache_bytes(self.folder / f"units-{file}.bin", b"".join(chunks))
        index[""] = (file, at, at)  # type: ignore[assignment]
        write_cache_bytes(self.folder / INDEX, dump_data(INDEX_KIND, index))
        for stale in self.folder.iterdir():
            if file not in stale.name and stale.name != INDEX:
                stale.unlink(missing_ok=True)


#: Journal records before the index is rewritten (each adds to every later opening).
MAX_RECORDS = 64
#: The units file is rewritten when less than this share of it is still pointed at.
MIN_LIVE = 0.5


def _entry_bytes(entry: Entry) -> int:
    return entry[1] + entry[2] + entry[3]


def _layout(unit: Unit, at: int) -> tuple[Entry, list[bytes]]:
    g = unit.graph
    if g is None:
        return (at, len(unit.turtle), 0, 0, None, None, _checksum(unit.turtle)), [unit.turtle]
    parts = [unit.turtle, g.nodes, g.edges]
    entry = (at, len(unit.turtle), len(g.nodes), len(g.edges), g.ids, g.targets)
    return (*entry, _checksum(b"".join(parts))), parts
