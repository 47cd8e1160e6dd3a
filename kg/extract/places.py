"""Places: the national gazetteer (full and short names, nicknames), towns and villages.

Short names are ambiguous (长子 is also "eldest son", 朝阳 a word and four
divisions), so a short county name needs context: the county lies in the
report's city, its full name occurs in the report, or it stands in a list of
places. Names that are also ordinary words are accepted only in such a list.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from kg.document import PLACE, Document, Mention
from kg.extract.common import automaton, longest_matches
from kg.gazetteer import Division, Gazetteer, load_gazetteer
from kg.lexicon import read_tsv, read_words

_TOWN_RE = re.compile(r"([\u4e00-\u9fff]{2,3}?)(街道|镇|乡)")
_VILLAGE_RE = re.compile(r"([\u4e00-\u9fff]{1,3}?)(社区|村)")
_LIST_AFTER = re.compile(r"^(?:、|和|及|与)")
_LIST_COUNT = re.compile(r"^[、和及]?[^，。；]{0,12}?等\s*\d*\s*[个所]?(?:县|区|市|县区|县市区)")


_EPONYM_HEAD = re.compile(r"[\u4e00-\u9fff](?<![市县区])")


@dataclass(frozen=True, slots=True)
class PlaceHit:
    start: int
    end: int
    surface: str
    candidates: tuple[Division, ...]
    form: str  # full | short | nickname


class PlaceMatcher:
    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.nicknames = {
            r["nickname"]: gaz.by_name[r["name"]][0]
            for r in read_tsv("lexicon/place_nicknames.tsv")
            if r["name"] in gaz.by_name
        }
        self.stop = read_words("lexicon/place_stopwords.txt")
        self.eponyms = read_words("lexicon/place_eponyms.txt")
        self.blocked = read_words("lexicon/non_place_words.txt")
        words = set(gaz.by_name) | set(gaz.by_short) | set(self.nicknames) | self.blocked
        self.auto = automaton(sorted(w for w in words if len(w) >= 2))
        self.abbr = {
            r["abbr"]: gaz.by_name[r["name"]][0]
            for r in read_tsv("lexicon/province_abbreviations.tsv")
            if r["name"] in gaz.by_name
        }

    def hits(self, text: str) -> list[PlaceHit]:
        out = []
        for s, e, w in longest_matches(self.auto, text):
            if w in self.blocked:
                continue
            if w in self.gaz.by_name:
                out.append(PlaceHit(s, e, w, tuple(self.gaz.by_name[w]), "full"))
            elif w in self.nicknames:
                out.append(PlaceHit(s, e, w, (self.nicknames[w],), "nickname"))
            elif w in self.eponyms and _EPONYM_HEAD.match(text, e):
                continue  # 中山大学, 中山路: named after a person, in any city
            else:
                out.append(PlaceHit(s, e, w, tuple(self.gaz.by_short[w]), "short"))
        return out


@cache
def get_matcher() -> PlaceMatcher:
    return PlaceMatcher(load_gazetteer())


def infer_context(doc: Document, hits: list[PlaceHit]) -> None:
    """The report's own place: its issuer's when the title line names one (平遥县卫生健康局…:
    the county, its city and province), else the most named prefecture-level city."""
    dateline = _dateline(doc, hits)
    _vote_city(doc, hits, dateline)
    issuer = _issuer(doc, hits) or _vote_county(doc, hits, dateline)
    if issuer is None:
        return
    gaz = get_matcher().gaz
    prov = gaz.province_of(issuer.key)
    doc.province = prov.key if prov else None
    if issuer.level == "Province":
        doc.city = None
    elif issuer.level == "City":
        doc.city = issuer.key
    else:
        doc.county = issuer.key
        parent = gaz.get(issuer.parent)
        doc.city = parent.key if parent is not None and parent.level == "City" else None


#: The head of a report: its lines before the first long one (a paragraph of the body). A web
#: page's metadata (索引号, 发布机构, 首页 > …) comes before the issuer's title line there.
_HEAD_LINES = 16
_HEAD_LINE_MAX = 60


def _head_lines(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    while pos < len(text) and len(out) < _HEAD_LINES:
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        line = text[pos:end]
        if len(line.strip()) > _HEAD_LINE_MAX:
            out.append((pos, end))  # the title may be joined to the first paragraph
            break
        if line.strip():
            out.append((pos, end))
        pos = end + 1
    return out


def _issuer(doc: Document, hits: list[PlaceHit]) -> Division | None:
    """The place that begins a head line when an issuer word follows it (广州市天河区
    卫生健康局: 天河区 of 广州市); the first such line of the head counts. A line joined to
    the metadata before it (发布日期：2024-03-01广州市天河区卫生健康局关于…) begins after
    the last character that is not a Han one. Below the first line, a body joined to another
    (某市人民政府与某大学签约) is a party of a partnership, not the issuer."""
    text = doc.text
    by_start = {h.start: h for h in hits}
    for n, (line_start, line_end) in enumerate(_head_lines(text)):
        line = text[line_start:line_end]
        starts = [line_start + len(line) - len(line.lstrip("# \t"))]  # a Markdown title too
        starts += [line_start + m.end() for m in _NON_HAN.finditer(line)]
        for start in starts:
            chain: list[PlaceHit] = []
            pos = start
            while pos in by_start and by_start[pos].end <= line_end:
                chain.append(by_start[pos])
                pos = by_start[pos].end
            word = next((w for w in _issuer_words() if text.startswith(w, pos)), None)
            if not chain or word is None:
                continue
            if n and text.startswith(tuple(_joiners()), pos + len(word)):
                continue
            place: Division | None = None
            for h in chain:
                cands = [d for d in h.candidates if place is None or d.parent == place.key]
                if len(cands) != 1:
                    return None
                place = cands[0]
            return place
    return None


_NON_HAN = re.compile(r"[0-9A-Za-z:：\-\s]+(?=[\u4e00-\u9fff])")


@cache
def _issuer_words() -> tuple[str, ...]:
    return tuple(sorted(read_words("lexicon/issuer_words.txt"), key=len, reverse=True))


#: A county or district is the report's own place when it is named this often, and about as
#: often as the most named city (a district's or a county-level city's news names its city too).
_COUNTY_MIN_VOTES = 3
_COUNTY_SHARE = 0.8


def _vote_county(
    doc: Document, hits: list[PlaceHit], within: Division | None = None
) -> Division | None:
    """The most named county when a report is about one (敦化市, 栖霞区 …): only names that
    denote one division count (长沙 is a city and a county: not a vote for the county)."""
    stop = get_matcher().stop
    counties: Counter[str] = Counter()
    cities: Counter[str] = Counter()
    head_end = len(doc.text) // 10
    for i, h in enumerate(hits):
        if h.form == "short" and h.surface in stop:
            continue
        weight = 3 if h.start < head_end else 1
        if within is not None:
            h = _restrict(h, within)
        if len(h.candidates) == 1 and h.candidates[0].level == "County":
            counties[h.candidates[0].key] += weight
        city_keys = {c.key for c in h.candidates if c.level == "City"}
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        parents = {c.parent for c in nxt.candidates} if nxt and nxt.start == h.end else set()
        if city_keys & parents:
            continue  # 某某市某某区: the county's address, not a vote for the city
        if len(city_keys) == 1 and not _not_a_city_vote(doc.text, h):
            cities[next(iter(city_keys))] += weight
    if not counties:
        return None
    key, n = sorted(counties.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    top_city = max(cities.values(), default=0)
    if n < _COUNTY_MIN_VOTES or n < _COUNTY_SHARE * top_city:
        return None
    return get_matcher().gaz.get(key)


def _name_weight(h: PlaceHit) -> int:
    """A city written with its level (温州市, 恩施州) counts twice: the bare short name is
    mostly the head of another body's name (上海大学, 上海六院), the partner's city."""
    return 2 if h.form == "full" or h.surface.endswith(("市", "州", "盟")) else 1


def _vote_city(doc: Document, hits: list[PlaceHit], within: Division | None = None) -> None:
    """The most named prefecture-level city (names near the top count three times), in the
    dateline's place when there is one (the dateline's province itself when none of its
    cities is named)."""
    gaz = get_matcher().gaz
    votes: Counter[str] = Counter()
    head_end = len(doc.text) // 10
    if within is not None and within.level in ("City", "County"):
        city = gaz.city_of(within.key)
        if city is not None:
            doc.city = city.key
            prov = gaz.province_of(city.key)
            doc.province = prov.key if prov else None
            return
    for h in hits:
        if within is not None:
            h = _restrict(h, within)
        cities = {c.key for c in h.candidates if c.level == "City"}
        if len(cities) != 1:
            continue
        key = next(iter(cities))
        if h.form == "short" and h.surface in get_matcher().stop:
            continue
        if _not_a_city_vote(doc.text, h):
            continue
        votes[key] += (3 if h.start < head_end else 1) * _name_weight(h)
    # 我市 near a city name reinforces it; without any city the report stays unknown.
    if not votes and within is not None:
        doc.province = within.key
    if votes:
        city, _ = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        doc.city = city
        prov = gaz.province_of(city)
        doc.province = prov.key if prov else None


def _restrict(h: PlaceHit, within: Division) -> PlaceHit:
    gaz = get_matcher().gaz

    def inside(d: Division) -> bool:
        return d.key == within.key or any(a.key == within.key for a in gaz.ancestors(d.key))

    return PlaceHit(h.start, h.end, h.surface, tuple(filter(inside, h.candidates)), h.form)


#: A dateline is read in the first characters of a report only.
_DATELINE_SPAN = 300
_DATED = re.compile(r"\s*\d{1,2}月\d{1,2}日\s*(?:电|讯)")
_DATELINE_TAIL = re.compile(r"\s*(?:\d{1,2}月\d{1,2}日)?\s*(?:电|讯)?\s*[：:（(]")


def _dateline(doc: Document, hits: list[PlaceHit]) -> Division | None:
    """The place of a news dateline (某某网湖北消息：, 中新网 昆明3月1日电（…）): a province
    or a city named by one division only, and named again in the report (it or a place in it):
    a national agency's 新华社北京电 about another place is not about 北京."""
    text = doc.text
    words = _dateline_words()
    for h in hits:
        if h.start >= _DATELINE_SPAN:
            break
        if len(h.candidates) != 1 or h.candidates[0].level not in ("Province", "City"):
            continue
        pos = h.end
        for w in words:
            if text.startswith(w, pos):
                pos += len(w)
                break
        else:
            if not _DATED.match(text, pos):
                continue
        if _DATELINE_TAIL.match(text, pos):
            place = h.candidates[0]
            if any(o is not h and _restrict(o, place).candidates for o in hits):
                return place
            return None
    return None


_UNIVERSITY = re.compile(r"[\u4e00-\u9fff]{0,2}大学")


def _not_a_city_vote(text: str, h: PlaceHit) -> bool:
    """A campus's area (某某医院东湖院区: maybe a distant city's name) and the head of a
    university's name (某某大学, 某某医科大学: the partner's, named after a place or a person)
    say little of where the report is."""
    return text.startswith(_campus_words(), h.end) or bool(_UNIVERSITY.match(text, h.end))


@cache
def _campus_words() -> tuple[str, ...]:
    return tuple(read_words("lexicon/campus_words.txt"))


@cache
def _dateline_words() -> tuple[str, ...]:
    return tuple(sorted(read_words("lexicon/dateline_words.txt"), key=len, reverse=True))


def _choose(hit: PlaceHit, doc: Document, gaz: Gazetteer) -> Division | None:
    cands = hit.candidates
    if len(cands) == 1:
        return cands[0]

    def rank(d: Division) -> tuple[int, int, str]:
        in_city = doc.city is not None and (d.key == doc.city or d.parent == doc.city)
        prov = gaz.province_of(d.key)
        in_prov = doc.province is not None and prov is not None and prov.key == doc.province
        level = {"Province": 0, "City": 1, "County": 2}.get(d.level, 3)
        return (0 if in_city else 1 if in_prov else 2, level, d.key)

    best = sorted(cands, key=rank)
    r0, r1 = rank(best[0]), rank(best[1])
    if r0[:2] == r1[:2] and best[0].level == "County":
        return None  # several counties of that name and nothing to choose between them
    return best[0]


def _in_list(
    text: str, hit: PlaceHit, ends: set[int], starts: set[int], word: bool = False
) -> bool:
    """Does the hit stand in a list of places (A、B、C / A、B等7个县)? A name that is also a
    word (资源, 合作) needs a list by 、 or a count: 和/及 also join words (临床资源及某某)."""
    after = text[hit.end : hit.end + 16]
    if _LIST_COUNT.match(after):
        return True
    before = text[hit.start - 1] if hit.start else ""
    if before == "、" and (hit.start - 1) in ends:
        return True
    if word and not after.startswith("、"):
        return False
    return bool(_LIST_AFTER.match(after)) and hit.end + 1 in starts


def extract_places(doc: Document, hits: list[PlaceHit]) -> list[Mention]:
    """Place mentions (counted or not is decided later against longer names)."""
    m = get_matcher()
    gaz = m.gaz
    text = doc.text
    full_in_doc = {h.surface for h in hits if h.form == "full"}
    ends = {h.end for h in hits}
    starts = {h.start for h in hits}
    words = get_segmenter_words()
    out: list[Mention] = []
    for h in hits:
        d = _choose(h, doc, gaz)
        if d is None:
            continue
        if len(h.surface) == 2 and _binds(text, h, words):
            continue  # 范县 in 示范县, 和县 in 和县域: part of other words
        if (
            len(h.surface) == 2
            and h.form == "full"
            and h.surface[0] in _joiners()
            and h.start not in ends
        ):
            continue  # 市医院和县医院: "and the county's", unless after its city (某某市和县)
        if h.form == "short" and text[h.end : h.end + 1] in _landforms():
            continue  # 嘉陵江, 长白山: a river or a mountain named like the division
        if h.form == "short":
            listed = _in_list(text, h, ends, starts, h.surface in m.stop)
            if h.surface in m.stop and not listed:
                continue
            if d.level == "County":
                local = (
                    doc.city is not None
                    and gaz.city_of(d.key) is not None
                    and (
                        gaz.city_of(d.key).key == doc.city  # type: ignore[union-attr]
                    )
                )
                if not (local or d.name in full_in_doc or listed):
                    continue
        out.append(_mention(d, h.surface, h.start, h.end))
    out.extend(_towns(doc, out))
    return out


@cache
def _joiners() -> frozenset[str]:
    return frozenset(w for w in read_words("patterns/conjunctions.txt") if len(w) == 1)


@cache
def _landforms() -> frozenset[str]:
    return frozenset(w for w in read_words("lexicon/landform_words.txt") if len(w) == 1)


def _binds(text: str, h: PlaceHit, words: object) -> bool:
    left = text[h.start - 1 : h.start + 1] if h.start else ""
    right = text[h.end - 1 : h.end + 1]
    return (len(left) == 2 and words.get(left, 0) > 0) or (  # type: ignore[attr-defined]
        len(right) == 2 and words.get(right, 0) > 0  # type: ignore[attr-defined]
    )


def get_segmenter_words() -> object:
    from kg.segment import get_segmenter

    return get_segmenter().tokenizer.FREQ


def _mention(d: Division, surface: str, start: int, end: int) -> Mention:
    return Mention(
        cls=PLACE,
        subclass=d.level,
        key=f"place:{d.key}",
        name=d.name,
        surface=surface,
        start=start,
        end=end,
    )


def _towns(doc: Document, places: list[Mention]) -> list[Mention]:
    """乡/镇/街道 and 村/社区 written right after a county or city name."""
    text = doc.text
    out = []
    for p in places:
        if p.subclass not in ("County", "City"):
            continue
        mt = _TOWN_RE.match(text, p.end)
        if not mt:
            continue
        name = mt.group(1) + mt.group(2)
        code = p.key.removeprefix("place:")
        town = Mention(
            cls=PLACE,
            subclass="Town",
            key=f"place:{code}/{name}",
            name=name,
            surface=name,
            start=mt.start(),
            end=mt.end(),
            attrs=(("parent", p.key),),
        )
        out.append(town)
        mv = _VILLAGE_RE.match(text, mt.end())
        if mv and not text.startswith(("村卫生", "社区卫生"), mv.start()):
            vname = mv.group(1) + mv.group(2)
            out.append(
                Mention(
                    cls=PLACE,
                    subclass="Village",
                    key=f"place:{code}/{name}/{vname}",
                    name=vname,
                    surface=vname,
                    start=mv.start(),
                    end=mv.end(),
                    attrs=(("parent", town.key),),
                )
            )
    return out


def abbreviation_places() -> dict[str, Division]:
    """One-character province abbreviations (京, 沪, 晋 ...) usable in compounds."""
    return get_matcher().abbr
