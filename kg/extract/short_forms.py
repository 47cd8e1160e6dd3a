"""Numbered and abbreviated short forms of institutions: 上海六院, 射阳县院, 南医大, 温医大附一院,
南医大二附院, 重医附一院.

A short form becomes the full name the same report writes elsewhere (南医大 after 南京医科大学,
上海六院 after 上海市第六人民医院); a numbered hospital whose full name the report never gives
(上海九院) keeps the name as printed; an abbreviation nothing expands is left alone.
"""

from __future__ import annotations

import re
from functools import cache

from kg.document import Document, Mention
from kg.extract.common import SpanIndex
from kg.lexicon import read_tsv
from kg.segment import Segmenter

_N = "一二三四五六七八九十"
#: 温医大附一院, 南医大二附院, 南医大, 重医附一院 (one character of the city, 医(大), the hospital).
_UNIVERSITY = re.compile(rf"([\u4e00-\u9fff])医(大)?(附[{_N}]院|[{_N}]附院)?")
#: A place, then 六院 (上海六院) or 院 after a county (射阳县院).
_NUMBERED = re.compile(rf"([{_N}])院")
_NOT_AFTER = set("长士区校内外部办务系学生")  # 院长, 院士, 院区, 院校 …


def _tail(t: str) -> str:
    """附一院 → 附属第一医院, 二附院 → 第二附属医院."""
    if t.startswith("附"):
        return f"附属第{t[1]}医院"
    return f"第{t[0]}附属医院"


def _full(text: str, pattern: str, memo: dict[str, str | None]) -> str | None:
    """The first full name matching ``pattern`` (each pattern searched once per report)."""
    if pattern not in memo:
        m = re.search(pattern, text)
        memo[pattern] = m.group() if m else None
    return memo[pattern]


def short_forms(
    doc: Document,
    places: list[Mention],
    taken: SpanIndex,
    claimed: SpanIndex,
    seg: Segmenter,
    found: list[Mention],
) -> list[Mention]:
    from kg.extract.institutions import _inst as make_institution
    from kg.extract.institutions import place_prefix

    text = doc.text
    out: list[Mention] = []
    memo: dict[str, str | None] = {}
    for m in _UNIVERSITY.finditer(text):
        s, e = m.start(), m.end()
        if not m.group(2) and not m.group(3):
            continue  # 中医, 西医: a bare 医 is a word
        if e < len(text) and text[e] in _NOT_AFTER:
            continue
        if taken.covering(s, e) or claimed.covering(s, e):
            continue
        univ = rf"{m.group(1)}[\u4e00-\u9fff]{{1,3}}?医科大学"
        if m.group(3):
            name = _full(text, univ + _tail(m.group(3)), memo)
            cls = "Hospital"
        else:
            name = _full(text, univ, memo)
            cls = "University"
        if name is None or len(name) <= e - s:
            continue
        out.append(make_institution(name, cls, text[s:e], s, e))
        taken.add(s, e)
    place_at_end = {p.end: p for p in places if p.cls == "Place"}
    for m in _NUMBERED.finditer(text):
        s, e = m.start(), m.end()
        p = place_at_end.get(s)
        if p is None or (e < len(text) and text[e] in _NOT_AFTER):
            continue
        if taken.covering(p.start, e) or claimed.covering(p.start, e):
            continue
        full = _full(
            text, rf"{re.escape(p.surface)}[\u4e00-\u9fff]{{0,6}}?第{m.group(1)}人民医院", memo
        )
        surface = text[p.start : e]
        out.append(make_institution(full or surface, "Hospital", surface, p.start, e))
        taken.add(p.start, e)
    for p in places:  # 射阳县院: the county's 人民医院, when the report names it
        e = p.end + 1
        if p.subclass != "County" or text[p.end : e] != "院" or p.surface[-1] not in "县":
            continue
        if e < len(text) and text[e] in _NOT_AFTER:
            continue
        if taken.covering(p.start, e) or claimed.covering(p.start, e):
            continue
        full = _full(text, rf"{re.escape(p.surface)}人民医院", memo)
        if full is not None:
            out.append(make_institution(full, "Hospital", text[p.start : e], p.start, e))
            taken.add(p.start, e)
    for m in _WOMEN_CHILDREN.finditer(text):  # 某妇儿 after 某州市妇女儿童医疗中心
        s, e = m.start(), m.end()
        if taken.covering(s, e) or claimed.covering(s, e):
            continue
        full = _full(text, rf"{m.group(1)}[\u4e00-\u9fff]{{0,4}}?{_WOMEN_CHILDREN_FULL}", memo)
        if full is not None and len(full) > e - s and place_prefix(full):
            out.append(make_institution(full, "Hospital", text[s:e], s, e))
            taken.add(s, e)
    out.extend(_bare_affiliated(text, found, taken, claimed))
    out.extend(_university_short_forms(text, found, taken, claimed, seg))
    return out


#: 某妇儿: a place's first character and 妇儿, short for its 妇女儿童医疗中心 / 妇女儿童医院.
_WOMEN_CHILDREN = re.compile(r"([^\W\d省市县区州])妇儿(?![童科])")
_WOMEN_CHILDREN_FULL = "妇女儿童(?:医疗中心|医院|医疗保健中心|中心医院)"


#: 某医附属某某医院: a university's short form heading the name of one of its hospitals.
_SHORT_HEAD = re.compile(r"^([\u4e00-\u9fff])医大?(附属[\u4e00-\u9fff]+)$")


def expand_short_heads(text: str, found: list[Mention]) -> list[Mention]:
    """重医附属某区医院 → 重庆医科大学附属某区医院 when the report names that university
    (its first character, then 医科大学); names nothing expands stay as printed."""
    memo: dict[str, str | None] = {}
    out = []
    for f in found:
        m = _SHORT_HEAD.match(f.name) if f.subclass == "Hospital" else None
        univ = m and _full(text, rf"{m.group(1)}[\u4e00-\u9fff]{{1,3}}?医科大学", memo)
        if univ:
            f = Mention(
                f.cls,
                f.subclass,
                f"org:{univ}{m.group(2)}",
                univ + m.group(2),
                f.surface,
                f.start,
                f.end,
                f.counted,
                f.attrs,
            )
        out.append(f)
    return out


#: 附二院, 附属二院: a university's numbered affiliated hospital without the university.
_BARE_AFFILIATED = re.compile(rf"附属?([{_N}])院|([{_N}])附院")
_AFFILIATED_TAIL = re.compile(rf"(?:附属第([{_N}])医院|第([{_N}])附属医院)$")


def _bare_affiliated(
    text: str, found: list[Mention], taken: SpanIndex, claimed: SpanIndex
) -> list[Mention]:
    """附二院 in a report that names one university's 附属第二医院 (or 第二附属医院) in full:
    that hospital; in a report that names no such hospital but one university, that
    university's 附属第二医院 (二附院: 第二附属医院). Two candidates leave it unread."""
    from kg.extract.institutions import _inst as make_institution

    full: dict[str, set[str]] = {}
    for f in found:
        t = _AFFILIATED_TAIL.search(f.name) if f.counted and f.subclass == "Hospital" else None
        if t is not None and "大学" in f.name[: t.start()]:
            full.setdefault(t.group(1) or t.group(2), set()).add(f.name)
    universities = {f.name for f in found if f.subclass == "University"}
    out: list[Mention] = []
    if not full and len(universities) != 1:
        return out
    for m in _BARE_AFFILIATED.finditer(text):
        s, e = m.start(), m.end()
        if e < len(text) and text[e] in _NOT_AFTER:
            continue
        if taken.covering(s, e) or claimed.covering(s, e):
            continue
        names = full.get(m.group(1) or m.group(2), ())
        if not names and not full and len(universities) == 1:
            tail = f"附属第{m.group(1)}医院" if m.group(1) else f"第{m.group(2)}附属医院"
            names = {next(iter(universities)) + tail}
        if len(names) != 1:
            continue
        out.append(make_institution(next(iter(names)), "Hospital", text[s:e], s, e))
        taken.add(s, e)
    return out


#: After a university's short form, the start of its hospital's (某大一院, 某大附一院, 某大医学院).
_HOSPITAL_NEXT = frozenset(_N + "附医")


@cache
def _kinds() -> dict[str, str]:
    return {r["kind"]: r["short"] for r in read_tsv("lexicon/university_kinds.tsv")}


def _university_short_forms(
    text: str, found: list[Mention], taken: SpanIndex, claimed: SpanIndex, seg: Segmenter
) -> list[Mention]:
    """某工 / 某工大 for 某连理工大学 the report names: its first character, its kind's
    character (university_kinds.tsv), optionally 大; 某大 for a university named by two
    characters and 大学 (某江大学). Only where both edges are word edges, never a form that is
    a common word (重大) or that two universities of the report share."""
    from kg.extract.institutions import _inst as make_institution

    forms: dict[str, str] = {}
    for f in found:
        if f.subclass != "University" or not f.name.endswith("大学") or not f.counted:
            continue
        core = f.name[:-2]
        mine = [core[0] + "大"] if len(core) == 2 else []  # 某江大学 → 某大
        for kind, short in _kinds().items():
            if core.endswith(kind) and len(core) > len(kind) + 1:
                mine += [core[0] + short + "大", core[0] + short]
        for form in mine:
            if forms.setdefault(form, f.name) != f.name:
                forms[form] = ""  # two universities' short form: neither
    out: list[Mention] = []
    for form in sorted(forms, key=len, reverse=True):
        if not forms[form] or seg.is_boundary(form):
            continue  # 重大 is an adjective before it is a university
        s = text.find(form)
        while s != -1:
            e = s + len(form)
            if (
                not (taken.covering(s, e) or claimed.covering(s, e))
                and text[e : e + 1] not in _HOSPITAL_NEXT
                and _stands_alone(text, s, e, seg)
            ):
                out.append(make_institution(forms[form], "University", form, s, e))
                taken.add(s, e)
            s = text.find(form, e)
    return out


def _stands_alone(text: str, s: int, e: int, seg: Segmenter) -> bool:
    """Word edges at ``s`` and ``e`` in a short window (大工 + 与, not 大 + 工程)."""
    lo, hi = max(0, s - 4), min(len(text), e + 4)
    edges, pos = {lo}, lo
    for tok in seg.tokens(text[lo:hi]):
        pos += len(tok)
        edges.add(pos)
    return s in edges and e in edges


def named_in_report(template: str, text: str, memo: dict[str, str | None]) -> str | None:
    """区卫生健康局 in a city's report: the one district's agency of that kind the report
    names in full (宁波市某区卫生健康局), when it names exactly one (read once per report)."""
    if template not in memo:
        memo[template] = _named_in_report(template, text)
    return memo[template]


def _named_in_report(template: str, text: str) -> str | None:
    if "{county}" not in template:
        return None
    rest = template.replace("{county}", "")
    found = {
        m.group() for m in re.finditer(rf"[\u4e00-\u9fff]{{1,8}}?[区县]{re.escape(rest)}", text)
    }
    from kg.gazetteer import load_gazetteer

    by_name = load_gazetteer().by_name
    names = set()
    for f in found:  # 宁波市江北区卫生健康局 → 江北区卫生健康局, as its place's own agency
        head = f[: len(f) - len(rest)]
        county = next((head[k:] for k in range(len(head)) if head[k:] in by_name), None)
        if county is not None:
            names.add(county + rest)
    return names.pop() if len(names) == 1 else None
