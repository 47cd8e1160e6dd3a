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
from kg.gazetteer import Division, Gazetteer


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
        """Its kinds and parties per relation node (:func:`relation_nodes`)."""
        nodes = relation_nodes(self.relations, self.evidence)
        return DocRef(
            self.name,
            self.sha256,
            tuple(n.kind for n in nodes),
            tuple(n.parties for n in nodes),
        )


@dataclass(frozen=True, slots=True)
class DocRef:
    """What the outputs need of a document without its facts: name, content, relations."""

    name: str
    sha256: str
    kinds: tuple[str, ...]  # per relation node
    parties: tuple[tuple[str, ...], ...]  # per relation node

    @property
    def doc_id(self) -> str:
        return self.sha256[:12]


_AFFILIATED = re.compile(r"^(.{2,4}?)附属(.+)$")


def remap_relations(relations: list[Relation], renamed: dict[str, str]) -> list[Relation]:
    """Point relations at the keys ``expand_affiliated`` renamed."""
    if not renamed:
        return unique_relations(relations)
    from dataclasses import replace

    def f(k: str | None) -> str | None:
        return renamed.get(k, k) if k else k

    remapped = [
        replace(
            r,
            parties=tuple(sorted({renamed.get(p, p) for p in r.parties})),
            lead=f(r.lead),
            co_built=f(r.co_built),
            awarded_by=f(r.awarded_by),
        )
        for r in relations
    ]
    return unique_relations(remapped)


def relation_identity(r: Relation) -> tuple[str, ...]:
    """What one statement says: a partnership its kind and parties, an achievement its
    holders and title (kg.rdf.node_identity gathers the statements of one node)."""
    if r.kind == "Partnership":
        return (r.kind, r.subtype, *r.parties)
    return (r.kind, *r.parties, "\x00", r.title or "")


def unique_relations(relations: list[Relation]) -> list[Relation]:
    """Each statement once: a relation a sentence gives twice (two sentences that become one
    relation once short forms are resolved stay two statements of one relation node)."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for r in relations:
        key = (*relation_identity(r), r.sentence_start)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


@dataclass(frozen=True, slots=True)
class Statement:
    """One sentence that states (part of) a relation: its relation read from the sentence, and
    the sentence verbatim with its offsets into the original file."""

    relation: Relation
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RelationNode:
    """One relation node of a document: every statement of the same fact.

    A partnership is one node per set of parties (every kind the document gives, every
    sentence that states one); an achievement one per holders and title (甲、乙入选某项目 gives
    one per holder, as the corpus gold and the official scorer count them). Across documents a
    fact is one node per document (dates and provenance differ): the named query
    ``partnership-evidence`` gathers a pair's nodes."""

    identity: tuple[str, ...]
    statements: tuple[Statement, ...]  # in text order
    parties: tuple[str, ...]  # partners, or holders (sorted)

    @property
    def kind(self) -> str:
        return self.identity[0]

    @property
    def first(self) -> Relation:
        return self.statements[0].relation

    def subtypes(self) -> list[str]:
        return sorted({s.relation.subtype for s in self.statements})

    def values(self, attribute: str) -> list[str]:
        """Every distinct value of a relation attribute over the statements, sorted."""
        return sorted({v for s in self.statements if (v := getattr(s.relation, attribute))})


def node_identity(r: Relation) -> tuple[str, ...]:
    """What names a relation node in its document: a partnership its set of parties, an
    achievement its holders and title."""
    parties = tuple(sorted(set(r.parties)))
    if r.kind == "Partnership":
        return (r.kind, *parties)
    return (r.kind, *parties, "\x00", r.title or "")


def relation_nodes(
    relations: Iterable[Relation], evidence: Iterable[tuple[str, int, int]]
) -> list[RelationNode]:
    """The document's relation nodes, in order of their first statement: statements of one
    identity are gathered (a statement repeated at the same offsets counts once)."""
    groups: dict[tuple[str, ...], dict[tuple[int, int, str, str], Statement]] = {}
    for r, (text, start, end) in zip(relations, evidence, strict=True):
        statements = groups.setdefault(node_identity(r), {})
        statements.setdefault((start, end, r.subtype, r.date or ""), Statement(r, text, start, end))
    nodes = []
    for key, found in groups.items():
        ordered = tuple(sorted(found.values(), key=lambda s: (s.start, s.end)))
        nodes.append(RelationNode(key, ordered, tuple(sorted(set(ordered[0].relation.parties)))))
    nodes.sort(key=lambda n: (n.statements[0].start, n.identity))
    return nodes


def expand_affiliated(mentions: list[Mention]) -> tuple[list[Mention], dict[str, str]]:
    """长治附属和平医院 → 长治医学院附属和平医院 when the document names 长治医学院; and
    every short form of a name the same document gives in full (:func:`_short_forms`)."""
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
    renamed.update(_short_forms(out))
    out = [_renamed(m, renamed) if m.key in renamed else m for m in out]
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


def _renamed(m: Mention, renamed: dict[str, str]) -> Mention:
    key = renamed[m.key]
    return Mention(
        m.cls,
        m.subclass,
        key,
        key.removeprefix("org:"),
        m.surface,
        m.start,
        m.end,
        m.counted,
        m.attrs,
    )


#: Shortest tail that can name a body on its own (仁济医院, 华西医院; not 医院).
_MIN_TAIL = 4


def _short_forms(mentions: list[Mention]) -> dict[str, str]:
    """Within one document, a short form is the full name the document gives elsewhere:
    a tail of it (仁济医院 after 上海交通大学医学院附属仁济医院, 附属第一医院 after
    温州医科大学附属第一医院), a place and that tail (上海仁济医院; 万州三峡中心医院 after
    重庆三峡中心医院, 万州 lying in 重庆), or an abbreviation that keeps its first and last
    characters and drops characters in at least two places (吉大一院 for 吉林大学第一医院,
    重医附属永川医院). A short form that fits two full names is left alone."""
    from kg.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    insts: dict[str, Mention] = {}
    counts: Counter[str] = Counter()
    # key -> its other printed names: 某医院某分院 is short for 某市第二人民医院 when the
    # report gives 省城某医院某分院 as that hospital's other name
    printed: dict[str, set[str]] = {}
    for m in mentions:
        if m.cls == INSTITUTION:
            insts.setdefault(m.key, m)
            counts[m.key] += 1
            if m.surface != m.name:
                printed.setdefault(m.key, set()).add(m.surface)
    # the full form first: longest, then the most named, then the first named
    names = sorted(insts.values(), key=lambda m: (-len(m.name), -counts[m.key], m.start))
    others = [(b, printed[b.key]) for b in names if b.key in printed]
    out: dict[str, str] = {}
    for i, a in enumerate(names):
        fits = [
            b.key
            for b in names[:i]
            if b.name != a.name
            and b.subclass == a.subclass
            and b.key not in out
            and _shortens(a.name, b.name, gaz)
        ]
        last = a.name[-1:]
        fits += [
            b.key
            for b, xs in others
            if b.key != a.key
            and b.key not in fits
            and b.subclass == a.subclass
            and b.key not in out
            and any(
                len(x) > len(a.name) and x[-1:] == last and _shortens(a.name, x, gaz) for x in xs
            )
        ]
        fits = [k for k in fits if not any(k != o and _shortens(k[4:], o[4:], gaz) for o in fits)]
        if len(fits) == 1:
            out[a.key] = fits[0]
    out.update(_city_affiliates(names, out, gaz))
    return out


#: 某理工大学附属中心医院: a university's affiliated hospital, by the hospital's own kind.
_AFFILIATE = re.compile(r"^(.+?(?:大学|学院))附属(.{2,8}医院)$")
_ORDINAL_TAIL = re.compile(r"^第[一二三四五六七八九十]")


def _city_affiliates(names: list[Mention], out: dict[str, str], gaz: Gazetteer) -> dict[str, str]:
    """A city's university's affiliated hospital named by a kind (株洲某大学附属中心医院,
    株洲某医科大学附属儿童医院) is the city's hospital of that kind that the same report names
    (株洲市中心医院, 株洲儿童医院): a city hospital that took the university's name. Not an
    ordinal (某医科大学附属第一医院 is not 某市第一人民医院), and only one such hospital."""
    hospitals = [m for m in names if m.subclass == "Hospital" and m.key not in out]
    found: dict[str, str] = {}
    for a in hospitals:
        mm = _AFFILIATE.match(a.name)
        if mm is None or _ORDINAL_TAIL.match(mm.group(2)):
            continue
        cities = {d.key for _, ds in gaz.leading(mm.group(1)) for d in ds}
        tail = mm.group(2)
        fits = [
            b.key
            for b in hospitals
            if b.key != a.key
            and b.key not in found
            and b.name.endswith(tail)
            and (head := b.name[: -len(tail)])
            and (gaz.by_name.get(head) or gaz.by_short.get(head))
            and cities & {d.key for d in gaz.by_name.get(head) or gaz.by_short.get(head)}
        ]
        if len(fits) == 1:
            found[fits[0]] = a.key
    return found


def _shortens(a: str, b: str, gaz: Gazetteer) -> bool:
    if b.endswith(a):
        return len(a) >= _MIN_TAIL
    head, places = next(iter(gaz.leading(a)), ("", []))
    tail = a[len(head) :]
    if (
        head
        and len(tail) >= _MIN_TAIL
        and b.endswith(tail)
        and len(b) > len(a)
        and _same_place(places, b[: -len(tail)], gaz)
    ):
        return True  # 某地第一人民医院 for 某地市第一人民医院: the place's short name
    if head and len(tail) >= _MIN_TAIL and b.endswith(tail) and _proper(tail):
        if head in b[: -len(tail)]:
            return True
        _, others = next(iter(gaz.leading(b)), ("", []))
        if _nested(places, others, gaz):
            return True
    return a[0] == b[0] and a[-1] == b[-1] and _gaps(a, b) >= 2


def _same_place(places: list[Division], head: str, gaz: Gazetteer) -> bool:
    """Is ``head`` (all of it) another name of one of ``places`` (株洲市 for 株洲)?"""
    others = gaz.by_name.get(head) or gaz.by_short.get(head) or []
    keys = {d.key for d in places}
    return any(d.key in keys for d in others)


def _proper(tail: str) -> bool:
    """仁济医院, 三峡中心医院: a word of its own before the suffix (not 人民医院, 中心医院,
    which every city's hospital ends in)."""
    from kg.extract.institutions import lexicon

    lex = lexicon()
    suffix = max((x for x in lex.suffixes if tail.endswith(x)), key=len, default="")
    core = tail[: len(tail) - len(suffix)]
    return len(core) >= 2 and core not in lex.generic and core not in _COMMON_CORES


#: Cores that many bodies share (X市中心医院, X县第一人民医院).
_COMMON_CORES = frozenset(("中心", "第一", "第二", "第三", "第四", "第五", "附属"))


def _nested(ps: list[Division], qs: list[Division], gaz: Gazetteer) -> bool:
    """Does one of the places ``ps`` lie in one of ``qs``, or the other way round?"""
    for x in ps:
        for y in qs:
            if y.key in {d.key for d in gaz.ancestors(x.key)}:
                return True
            if x.key in {d.key for d in gaz.ancestors(y.key)}:
                return True
    return False


def _gaps(a: str, b: str) -> int:
    """How many runs of ``b`` are skipped when ``a`` is read in it as a subsequence
    (-1: it is not one)."""
    gaps, j, skipping = 0, 0, False
    for ch in b:
        if j < len(a) and ch == a[j]:
            j += 1
            skipping = False
        elif not skipping:
            gaps, skipping = gaps + 1, True
    return gaps if j == len(a) else -1


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
        own_prov = gaz.province_of(facts.city) if facts.city else None
        self.province = own_prov.key if own_prov is not None else None
        places = [m for m in facts.mentions if m.cls == PLACE]
        #: The document's places by start: an institution's leading chain is looked up here,
        #: not by a scan of every place per institution.
        self.places_at: dict[int, list[Mention]] = {}
        for p in places:
            self.places_at.setdefault(p.start, []).append(p)
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
                office = m.attr("office")  # 副市长 → the city's 人民政府 (kg.extract.people)
                if office:
                    row[_AFFS].add(office)
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
        if m.attr("grouping"):
            return None  # 晋冀鲁豫…协作区: a grouping of several regions lies in none of them
        best = self._leading_chain(m, places)
        if best is not None:
            self._row(best)
            return best.key
        if m.name.startswith("国家") or m.name.startswith("中国") or m.name.startswith("中共中央"):
            self._ensure_place("CN")
            return "place:CN"
        prefix = _name_place(m.name, self.gaz)
        if prefix is not None and self._foreign_county(prefix, m.name):
            prefix = None  # 友谊医院 in another province's report is not in 友谊县
        if prefix is not None:
            self._ensure_place(prefix)
            return f"place:{prefix}"
        if m.surface.startswith("市") and doc_city:
            return doc_city
        return None

    def _leading_chain(self, m: Mention, places: list[Mention]) -> Mention | None:
        """The most specific place of the chain the name starts with, each place lying in
        the one before (长治市潞州区… → 潞州区); a place further in the name is not where
        the body is (北京友谊医院 is not in 友谊县, 重庆三峡中心医院 not in a 三峡区)."""

        def at(pos: int) -> Mention | None:
            inside = [p for p in self.places_at.get(pos, ()) if p.end <= m.end]
            return inside[-1] if inside else None

        best = at(m.start)
        while best is not None:
            nxt = at(best.end)
            if nxt is None or not self._within(nxt.key, best.key):
                break
            best = nxt
        return best

    def _within(self, inner: str, outer: str) -> bool:
        if "/" in inner:  # a town or village written after its county
            return inner.startswith(outer + "/")
        code, up = inner.removeprefix("place:"), outer.removeprefix("place:")
        return up in {d.key for d in self.gaz.ancestors(code)}

    def _foreign_county(self, code: str, name: str) -> bool:
        """A county (or lower) named by its short form, lying outside the report's province."""
        d = self.gaz.get(code)
        if d is None or d.level in ("Province", "City", "Country") or name.startswith(d.name):
            return False
        prov = self.gaz.province_of(code)
        return self.province is None or prov is None or prov.key != self.province


def _name_place(name: str, gaz: Gazetteer) -> str | None:
    """The place a name starts with, the longest head that names one place only."""
    return next((found[0].key for _, found in gaz.leading(name) if len(found) == 1), None)
