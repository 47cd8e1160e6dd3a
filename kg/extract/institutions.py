"""Institutions: [place prefix] + core + institutional suffix, and city abbreviations.

The suffix (医院, 卫生院, 疾病预防控制中心, 大学 ...) is found with an automaton;
the name's left edge is found by walking back over words until a boundary word
(verb, preposition, number, punctuation). A core made only of generic words
(公立, 三甲, 乡镇 ...) is a kind, not a name. Abbreviations (市医院, 省卫健委) are
resolved in the report's own city and province.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from kg.document import INSTITUTION, PLACE, Document, Mention
from kg.extract.common import (
    SpanIndex,
    automaton,
    clause_end,
    clause_start,
    has_cjk,
    longest_matches,
)
from kg.extract.places import abbreviation_places
from kg.extract.short_forms import expand_short_heads, named_in_report, short_forms
from kg.gazetteer import load_gazetteer
from kg.lexicon import read_tsv, read_words
from kg.segment import Segmenter

MAX_CORE = 14
#: Classes under which another institution's name can continue (大学 + 附属 + 医院).
_PARENT_CLASSES = {"University", "MedicalGroup"}
_SUBUNIT_CLASSES = {"ResearchCenter"}


@dataclass(frozen=True, slots=True)
class Lexicon:
    suffixes: dict[str, tuple[str, int, bool]]
    abbreviations: dict[str, tuple[str, str]]
    generic: frozenset[str]
    grades: tuple[str, ...]  # longest first
    designations: tuple[str, ...]  # longest first
    boundary: frozenset[str]
    breaks: str  # characters never inside a name, even joined to its first word by jieba
    name_words: frozenset[str]  # field words jieba's tags alone would make boundaries
    suffix_auto: object
    abbr_auto: object


@cache
def lexicon() -> Lexicon:
    suffixes = {
        r["suffix"]: (r["class"], int(r["core_min"] or 1), r.get("needs_place") == "1")
        for r in read_tsv("lexicon/institution_suffixes.tsv")
    }
    abbreviations = {
        r["surface"]: (r["canonical"], r["class"])
        for r in read_tsv("lexicon/institution_abbreviations.tsv")
    }
    grades = read_words("lexicon/grade_words.txt")
    return Lexicon(
        suffixes=suffixes,
        abbreviations=abbreviations,
        generic=read_words("lexicon/generic_modifiers.txt"),
        grades=tuple(sorted(grades, key=lambda w: (-len(w), w))),
        designations=tuple(
            sorted(
                grades | read_words("lexicon/designation_modifiers.txt"), key=lambda w: (-len(w), w)
            )
        ),
        boundary=read_words("lexicon/boundary_words.txt"),
        breaks="".join(sorted(read_words("lexicon/name_breaks.txt"))),
        name_words=read_words("lexicon/name_words.txt"),
        suffix_auto=automaton(suffixes),
        abbr_auto=automaton(abbreviations),
    )


_SLOT_OF = {"市": "{city}", "省": "{province}", "县": "{county}", "区": "{county}"}


def _own_level(name: str, doc: Document) -> str:
    """市第一专科医院 (no place before it): the report's own city's, when the report has one."""
    slot = _SLOT_OF.get(name[:1])
    if slot is None or place_prefix(name) or place_prefix(name[1:]):
        return name  # 市南区医疗集团 (a district of 青岛), 市北京市卫健委 (a stray 市)
    return _fill(slot + name[1:], doc) or name


_LEVEL_OF = {"{province}": "Province", "{county}": "County"}


def _named(template: str, cls: str, place: Mention) -> str | None:
    """An abbreviation written after its own place's name: an agency gets its full name
    (湖北省卫健委 → 湖北省卫生健康委员会); a hospital (离石区中医院) is left to the suffix
    grammar, which keeps the name as printed."""
    slot = next((k for k in _LEVEL_OF if k in template), None)
    if slot is None or cls == "Hospital" or place.subclass != _LEVEL_OF[slot]:
        return None
    return template.replace(slot, place.name)


def _fill(template: str, doc: Document, city_key: str | None = None) -> str | None:
    gaz = load_gazetteer()
    county = gaz.get(doc.county or "")
    if city_key is None and county is not None and county.name.endswith("市"):
        city_key = county.key  # a county-level city's own report: 市医院 is its own
    city = gaz.get((city_key or doc.city or "").removeprefix("place:"))
    prov = gaz.get((doc.province or "").removeprefix("place:"))
    if city_key and city is not None:
        prov = gaz.province_of(city.key)
    if "{city}" in template:
        if city is None:
            return None
        template = template.replace("{city}", city.name)
    if "{province}" in template:
        if prov is None:
            return None
        template = template.replace("{province}", prov.name)
    if "{county}" in template:
        if county is None:
            return None  # 县人民医院 in a city's report: which county is not said
        template = template.replace("{county}", county.name)
    return template


def _sentence_county(
    template: str, level: str, text: str, s: int, counties: list[Mention]
) -> str | None:
    """县卫健委 in a city's report: the one county of that level (县, 区) its sentence names
    before it (某某调任某县，兼任县卫健委主任)."""
    begin = clause_start(text, s, 0, _SENTENCE_END)
    found = {
        p.key: p for p in counties if begin <= p.start and p.end <= s and p.name.endswith(level)
    }
    if len(found) != 1:
        return None
    return template.replace("{county}", next(iter(found.values())).name)


_SELF_LEVEL = {"区": ("我区", "本区"), "县": ("我县", "本县")}


def _self_named_county(
    template: str, level: str, doc: Document, counties: list[Mention], memo: dict[str, str | None]
) -> str | None:
    """区疾控中心 in a report filed under its city that speaks as a district (我区, 本区) and
    names one district: that district's body. Not in an autonomous region's report, where
    我区 is the region."""
    if level not in _SELF_LEVEL:
        return None
    key = f"self:{level}"
    if key not in memo:
        memo[key] = None
        prov = load_gazetteer().get((doc.province or "").removeprefix("place:"))
        text = doc.text
        if (prov is None or not prov.name.endswith("自治区")) and any(
            w in text for w in _SELF_LEVEL[level]
        ):
            names = {p.name for p in counties if p.name.endswith(level)}
            memo[key] = names.pop() if len(names) == 1 else None
    county = memo[key]
    return template.replace("{county}", county) if county else None


class _NoPlace:
    name = ""


def _own_city(doc: Document) -> object:
    """The gazetteer entry of the report's city (an object with an empty name if none)."""
    city = load_gazetteer().get((doc.city or "").removeprefix("place:"))
    return city if city is not None else _NoPlace


_NUMBERED_PEOPLES = re.compile(r"(第[一二三四五六七八九十]+)人民医院$")


def _as_named(name: str, text: str) -> str:
    """某市第一人民医院 from 市一院, in a report that names the hospital 某市第一医院 and never
    某市第一人民医院: the name the report gives."""
    if not _NUMBERED_PEOPLES.search(name) or name in text:
        return name
    other = _NUMBERED_PEOPLES.sub(r"\1医院", name)
    return other if other in text else name


def own_parent(place: Mention) -> str | None:
    """The key of the place a county lies in (place:140400 for 潞州区)."""
    d = load_gazetteer().get(place.key.removeprefix("place:"))
    return f"place:{d.parent}" if d is not None and d.parent else None


def _inst(name: str, cls: str, surface: str, start: int, end: int, **attrs: str) -> Mention:
    return Mention(
        cls=INSTITUTION,
        subclass=cls,
        key=f"org:{name}",
        name=name,
        surface=surface,
        start=start,
        end=end,
        attrs=tuple(sorted((k, v) for k, v in attrs.items() if v)),
    )


def extract_institutions(
    doc: Document, places: list[Mention], claimed: SpanIndex, seg: Segmenter
) -> list[Mention]:
    lex = lexicon()
    text = doc.text
    place_at_end = {p.end: p for p in places}
    place_starts = {p.start for p in places}
    inside_place = {i: p.start for p in places for i in range(p.start + 1, p.end)}
    out: list[Mention] = []
    taken = SpanIndex()
    named: dict[str, str | None] = {}  # full names a bare agency stands for, by template
    # 0. Regional groupings (晋冀鲁豫“四省六市”疾控协作区): bodies whose members are places.
    for g in groupings(text, seg):
        if claimed.covering(g.start, g.end):
            continue
        members = " ".join(key for _, key in g.members)
        surface = text[g.start : g.end]
        out.append(_inst(surface, g.cls, surface, g.start, g.end, grouping="1", members=members))
        taken.add(g.start, g.end)
    counties = [p for p in places if p.subclass == "County"]
    # 1. Abbreviations resolved in the report's city (长治市二院, 市医院, 省卫健委).
    for s, e, w in longest_matches(lex.abbr_auto, text):
        if claimed.covering(s, e) or _word_goes_on(text, e, w, seg) or _in_person_name(text, s, e):
            continue
        if taken.covering(s, e):
            continue  # inside a grouping's name
        template, cls = lex.abbreviations[w]
        own = place_at_end.get(s + 1) if w[0] in "省县区" else None
        if own is not None:  # 湖北省卫健委, 平遥县人民医院: the level belongs to a place's name
            full = _named(template, cls, own)
            if full is not None:
                head = place_at_end.get(own.start)  # 大同市云州区人民政府: as printed
                begin = (
                    head.start if head is not None and head.key == own_parent(own) else own.start
                )
                out.append(_inst(full, cls, text[begin:e], begin, e))
                taken.add(begin, e)
            continue
        prefix = place_at_end.get(s + 1) if w[0] in "市州" else None
        if prefix is None and w[0] == "州" and s > 0:  # 某某州州委: the prefecture before it
            prefix = place_at_end.get(s)
            if prefix is None and text[s - 1] == "州":
                prefix = place_at_end.get(s - 1)
        if w[0] == "州" and not (prefix or _own_city(doc)).name.endswith("州"):
            continue  # 郑州 + 州…, or a city's report: 州 is no prefecture's level here
        if w[0] == "州" and prefix is not None and cls == "Hospital":
            continue  # 某某州人民医院: the suffix grammar keeps a hospital's name as printed
        start, city_key = s, None
        if prefix is not None and (text[s] == "市" or w[0] == "州"):
            if prefix.subclass != "City":  # 孝义市中心医院: a county-level city's own name
                if "{city}" not in template:
                    continue
                name = template.replace("{city}", prefix.name)  # 中共某市委员会 from 某市委
                out.append(_inst(name, cls, text[prefix.start : e], prefix.start, e))
                taken.add(prefix.start, e)
                continue
            start, city_key = prefix.start, prefix.key
        elif s > 0 and text[s - 1 : s + 1] in ("我市", "本市", "我县", "本县", "我区", "本区"):
            start = s - 1  # 我市计生协会
        elif s > 0 and _joins_word(text[s - 1], w[0], seg) and not _word_starts(text, s, seg):
            continue  # 全市, 城市 (but 兼任 + 县卫健委: jieba starts a word at 县)
        elif s > 0 and w[0] in "市省县区" and place_at_end.get(s) is not None:
            continue  # 郑州市医院 style: a full name handled by the suffix rule
        name = _fill(template, doc, city_key)
        if name is None and "{county}" in template:
            name = _sentence_county(template, w[0], text, s, counties)  # 调任某县，兼任县卫健委主任
        if name is None and "{county}" in template:
            name = _self_named_county(template, w[0], doc, counties, named)  # 我区 … 区疾控中心
        if name is None and cls == "GovernmentAgency":
            name = named_in_report(template, text, named)  # 区卫生健康局 after 某市某区卫生健康局
        if name is None:
            continue
        name = _as_named(name, text)
        out.append(_inst(name, cls, text[start:e], start, e))
        taken.add(start, e)
    # 2. Suffix grammar. ``ends`` maps an end offset to the first name of ``out`` ending
    # there, so the name just before a suffix is a lookup, not a scan of every name so far.
    ends: dict[int, int] = {}
    for k, m in enumerate(out):
        ends.setdefault(m.end, k)
    for s, e, suffix in longest_matches(lex.suffix_auto, text):
        if claimed.covering(s, e) or taken.covering(s, e):
            continue
        if e < len(text) and _continues_suffix(text, e, lex) and e not in place_starts:
            continue
        m = _name_before(doc, s, e, suffix, out, ends, seg, lex, inside_place)
        if m is not None and m.subclass == "Hospital" and text.startswith(_GROUP, m.end):
            if not text.startswith(_GROUP_NOT, m.end):  # 某医院集团: the group it heads
                m = _inst(m.name + _GROUP, "MedicalGroup", m.surface + _GROUP, m.start, m.end + 2)
        if m is not None:
            ends.setdefault(m.end, len(out))
            out.append(m)
            taken.add(m.start, m.end)
    out = expand_short_heads(text, out)  # 某医附属某某医院 after 某某医科大学
    out.extend(short_forms(doc, places, taken, claimed, seg, out))  # 上海六院, 南医大二附院
    out.extend(_coordinated(doc, out, places))
    out.extend(_declared_short_forms(text, out, claimed, taken))
    return _name_history(text, _bracket_aliases(text, sorted(out, key=lambda m: (m.start, m.end))))


@dataclass(frozen=True, slots=True)
class Grouping:
    """A named regional grouping: its span, its class, and the members its name lists by
    their one-character abbreviations (offset of the character, place key)."""

    start: int
    end: int
    cls: str
    members: tuple[tuple[int, str], ...]


#: The field between a grouping's head and its suffix (疾控, 医院协同发展) is at most this long.
_GROUPING_FIELD = 10


@cache
def _grouping_lexicon() -> tuple[re.Pattern[str], dict[str, str]]:
    suffixes = {r["suffix"]: r["class"] for r in read_tsv("lexicon/grouping_suffixes.tsv")}
    regions = sorted(read_words("lexicon/grouping_regions.txt"), key=len, reverse=True)
    abbr = "".join(sorted(abbreviation_places()))
    suffix_alt = "|".join(map(re.escape, sorted(suffixes, key=len, reverse=True)))
    region_alt = "|".join(map(re.escape, regions)) or "(?!)"
    pattern = re.compile(
        f"(?:(?P<abbr>[{re.escape(abbr)}]{{2,8}})|(?P<region>{region_alt}))"
        r"(?:[“\"][^”\"，。；、\s]{1,8}[”\"])?"
        f"(?P<field>[\u4e00-\u9fff]{{0,{_GROUPING_FIELD}}}?)(?P<suffix>{suffix_alt})"
    )
    return pattern, suffixes


def groupings(text: str, seg: Segmenter) -> list[Grouping]:
    """晋冀鲁豫“四省六市”疾控协作区, 川渝中医药联盟, 长三角医院协同发展联盟: a head of two or more
    province abbreviations (the members) or a region word, an optional quoted count, a short
    field and a grouping suffix (ontology/lexicon/grouping_suffixes.tsv). Not a grouping:
    a head that is a place's own name (辽宁省…联盟: 辽 + 宁), a head bound to the word before
    it, a field that holds a boundary word or a founding verb (沪苏浙皖合作建立医疗联盟:
    patterns/partnership_grouping_stops.txt) or an institution's name (西南医科大学…联盟
    is that university's)."""
    pattern, suffixes = _grouping_lexicon()
    stops = read_words("patterns/partnership_grouping_stops.txt")
    abbr = abbreviation_places()
    gaz = load_gazetteer()
    lex = lexicon()
    out = []
    for m in pattern.finditer(text):
        s = m.start()
        if s > 0 and _joins_word(text[s - 1], text[s], seg) and not _word_starts(text, s, seg):
            continue  # 犹豫: the first character ends a word (加入川渝…: 入川 is no word here)
        field = m.group("field")
        if field and (
            any(t in lex.boundary or t in stops for t in seg.tokens(field))
            or any(fs >= 2 for fs, _e, _w in longest_matches(lex.suffix_auto, field))
        ):
            continue
        members: list[tuple[int, str]] = []
        if m.group("abbr"):
            if next(iter(gaz.leading(text[s : m.end()])), None) is not None:
                continue  # 辽宁省肿瘤专科联盟: a place's name, not two abbreviations
            for i, ch in enumerate(m.group("abbr")):
                key = f"place:{abbr[ch].key}"
                if all(k != key for _, k in members):
                    members.append((s + i, key))
            if len(members) < 2:
                continue
        out.append(Grouping(s, m.end(), suffixes[m.group("suffix")], tuple(members)))
    return out


#: 某大学附属第一医院（以下简称：某附一院）, （简称“某附一院”）, （下称“某院”）, （以下称某院）,
#: 某医院，以下简称“某院”，: a short form the report declares.
_SHORT_FORM = re.compile(
    r"[（(](?:以下简称|以下称|下称|简称)[:：]?[“\"]?([\u4e00-\u9fffA-Za-z]{2,12})[”\"]?[）)]"
    r"|[，,](?:以下简称|以下称|下称)[:：]?[“\"]([\u4e00-\u9fffA-Za-z]{2,12})[”\"]"
)


def _declared_short_forms(
    text: str, insts: list[Mention], claimed: SpanIndex, taken: SpanIndex
) -> list[Mention]:
    """Every later use of a short form declared right after a name is that name; a name the
    suffix grammar read that is the short form (河中医院) becomes the declared body in place."""
    ends = {m.end: m for m in insts if m.counted}
    out: list[Mention] = []
    declared: dict[str, Mention] = {}
    for d in _SHORT_FORM.finditer(text):
        full = ends.get(d.start())
        if full is None:
            continue
        short = d.group(1) or d.group(2)
        declared[short] = full
        pos = d.end()
        while (pos := text.find(short, pos)) != -1:
            end = pos + len(short)
            if not claimed.covering(pos, end) and not taken.covering(pos, end):
                out.append(
                    Mention(
                        full.cls,
                        full.subclass,
                        full.key,
                        full.name,
                        short,
                        pos,
                        end,
                        True,
                        full.attrs,
                    )
                )
                taken.add(pos, end)
            pos = end
    for i, m in enumerate(insts):  # 河中医院 the suffix grammar read: the declared body
        full = declared.get(m.name) if m.counted and m.surface == m.name else None
        if full is not None and full.key != m.key:
            insts[i] = Mention(
                full.cls,
                full.subclass,
                full.key,
                full.name,
                m.surface,
                m.start,
                m.end,
                True,
                full.attrs,
            )
    return out


def _bracket_aliases(text: str, insts: list[Mention]) -> list[Mention]:
    """长治市妇幼保健院（长治市托育综合服务中心）, 甲医院（乙医院、丙学院）: the bracketed
    names are other names of it."""
    out = list(insts)
    longest: dict[int, int] = {}  # start -> index of the longest counted name there
    for k, m in enumerate(out):
        if m.counted and (m.start not in longest or out[longest[m.start]].end < m.end):
            longest[m.start] = k
    for a in insts:
        pos = a.end
        if not a.counted or text[pos : pos + 1] not in ("（", "("):
            continue
        group = []
        if text[pos + 1 : pos + 2] in _NAMELY:
            pos += 1  # 甲中心（即乙医院集团）
        while (k := longest.get(pos + 1)) is not None:
            group.append(k)
            pos = out[k].end
            if text[pos : pos + 1] != "、":
                break
        if group and text[pos : pos + 1] in ("）", ")"):
            for k in group:
                b = out[k]
                out[k] = Mention(
                    a.cls, a.subclass, a.key, a.name, b.surface, b.start, b.end, b.counted, a.attrs
                )
    return out


@cache
def _history_markers() -> object:
    words = read_words("patterns/name_history.txt") | _adjacent_markers()
    return automaton({w: w for w in words})


@cache
def _adjacent_markers() -> frozenset[str]:
    """挂牌: another name only when it follows the word at once (某医院挂牌“某大学附属医院”),
    not a body named later in the clause (挂牌仪式在某医院举行)."""
    return read_words("patterns/name_history_adjacent.txt")


_QUOTES = '“"「『'


_SENTENCE_END = "。；！？\n"
_CLAUSE_END = _SENTENCE_END + "，,：:"
_LIST_GAP = frozenset(("、", "和", "及", "与", "“", "”", "、“", "”、", "”和“"))


def _name_history(text: str, insts: list[Mention]) -> list[Mention]:
    """常德市第一人民医院…相继更名为广济医院、广德医院…; 某医院始建于1914年，前身是“仁济医院”;
    甲医院（乙医院前身）: other names of one body in its history are that body, not bodies of
    their own (ontology/patterns/name_history.txt)."""
    counted = [m for m in insts if m.counted]
    if not counted:
        return insts
    starts = [m.start for m in counted]
    key_of: dict[int, Mention] = {}  # index in counted -> the body it is another name of
    subject: Mention | None = None
    sentence_end = -1
    hits = sorted(longest_matches(_history_markers(), text))
    hits += [(s, e, "(前身)") for s, e in _bracketed_predecessors(text, counted)]
    hits += [(s, e, "(原)") for s, e in _bracketed_former(text, counted)]
    for s, e, word in sorted(hits):
        if word == "(原)":  # A（原B）: s..e is B's span, a former name of A
            b = bisect_left(starts, s)
            a = b - 1
            if a >= 0 and b < len(counted) and counted[b].start == s:
                if counted[b].key != counted[a].key and counted[b].subclass != "University":
                    key_of[b] = key_of.get(a, counted[a])
            continue
        if word == "(前身)":  # A（B前身）: s..e is B's span
            b = bisect_left(starts, s)
            a = b - 1
            if a >= 0 and b < len(counted) and counted[b].start == s:
                body = key_of.get(b, counted[b])
                key_of[a] = body
                subject, sentence_end = body, clause_end(text, e, len(text), _SENTENCE_END)
            continue
        sent_start = clause_start(text, s, 0, _SENTENCE_END)
        body = _history_subject(text, counted, starts, sent_start, s)
        if body is not None:
            body = key_of.get(counted.index(body), body)
        elif subject is not None and s <= sentence_end + 400:
            body = subject
        else:
            body = _topic(
                text, counted, starts, clause_start(text, sent_start - 1, 0, _SENTENCE_END)
            )
            if body is None:
                continue
        clause_stop = clause_end(text, e, len(text), _CLAUSE_END)
        if word in _adjacent_markers():
            clause_stop = e + 2 if text[e : e + 1] in _QUOTES else e + 1
        names = []
        j = bisect_left(starts, e)
        while j < len(counted) and counted[j].start < clause_stop:
            names.append(j)
            nxt = j + 1
            if nxt < len(counted) and _in_list(text[counted[j].end : counted[nxt].start]):
                j = nxt
                continue
            break
        for j in names:
            if counted[j].key != body.key and counted[j].subclass != "University":
                key_of[j] = body
        subject, sentence_end = body, clause_end(text, e, len(text), _SENTENCE_END)
    if not key_of:
        return insts
    by_key: dict[str, Mention] = {}
    for j, body in sorted(key_of.items()):
        by_key.setdefault(counted[j].key, body)
    for key, body in list(by_key.items()):  # a body that is itself another's name
        seen = {key}
        while body.key in by_key and body.key not in seen:
            seen.add(body.key)
            body = by_key[body.key]
        by_key[key] = body
    _renamed_parents(insts, by_key)
    return [
        Mention(b.cls, b.subclass, b.key, b.name, m.surface, m.start, m.end, m.counted, b.attrs)
        if (b := by_key.get(m.key)) is not None and b.key != m.key
        else m
        for m in insts
    ]


def _renamed_parents(insts: list[Mention], by_key: dict[str, Mention]) -> None:
    """某学院附属医院 → 某医科大学附属医院: when a body's former name is its parent's name and
    the same tail, the parent had the former name too (the college became the university);
    a tail that changed (某市中心医院 → 某大学附属某医院) says nothing of the parent."""
    first = {m.key: m for m in reversed(insts)}
    for key, body in list(by_key.items()):
        old, new = first.get(key), body
        old_parent, new_parent = old.attr("parent") if old else None, new.attr("parent")
        if not old_parent or not new_parent or old_parent == new_parent:
            continue
        old_head, new_head = old_parent.removeprefix("org:"), new_parent.removeprefix("org:")
        if not (old.name.startswith(old_head) and new.name.startswith(new_head)):
            continue
        if old.name[len(old_head) :] != new.name[len(new_head) :]:
            continue
        target = first.get(new_parent)
        if target is not None and old_parent not in by_key:
            by_key[old_parent] = target


#: Between two names of one list: 、 and 和, or a name that is no mention (、省立某医院、, 、省立).
_LIST_REACH = 12


def _in_list(gap: str) -> bool:
    if gap in _LIST_GAP:
        return True
    return (
        len(gap) <= _LIST_REACH and gap.startswith("、") and not any(c in _CLAUSE_END for c in gap)
    )


_SELF_REFERENCE = re.compile(r"我院|本院|该院|医院")
#: A name this close to its sentence's start is what the sentence is about (after a date).
_TOPIC_REACH = 20


def _history_subject(
    text: str, counted: list[Mention], starts: list[int], sent_start: int, pos: int
) -> Mention | None:
    """The body a history word in [sent_start, pos) speaks of: the first institution of the
    sentence (not a government that approved it: 经市委批复，我院更名为…); None when the
    sentence says 我院/该院 or names none (the body of the sentences before)."""
    topic = _topic(text, counted, starts, sent_start)
    if _SELF_REFERENCE.search(text, sent_start, pos) and topic is None:
        return None
    k = bisect_left(starts, sent_start)
    while k < len(counted) and counted[k].start < pos:
        if counted[k].subclass != "GovernmentAgency":
            return counted[k]
        k += 1
    return None


def _topic(text: str, counted: list[Mention], starts: list[int], sent_start: int) -> Mention | None:
    k = bisect_left(starts, sent_start)
    if k < len(counted) and counted[k].start <= sent_start + _TOPIC_REACH:
        if counted[k].subclass != "GovernmentAgency":
            return counted[k]
    return None


_FORMER_OPEN = ("（原", "(原")
_NAMELY = ("即",)
_GROUP, _GROUP_NOT = "集团", "集团化"  # 某儿童医院集团; 集团化办医 is a way of running hospitals
_CONJUNCTIONS = "和与及"
_NAME_ENDS = frozenset("院心局委所站校")
_FORMER = "原"  # 原某市卫生局: the former body (not 原平市, a place's own name)


def _bracketed_former(text: str, counted: list[Mention]) -> list[tuple[int, int]]:
    """The spans of B in A（原B）, right after A."""
    ends = {m.end for m in counted}
    return [
        (m.start, m.end)
        for m in counted
        if text[m.start - 2 : m.start] in _FORMER_OPEN
        and m.start - 2 in ends
        and text[m.end : m.end + 1] in ("）", ")")
    ]


def _bracketed_predecessors(text: str, counted: list[Mention]) -> list[tuple[int, int]]:
    """The spans of B in A（B前身）."""
    out = []
    for m in counted:
        tail = text[m.end : m.end + 4]
        if (
            tail.startswith("前身")
            and tail[2:3] in ("）", ")")
            and text[m.start - 1 : m.start]
            in (
                "（",
                "(",
            )
        ):
            out.append((m.start, m.end))
    return out


def _word_starts(text: str, s: int, seg: Segmenter) -> bool:
    """Does jieba start a word at ``s`` when it reads the few characters around it?"""
    lo = max(0, s - 6)
    pos = lo
    for tok in seg.tokens(text[lo : s + 4]):
        if pos >= s:
            break
        pos += len(tok)
    return pos == s


def _word_goes_on(text: str, e: int, w: str, seg: Segmenter) -> bool:
    """卫生部门, 人事部门: the abbreviation's last character begins a word with the next."""
    nxt = text[e : e + 1]
    return w.endswith("部") and has_cjk(nxt) and seg.tokenizer.FREQ.get(w[-1] + nxt, 0) > 0


def _in_person_name(text: str, s: int, e: int) -> bool:
    """副市长某清华: a surname right after a title, so 清华 is a given name; and so it is
    wherever the report writes that person's name again without the title."""
    from kg.extract.people import _surname_len, title_before

    if s == 0 or _surname_len(text[s - 1]) != 1:
        return False
    if title_before(text, s - 1):
        return True
    name = text[s - 1 : e]
    pos = text.find(name)
    while pos != -1:
        if pos != s - 1 and title_before(text, pos):
            return True
        pos = text.find(name, pos + 1)
    return False


def _joins_word(prev: str, first: str, seg: Segmenter) -> bool:
    """Is ``prev`` + ``first`` a word (全市, 城市, 本省), so the abbreviation is not one?"""
    return has_cjk(prev) and seg.tokenizer.FREQ.get(prev + first, 0) > 0


def _continues_suffix(text: str, e: int, lex: Lexicon) -> bool:
    """医院 in 医院管理, 大学生: the suffix is the start of a longer word."""
    nxt = text[e : e + 1]
    return nxt == "生" or (nxt == "长" and text[e - 1] == "会")  # 大学生, 协会会长


def _name_before(
    doc: Document,
    s: int,
    e: int,
    suffix: str,
    found: list[Mention],
    ends: dict[int, int],
    seg: Segmenter,
    lex: Lexicon,
    inside_place: dict[int, int],
) -> Mention | None:
    text = doc.text
    cls, core_min, needs_place = lex.suffixes[suffix]
    lo = s
    limit = max(0, s - MAX_CORE)
    limit = inside_place.get(limit, limit)  # never cut a place name (双江拉祜族…自治县人民医院)
    for i in range(s - 1, limit - 1, -1):
        if not has_cjk(text[i]) and not text[i].isdigit():
            break
        lo = i
    window = text[lo:s]
    j = next((ends[p] for p in range(s, lo, -1) if p in ends), None)
    prev = found[j] if j is not None else None
    if prev is not None:
        window = text[prev.end : s]
        lo = prev.end
    branch = _branch(text, prev, s, suffix, cls)
    if branch is not None:
        return branch(found, j, e)
    tokens = seg.tokens(window) if window else []
    start = s
    kept: list[str] = []
    for k in range(len(tokens) - 1, -1, -1):
        tok = tokens[k]
        if len(tok) > 1 and tok[0] in lex.breaks and seg.tokenizer.FREQ.get(tok) is None:
            kept.insert(0, tok[1:])  # 仪式暨某大一院: jieba joined 暨 to the name's head
            start -= len(tok) - 1
            break
        if not _bare_compass(tokens, k, lex, seg) and (
            _is_boundary(tok, lex)
            or (
                seg.is_boundary(tok)
                and tok not in lex.name_words
                and not _ordinal(tok)
                and not _COMPASS.match(tok)
                and not _bare_ordinal(tokens, k, lex, seg)
                and not _level_after_place(tokens, k, seg)
                and not _region_compass(tokens, k)
            )
        ):
            head = _place_before_words(tokens, k, lex, seg)
            if head is not None:  # 某市呼吸健康研究院: a place, then the field's words
                kept[:0] = tokens[head : k + 1]
                start -= sum(len(t) for t in tokens[head : k + 1])
            break
        kept.insert(0, tok)
        start -= len(tok)
    if kept and len(kept[0]) > 1 and kept[0][0] in _RESULTATIVE and len(kept) < len(tokens):
        before = tokens[len(tokens) - len(kept) - 1]
        if _is_boundary(before, lex) or seg.is_boundary(before):
            kept[0] = kept[0][1:]  # 更名 + 为福康 + 医院: the 为 ends the verb
            start += 1
    core = text[start:s]
    if core[:1] in _FORMER and place_prefix(core[1:] + suffix) and not place_prefix(core + suffix):
        start += 1  # （原某市第九人民医院）: 原 says it is a former name, not part of it
        core = core[1:]
        kept = seg.tokens(core) if core else []
    cut = core.rfind("医院")
    if cut != -1 and start not in ends:  # no name right before (parent_class, indexed)
        start += cut + 2
        core = text[start:s]
        kept = seg.tokens(core) if core else []
    parent = None
    if prev is not None and start == prev.end and prev.subclass in _PARENT_CLASSES:
        if cls not in _SUBUNIT_CLASSES and not _member_named(prev, core, seg):
            if prev.subclass == cls == "MedicalGroup":
                return None  # 某医院集团某地医联体: the alliance the group leads there
            parent = prev
    if prev is not None and start == prev.end and prev.subclass == "Hospital" and not core:
        if suffix in _LED_GROUPS:  # 市人民医院医疗集团: the group a hospital leads
            parent = prev
        elif (
            suffix in _LED_ALLIANCES
            and text[prev.start - 1 : prev.start] not in _CONJUNCTIONS
            and prev.start not in ends
            and _SHORT_FORM.match(text, e)
        ):  # 某市妇幼保健院医联体（以下简称…）: an alliance the report names as a body of its own
            parent = prev  # (not 甲医院与乙医院医联体 or 甲医院乙医院医联体)
    if parent is not None and core and _is_kind(core, lex):
        return None  # 重庆大学直属附属医院: a kind of hospital the university has
    if parent is not None:
        name = parent.name + core + suffix if parent.name.endswith(parent.surface) else None
        surface = text[parent.start : e]
        canonical = name or surface
        found[j] = Mention(
            parent.cls,
            parent.subclass,
            parent.key,
            parent.name,
            parent.surface,
            parent.start,
            parent.end,
            False,
            parent.attrs,
        )
        return _inst(canonical, cls, surface, parent.start, e, parent=parent.key)
    if len(core) < core_min:
        return None
    if core[:1] in _CONJUNCTIONS and text[start - 1 : start] in _NAME_ENDS:
        if (core[1:] + suffix) in lex.abbreviations:
            return None  # 市级医院和县医院: 和 joins two names; 和县 is no place here
    if not _specific(core, kept, lex, seg) or _is_kind(core, lex) or _designation(core, lex):
        return None
    if needs_place and not (place_prefix(core + suffix) or any(_ordinal(t) for t in kept)):
        return None
    attrs = {}
    if prev is not None and start == prev.end:
        attrs["parent"] = prev.key
    return _inst(_own_level(core + suffix, doc), cls, text[start:e], start, e, **attrs)


def _member_named(prev: Mention, core: str, seg: Segmenter) -> bool:
    """某医院集团某市妇幼保健院: after a group, a name that begins with a place written in
    full (with its level) is a member's own name, not a unit of the group."""
    if prev.subclass != "MedicalGroup":
        return False
    head = place_prefix(core + "院")
    return bool(head) and head[-1] in "省市县区州"


#: A branch named by its place after its parent's name: 某大学附属医院海口医院 (a hospital's
#: branch), 某大学海南研究院 (a university's institute there).
_BRANCHES = {("Hospital", "Hospital"), ("University", "ResearchCenter")}
_NOT_IN_BRANCH = set("与和及、，。；")


#: Suffixes that name a branch of any body after its name and the branch's place
#: (某市医疗急救中心某区分中心, 某医院某县分院).
_BRANCH_SUFFIXES = frozenset(("分中心", "分院"))
_PLAIN_HOSPITAL = "医院"  # a hospital's branch is named by its place and 医院 (某医院某地医院)


def _branch(text: str, prev: Mention | None, s: int, suffix: str, cls: str):
    if prev is None:
        return None
    if suffix in _BRANCH_SUFFIXES:
        cls = prev.subclass
    elif (prev.subclass, cls) not in _BRANCHES:
        return None
    elif cls == "Hospital" and suffix != _PLAIN_HOSPITAL:
        return None  # 甲医院 + 某县人民医院: a hospital's own name, not a branch (甲医院某地医院)
    between = text[prev.end : s]
    if not 2 <= len(between) <= 8 or any(c in _NOT_IN_BRANCH or not has_cjk(c) for c in between):
        return None
    if not place_prefix(between + suffix):
        return None

    def make(found: list[Mention], i: int, e: int) -> Mention:
        found[i] = Mention(
            prev.cls,
            prev.subclass,
            prev.key,
            prev.name,
            prev.surface,
            prev.start,
            prev.end,
            False,
            prev.attrs,
        )
        name = prev.name + between + suffix
        return _inst(name, cls, text[prev.start : e], prev.start, e, parent=prev.key)

    return make


#: A hospital's own group is a body (某医院医疗集团); 某医院医联体 is the alliance it leads,
#: a program of cooperation more than an institution (and partners are its hospitals).
_LED_GROUPS = frozenset(("医疗集团",))
_LED_ALLIANCES = frozenset(("医联体",))
_RESULTATIVE = "为"  # not 成 (成都), 到


def _is_boundary(tok: str, lex: Lexicon) -> bool:
    """A boundary word, also with a resultative 为/成/到 jieba joined to it (晋升为, 建成,
    which its dictionary may even tag as a name)."""
    return tok in lex.boundary or (
        len(tok) > 2 and tok[-1] in "为成到" and tok[:-1] in lex.boundary
    )


#: 第二家县级三级医院: the n-th of a kind, not a name.
_COUNTED = re.compile(r"^第[一二三四五六七八九十百\d]+[家个所座批]")

#: 南方医科大学, 东方医院, 华西医院: a compass word (tagged 方位 by jieba) begins many names.
_COMPASS = re.compile(r"^[东南西北中华][方部南北东西]$")


def parent_class(found: list[Mention], start: int) -> str | None:
    prev = next((m for m in found if m.end == start), None)
    return prev.subclass if prev is not None else None


def _ordinal(tok: str) -> bool:
    return tok.startswith("第") and len(tok) <= 3


_NUMERALS = "一二三四五六七八九十"
#: Verbs and adjectives by jieba's tags that can name a body's field after its place
#: (某市呼吸健康研究院, 某县康复医院): not a boundary when a place comes right before them.
_FIELD_TAGS = frozenset(("v", "a", "vn", "an"))
_FIELD_WORDS = 2
_NOT_FIELD = frozenset(("附属", "直属", "所属", "筹建", "新建", "组建"))


def _place_before_words(tokens: list[str], k: int, lex: Lexicon, seg: Segmenter) -> int | None:
    """The index of a place token before at most two field words ending at ``k``
    (某市 + 呼吸 + 健康 before 研究院), when those are words of two or more characters
    that only jieba's tags make boundaries; None otherwise."""
    from kg.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    for i in range(k, max(-1, k - _FIELD_WORDS), -1):
        tok = tokens[i]
        if len(tok) < 2 or tok in lex.boundary or seg.tag(tok) not in _FIELD_TAGS:
            return None
        if tok in lex.designations or tok in _NOT_FIELD:
            return None  # 某市共建附属医院: a role, not a field
        place = tokens[i - 1] if i > 0 else ""
        if seg.tag(place) == "ns" and (place in gaz.by_name or place in gaz.by_short):
            return i - 1
    return None


def _bare_ordinal(tokens: list[str], k: int, lex: Lexicon, seg: Segmenter) -> bool:
    """某大学某某二医院, 某某三院: a numeral right before the suffix, after a word of the name,
    is its ordinal (二 = 第二), not a count."""
    if k != len(tokens) - 1 or len(tokens[k]) != 1 or tokens[k] not in _NUMERALS or k == 0:
        return False
    before = tokens[k - 1]
    return not (_is_boundary(before, lex) or seg.is_boundary(before))


def _bare_compass(tokens: list[str], k: int, lex: Lexicon, seg: Segmenter) -> bool:
    """某市某中人民医院, 某区城东医院: a compass character right before the suffix, after a
    word of the name, is part of the name (jieba tags it 方位)."""
    if k != len(tokens) - 1 or tokens[k] not in _COMPASS_CHARS or k == 0:
        return False
    before = tokens[k - 1]
    if _is_boundary(before, lex) or seg.is_boundary(before):
        return False
    return seg.tag(before) in _PROPER_TAGS


_PROPER_TAGS = frozenset(("n", "ns", "nr", "nz", "nt", "j"))
#: Levels that jieba cuts off a place's short name (某江 + 县妇幼保健院, 某某 + 镇卫生院).
_LEVELS = frozenset("省市县区州旗镇乡")
_COMPASS_CHARS = frozenset("东南西北中")


def _level_after_place(tokens: list[str], k: int, seg: Segmenter) -> bool:
    if tokens[k] not in _LEVELS or k == 0:
        return False
    from kg.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    place = tokens[k - 1]
    return seg.tag(place) == "ns" or place in gaz.by_name or place in gaz.by_short


def _region_compass(tokens: list[str], k: int) -> bool:
    """川南, 苏北, 鲁西: a compass character after a province's one-character abbreviation
    names a region (jieba cuts it off and tags it 方位)."""
    if len(tokens[k]) != 1 or tokens[k] not in "东南西北" or k == 0:
        return False
    from kg.extract.places import abbreviation_places

    return len(tokens[k - 1]) == 1 and tokens[k - 1] in abbreviation_places()


def _is_kind(core: str, lex: Lexicon) -> bool:
    """三级甲等综合性 (医院), 合作 (医院): what precedes the suffix ends in a grade or role."""
    return any(core.endswith(g) for g in lex.grades)


#: How a report names its own place or a level of places (我区三甲医院, 省属医院).
_SELF_HEAD = re.compile(r"^(?:[我本全该][省市县区州]|[省市县区]属?)")


def _designation(core: str, lex: Lexicon) -> bool:
    """广东省高水平 (医院), 德阳市第二所国家三级综合 (医院): a place and designation
    words only, a kind of institution."""
    head = place_prefix(core + "院")  # the place a name starts with, if any
    if not head:
        m = _SELF_HEAD.match(core)
        head = m.group() if m else None
    if not head:
        return False
    rest = core[len(head) :]
    if not rest:
        return False  # 北京 + 肿瘤医院: the suffix names it
    counted = _COUNTED.match(rest)
    if counted:
        rest = rest[counted.end() :]
    words = lex.designations
    while rest:
        word = next((w for w in words if rest.startswith(w)), None)
        if word is None:
            return False
        rest = rest[len(word) :]
    return True


def _specific(core: str, tokens: list[str], lex: Lexicon, seg: Segmenter) -> bool:
    """A name needs something beyond generic modifiers: a place, an ordinal, a proper word."""
    if not core:
        return False
    if core in lex.generic or core.startswith(("各", "该", "每", "全")) or _COUNTED.match(core):
        return False
    for tok in tokens:
        if tok in lex.generic:
            continue
        if _ordinal(tok) or seg.tag(tok) in {"ns", "nr", "nt", "nz", "nrt", "j", ""}:
            return True
        if len(tok) >= 2 and tok not in lex.generic:
            return True
    return False


def _coordinated(doc: Document, insts: list[Mention], places: list[Mention]) -> list[Mention]:
    """黎城县、沁源县医疗集团 → also 黎城县医疗集团: a shared suffix after listed places."""
    text = doc.text
    by_end = {p.end: p for p in places}
    by_start = {p.start: p for p in places}
    out = []
    for m in insts:
        head = by_start.get(m.start)
        if head is None or head.cls != PLACE:
            continue
        rest = m.name[len(head.name) :] if m.name.startswith(head.name) else None
        if not rest:
            continue
        pos = m.start
        while pos > 0 and text[pos - 1] == "、" and (pos - 1) in by_end:
            other = by_end[pos - 1]
            if other.subclass != head.subclass:
                break
            out.append(
                _inst(other.name + rest, m.subclass, other.name + rest, other.start, other.end)
            )
            pos = other.start
    return out


def place_prefix(name: str) -> str | None:
    """The gazetteer place a name starts with (长治市人民医院 → 长治市)."""
    return next((head for head, _ in load_gazetteer().leading(name)), None)
