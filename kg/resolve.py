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
from dataclasses import dataclass, field

from kg.document import INSTITUTION, PLACE, FastPickle, Mention, Relation
from kg.gazetteer import Gazetteer, load_gazetteer


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
    """Accumulates documents' mentions into entities."""

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self.gaz = load_gazetteer()

    def add(self, facts: DocFacts) -> None:
        doc_city = f"place:{facts.city}" if facts.city else None
        places = [m for m in facts.mentions if m.cls == PLACE]
        for m in facts.mentions:
            ent = self._entity(m)
            if m.counted:
                ent.docs[facts.doc_id] += 1
                if m.surface and m.surface != ent.name:
                    ent.aliases.add(m.surface)
            elif m.cls != PLACE and m.surface != ent.name:
                ent.aliases.add(m.surface)
            role = m.attr("role")
            if role:
                ent.roles.add(role)
            org = m.attr("affiliation")
            if org:
                ent.affiliations.add(org)
            parent = m.attr("parent")
            if parent and m.cls == INSTITUTION and ent.parent is None:
                ent.parent = parent
            if m.cls == PLACE and parent and ent.located_in is None:
                ent.located_in = parent
            if m.cls == INSTITUTION and ent.located_in is None:
                ent.located_in = self._institution_place(m, places, doc_city)

    def _entity(self, m: Mention) -> Entity:
        ent = self.entities.get(m.key)
        if ent is not None:
            return ent
        ent = Entity(m.key, m.cls, m.subclass, m.name)
        if m.cls == PLACE and not m.key.count("/"):
            self._gazetteer_place(ent)
        self.entities[m.key] = ent
        return ent

    def _gazetteer_place(self, ent: Entity) -> None:
        code = ent.key.removeprefix("place:")
        d = self.gaz.get(code)
        if d is None:
            return
        ent.code = code if code.isdigit() else None
        ent.lat, ent.lon = d.lat, d.lon
        if d.parent:
            ent.located_in = f"place:{d.parent}"
            self._ensure_place(d.parent)

    def _ensure_place(self, code: str) -> None:
        key = f"place:{code}"
        if key in self.entities:
            return
        d = self.gaz.get(code)
        if d is None:
            return
        ent = Entity(key, PLACE, d.level, d.name)
        self.entities[key] = ent
        self._gazetteer_place(ent)

    def _institution_place(
        self, m: Mention, places: list[Mention], doc_city: str | None
    ) -> str | None:
        inner = [p for p in places if m.start <= p.start and p.end <= m.end]
        if inner:
            # the most specific place named at the start of the name
            best = max(inner, key=lambda p: (p.subclass in ("Town", "Village"), p.end))
            if best.start == m.start or best.subclass in ("Town", "Village", "County"):
                self._entity(best)
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
