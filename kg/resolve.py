"""Stage 5: mentions of all documents → one entity per real-world thing.

Keys made by the extractors already name the thing (a place's code, an
institution's canonical name); here the mentions of every document are merged
under their key, surface forms become aliases, abbreviations of affiliated
hospitals are expanded (长治附属和平医院 → 长治医学院附属和平医院), and places and
institutions get their ``locatedIn``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kg.document import INSTITUTION, PLACE, FastPickle, Mention, Relation
from kg.gazetteer import Gazetteer


@dataclass(slots=True)
class Entity:
    key: str
    cls: str
    subclass: str
    name: str
    aliases: set[str] = field(default_factory=set)
    docs: Counter[str] = field(default_factory=Counter)  # doc id -> counted mentions
    located_in: str | None = None
    parent: str | None = None
    roles: set[str] = field(default_factory=set)
    affiliations: set[str] = field(default_factory=set)
    code: str | None = None
    lat: float | None = None
    lon: float | None = None


#: One document's share of one entity, as plain values (they pickle and marshal fast):
#: (key, cls, subclass, name, surfaces, doc id, counted mentions, located_in, parent, roles,
#: affiliations, code, lat, lon). ``surfaces`` are all the document prints (the merge drops
#: the entity's own name); located_in and parent are the document's first.
Share = tuple[Any, ...]
_KEY, _CLS, _SUB, _NAME, _SURFACES, _DOC, _COUNT, _LOC, _PARENT, _ROLES, _AFFS = range(11)


@dataclass(slots=True)
class DocFacts(FastPickle):
    """What one document contributes after extraction (small, picklable)."""

    name: str
    sha256: str
    encoding: str
    characters: int
    city: str | None  # the place the report is about (its county, city or province)
    year: int | None
    years: tuple[int, ...]
    headline: str
    mentions: list[Mention]
    relations: list[Relation]
    evidence: list[tuple[str, int, int]]  # per relation: verbatim sentence, original offsets
    shares: tuple[Share, ...] = ()  # its share of each entity it touches (document_shares)

    @property
    def doc_id(self) -> str:
        return self.sha256[:12]

    def ref(self) -> DocRef:
        return DocRef(
            self.name,
            self.sha256,
            tuple(r.kind for r in self.relations),
            tuple(r.parties for r in self.relations),
        )


@dataclass(frozen=True, slots=True)
class DocRef:
    """What the outputs need of a document without its facts: name, content, relations."""

    name: str
    sha256: str
    kinds: tuple[str, ...]  # per relation
    parties: tuple[tuple[str, ...], ...]  # per relation

    @property
    def doc_id(self) -> str:
        return self.sha256[:12]


_AFFILIATED = re.compile(r"^(.{2,4}?)附属(.+)$")


def remap_relations(relations: list[Relation], renamed: dict[str, str]) -> list[Relation]:
    """Point relations at the keys ``expand_affiliated`` renamed."""
    if not renamed:
        return relations
    from dataclasses import replace

    def f(k: str | None) -> str | None:
        return renamed.get(k, k) if k else k

    return [
        replace(
            r,
            parties=tuple(sorted({renamed.get(p, p) for p in r.parties})),
            lead=f(r.lead),
            co_built=f(r.co_built),
            awarded_by=f(r.awarded_by),
        )
        for r in relations
    ]


def expand_affiliated(mentions: list[Mention]) -> tuple[list[Mention], dict[str, str]]:
    """长治附属和平医院 → 长治医学院附属和平医院 when the document names 长治医学院."""
    univs = [m for m in mentions if m.cls == INSTITUTION and m.subclass == "University"]
    out = []
    renamed: dict[str, str] = {}
    for m in mentions:
        mm = _AFFILIATED.match(m.name) if m.cls == INSTITUTION else None
        if mm and not any(m.name.startswith(u.name) for u in univs):
            prefix = mm.group(1)
            match = next((u for u in univs if u.name.startswith(prefix)), None)
            if match is not None:
                name = f"{match.name}附属{mm.group(2)}"
                attrs = tuple(sorted({*m.attrs, ("parent", match.key)}))
                renamed[m.key] = f"org:{name}"
                m = Mention(
                    m.cls,
                    m.subclass,
                    f"org:{name}",
                    name,
                    m.surface,
                    m.start,
                    m.end,
                    m.counted,
                    attrs,
                )
        out.append(m)
    if renamed:  # links to a renamed institution follow it (affiliation, parent)
        out = [
            Mention(
                m.cls,
                m.subclass,
                m.key,
                m.name,
                m.surface,
                m.start,
                m.end,
                m.counted,
                tuple((k, renamed.get(v, v)) for k, v in m.attrs),
            )
            for m in out
        ]
    return out, renamed


class Resolver:
    """Merges documents' shares of entities (:func:`document_shares`) into entities.

    The merge is a fold in document order (counts add up, aliases, roles and affiliations
    unite, the first document's name and first known place or parent win), so a rebuild
    can take one document's shares out and put another's in (:mod:`kg.incremental`)."""

    def __init__(self) -> None:
        self.entities: Mapping[str, Entity] = {}

    def add(self, facts: DocFacts) -> None:
        entities = self.entities
        assert isinstance(entities, dict)
        for share in facts.shares:
            merge(entities, share)

    def names(self) -> dict[str, str]:
        return {k: e.name for k, e in self.entities.items()}

    def classes(self) -> Counter[str]:
        """Entities per class, of those some document names (not only places they lie in)."""
        return Counter(e.cls for e in self.entities.values() if e.docs)


def merge(entities: dict[str, Entity], share: Share) -> None:
    """Add one document's share of an entity to ``entities`` (the fold's step)."""
    key = share[_KEY]
    ent = entities.get(key)
    if ent is None:
        ent = entities[key] = Entity(key, share[_CLS], share[_SUB], share[_NAME])
        ent.code, ent.lat, ent.lon = share[11:14]
    if share[_COUNT]:
        docs = ent.docs
        docs[share[_DOC]] = docs.get(share[_DOC], 0) + share[_COUNT]
    name = ent.name
    ent.aliases.update(a for a in share[_SURFACES] if a != name)
    if share[_ROLES]:
        ent.roles.update(share[_ROLES])
    if share[_AFFS]:
        ent.affiliations.update(share[_AFFS])
    if ent.parent is None:
        ent.parent = share[_PARENT]
    if ent.located_in is None:
        ent.located_in = share[_LOC]


def fold(shares: Iterable[Share]) -> Entity | None:
    """One entity from its documents' shares, in document order (None: no share)."""
    entities: dict[str, Entity] = {}
    for share in shares:
        merge(entities, share)
    return next(iter(entities.values()), None)


def document_shares(facts: DocFacts, gaz: Gazetteer) -> tuple[Share, ...]:
    """One document's share of every entity it names, and of the places those lie in."""
    rows = _DocumentShares(facts, gaz).rows
    for row in rows.values():
        row[_SURFACES] = tuple(row[_SURFACES])
        row[_ROLES] = tuple(row[_ROLES])
        row[_AFFS] = tuple(row[_AFFS])
    return tuple(map(tuple, rows.values()))


class _DocumentShares:
    def __init__(self, facts: DocFacts, gaz: Gazetteer) -> None:
        self.rows: dict[str, list[Any]] = {}
        self.gaz = gaz
        self.doc_id = facts.doc_id
        doc_city = f"place:{facts.city}" if facts.city else None
        places = [m for m in facts.mentions if m.cls == PLACE]
        for m in facts.mentions:
            row = self._row(m)
            if m.counted:
                row[_COUNT] += 1
                if m.surface:
                    row[_SURFACES].add(m.surface)
            elif m.cls != PLACE:
                row[_SURFACES].add(m.surface)
            if m.attrs:
                role, org, parent = m.attr("role"), m.attr("affiliation"), m.attr("parent")
                if role:
                    row[_ROLES].add(role)
                if org:
                    row[_AFFS].add(org)
                if parent and m.cls == INSTITUTION and row[_PARENT] is None:
                    row[_PARENT] = parent
                if parent and m.cls == PLACE and row[_LOC] is None:
                    row[_LOC] = parent
            if m.cls == INSTITUTION and row[_LOC] is None:
                row[_LOC] = self._institution_place(m, places, doc_city)

    def _row(self, m: Mention) -> list[Any]:
        row = self.rows.get(m.key)
        if row is None:
            row = self._new(m.key, m.cls, m.subclass, m.name)
            if m.cls == PLACE and "/" not in m.key:
                self._gazetteer_place(row)
        return row

    def _new(self, key: str, cls: str, subclass: str, name: str) -> list[Any]:
        row = [key, cls, subclass, name, set(), self.doc_id, 0, None, None, set(), set()]
        row += (None, None, None)
        self.rows[key] = row
        return row

    def _gazetteer_place(self, row: list[Any]) -> None:
        code = row[_KEY].removeprefix("place:")
        d = self.gaz.get(code)
        if d is None:
            return
        row[11:14] = code if code.isdigit() else None, d.lat, d.lon
        if d.parent:
            row[_LOC] = f"place:{d.parent}"
            self._ensure_place(d.parent)

    def _ensure_place(self, code: str) -> None:
        key = f"place:{code}"
        if key in self.rows:
            return
        d = self.gaz.get(code)
        if d is None:
            return
        self._gazetteer_place(self._new(key, PLACE, d.level, d.name))

    def _institution_place(
        self, m: Mention, places: list[Mention], doc_city: str | None
    ) -> str | None:
        inner = [p for p in places if m.start <= p.start and p.end <= m.end]
        if inner:
            # the most specific place named at the start of the name
            best = max(inner, key=lambda p: (p.subclass in ("Town", "Village"), p.end))
            if best.start == m.start or best.subclass in ("Town", "Village", "County"):
                self._row(best)
                return best.key
        if m.name.startswith("国家") or m.name.startswith("中国") or m.name.startswith("中共中央"):
            self._ensure_place("CN")
            return "place:CN"
        prefix = _name_place(m.name, self.gaz)
        if prefix is not None:
            self._ensure_place(prefix)
            return f"place:{prefix}"
        if m.surface.startswith("市") and doc_city:
            return doc_city
        return None


def _name_place(name: str, gaz: Gazetteer) -> str | None:
    """The place a name starts with, the longest head that names one place only."""
    return next((found[0].key for _, found in gaz.leading(name) if len(found) == 1), None)
