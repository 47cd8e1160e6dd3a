"""The render cache: rendered units in one append-only file, found by their digest.

A unit's Turtle bytes, GraphML node elements and edge elements lie one after another in
``units-<id>.bin``; ``index.marshal`` maps each unit's digest to their byte ranges, and
``journal-<id>.marshal`` holds what later builds changed in it: one record per build (units
added, units dropped), appended after their bytes. Opening the cache reads the index, the
journal and the units file; nothing is decoded until a unit is asked for. Saving after a
rebuild appends the units rendered anew and one journal record. When more than half of the
units file is dead, or the journal is long, both are rewritten under a new id (the index,
replaced atomically, names them). Anything unreadable is an empty cache, never an error;
a torn journal record ends the journal.
"""

from __future__ import annotations

import marshal
import os
from dataclasses import dataclass
from pathlib import Path

from kg.errors import OutputError
from kg.io import atomic_write_bytes

#: Index entry: where the unit's bytes start, the lengths of its Turtle, <node> and <edge>
#: blocks, then its GraphPart's ids and targets (None, None: GraphML not rendered).
Entry = tuple[int, int, int, int, tuple[str, ...] | None, tuple[str, ...] | None]


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
        if folder is not None:
            self._open(folder)

    def _open(self, folder: Path) -> None:
        try:
            index = marshal.loads((folder / "index.marshal").read_bytes())
            file, size, live = index.pop("")
            journal = folder / f"journal-{file}.marshal"
            records = 0
            if journal.exists():
                with journal.open("rb") as f:
                    while True:
                        try:
                            added, dropped, end, now_live = marshal.load(f)
                        except EOFError:
                            break
                        except (ValueError, TypeError):  # torn by a crash: the rest is lost
                            break
                        for d in dropped:
                            index.pop(d, None)
                        index.update(added)
                        size, live, records = end, now_live, records + 1
            data = (folder / f"units-{file}.bin").read_bytes()
        except (OSError, ValueError, EOFError, TypeError, KeyError, AttributeError):
            return
        if len(data) >= size:  # bytes no record vouches for are never pointed at
            self.index, self.data, self.file, self.live = index, data, file, live
            self.records = records

    def has(self, digest: str, graphml: bool) -> bool:
        """Whether the unit is here with what the build writes (GraphML, when asked)."""
        unit = self.fresh.get(digest)
        if unit is not None:
            return not graphml or unit.graph is not None
        entry = self.index.get(digest)
        return entry is not None and (not graphml or entry[4] is not None)

    def get(self, digest: str) -> Unit:
        unit = self.fresh.get(digest)
        if unit is not None:
            return unit
        return Unit(self.turtle(digest), self.graph(digest))

    def turtle(self, digest: str) -> bytes:
        return self.turtles([digest])[0]

    def turtles(self, digests: list[str]) -> list[bytes]:
        """The Turtle of many units (as :meth:`turtle`, with less overhead)."""
        fresh, index, data = self.fresh, self.index, self.data
        out = []
        for digest in digests:
            unit = fresh.get(digest)
            if unit is None:
                at, size = index[digest][:2]
                out.append(data[at : at + size])
            else:
                out.append(unit.turtle)
        return out

    def graph(self, digest: str) -> GraphPart | None:
        unit = self.fresh.get(digest)
        if unit is not None:
            return unit.graph
        at, size, nodes, edges, ids, targets = self.index[digest]
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
        keep = [d for d in dict.fromkeys(used) if d in self.fresh or d in self.index]
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
        except (OSError, OutputError):  # an unwritable cache only costs the next build time
            return

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
        with open(self.folder / f"journal-{self.file}.marshal", "ab") as f:
            f.write(marshal.dumps((added, dropped, at, live)))

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
        atomic_write_bytes(self.folder / f"units-{file}.bin", b"".join(chunks))
        index[""] = (file, at, at)  # type: ignore[assignment]
        atomic_write_bytes(self.folder / "index.marshal", marshal.dumps(index))
        for stale in [*self.folder.glob("units-*.bin"), *self.folder.glob("journal-*.marshal")]:
            if file not in stale.name:
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
        return (at, len(unit.turtle), 0, 0, None, None), [unit.turtle]
    entry = (at, len(unit.turtle), len(g.nodes), len(g.edges), g.ids, g.targets)
    return entry, [unit.turtle, g.nodes, g.edges]
