"""Programs: policy documents in 《》, quoted program names, and level-marked names.

A quoted phrase is a program only when it ends, or is followed by, a program
suffix (工程, 项目, 试点, 活动, 行动 ...): “人民至上、生命至上” is a slogan.
Unquoted names need a level word at their start (国家, 全国, 中央, 省级 ...)
and a program suffix at their end, with no boundary word in between.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Protocol

from kg.document import PROGRAM, Document, Mention
from kg.extract.common import strip_quotes
from kg.lexicon import read_tsv, read_words

_BOOK = re.compile(r"《([^《》\n]{2,60})》")
#: What lies between a title and its short form: 《…指导意见》（以下简称《指导意见》）.
_ABBREVIATION = re.compile(r"^[（(]?(?:以下|下文)?(?:简称|简写为|称)[：:]?$")
_QUOTED = re.compile(r"“([^“”\n]{2,30})”")
_LEVEL = "国家级|国家|全国|中央|省级|自治区级|全省|市级"


@cache
def _designations() -> tuple[str, ...]:
    return tuple(sorted(read_words("lexicon/program_designations.txt"), key=lambda w: -len(w)))


@cache
def _suffixes() -> tuple[tuple[str, str], ...]:
    rows = [(r["suffix"], r["class"]) for r in read_tsv("lexicon/program_suffixes.tsv")]
    return tuple(sorted(rows, key=lambda x: (-len(x[0]), x[0])))


@cache
def _designation_re() -> re.Pattern[str]:
    """山东省区域医疗中心, 辽宁省临床重点专科: a province's designation, named with it."""
    from kg.gazetteer import load_gazetteer

    provinces = sorted(
        (d.name for d in load_gazetteer().by_key.values() if d.level == "Province"),
        key=lambda n: (-len(n), n),
    )
    heads = "|".join(map(re.escape, provinces))
    ends = "|".join(map(re.escape, _designations()))
    return re.compile(f"(?:{heads})([\u4e00-\u9fff]{{0,8}}?)(?:{ends})")


@cache
def _national_res() -> tuple[re.Pattern[str], ...]:
    """国家区域医疗中心, 国家呼吸、中医脑病区域医疗中心: designations of a national programme,
    named as printed (without a following 建设项目); and the designations a level word alone
    names as a program (省级区域医疗中心), when ontology/lexicon lists them."""
    ends = "|".join(map(re.escape, sorted(read_words("lexicon/program_national_designations.txt"))))
    part = "[\u4e00-\u9fff（）()]{1,8}"
    tail = "(建设项目|建设单位|项目)?"
    out = [re.compile(f"国家((?:{part}、)*[\u4e00-\u9fff（）()]{{0,8}}?)({ends}){tail}")]
    level = sorted(read_words("lexicon/program_level_designations.txt"))
    if level:
        out.append(re.compile(f"(?:省级|自治区级)()({'|'.join(map(re.escape, level))}){tail}"))
    return tuple(out)


def _not_specialty(modifier: str, boundary: frozenset[str]) -> bool:
    """What stands between 国家 and a designation is a specialty list (儿童、心血管), not a
    conjunction (国家和省级), a verb (国家布局建设) or a body (国家卫生健康委员会)."""
    if not modifier:
        return False
    if any(w in modifier for w in boundary | {"建设"}):
        return True
    from kg.extract.institutions import lexicon as institution_lexicon

    return modifier.endswith(tuple(institution_lexicon().suffixes))


def _national(text: str, taken: list[tuple[int, int]], boundary: frozenset[str]) -> list[Mention]:
    out = []
    for m in (m for r in _national_res() for m in r.finditer(text)):
        s, e = m.span()
        if any(a < e and s < b for a, b in taken) or _not_specialty(m.group(1), boundary):
            continue
        name = text[s : m.end(2)]  # 国家儿童区域医疗中心: as printed
        out.append(program_mention(name, m.group(), s, e, "Project"))
        taken.append((s, e))
    return out


@cache
def _pilot_holders() -> tuple[str, ...]:
    return tuple(sorted(read_words("lexicon/program_pilot_holders.txt"), key=len, reverse=True))


@cache
def _level_re() -> re.Pattern[str]:
    alts = "|".join(re.escape(s) for s, _ in _suffixes())
    # 2..30 characters of a name between the level word and the suffix, no punctuation.
    # 全国首批81家X试点: a batch and a count of the selected before the name (not part of it).
    batch = "(?P<batch>(?:首批|第[一二三四五六七八九十\\d]+批)?\\d+[家个所])?"
    return re.compile(
        f"(?:{_LEVEL}){batch}[\u4e00-\u9fff“”]{{2,30}}?(?:{alts})(?![\u4e00-\u9fff]{{0,1}}项目)"
    )


#: What may follow a quoted name to make it a program: a program noun, perhaps after a
#: word of up to four characters (“三甲医院”扩容工程, “健康细胞”建设行动).
_QUOTE_TAIL = re.compile(
    "([^\\W\\d_等和与及的或并]{0,4}?)(?:工程|项目|行动|计划|活动|试点|主题教育)"
)

#: Boundary words a program's name may hold after its level word (…建设项目, …实施方案).
_NAME_VERBS = ("建设", "实施")


def _has_boundary(name: str, boundary: frozenset[str], allowed: tuple[str, ...] = ()) -> bool:
    """Does ``name`` hold a boundary word (of two characters or more, not ``allowed``) outside
    the phrases program names are made of (财政支持)?"""
    for phrase in read_words("lexicon/program_name_phrases.txt"):
        name = name.replace(phrase, "\x00")
    found = _boundary_re(boundary, allowed)
    return found is not None and found.search(name) is not None


@cache
def _boundary_re(boundary: frozenset[str], allowed: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for the boundary words :func:`_has_boundary` looks for (a substring test
    per word cost more); None when there are none."""
    words = sorted(w for w in boundary if len(w) >= 2 and w not in allowed)
    return re.compile("|".join(map(re.escape, words))) if words else None


#: A numeric formula in quotes (“五小”, “4个100”, “两新”): it names a program only with the
#: words before it, back to the program verb (实施村卫生室“4个100”行动).
_FORMULA = re.compile(r"^[一二三四五六七八九十百两\d]")


@cache
def _verb_re() -> re.Pattern[str]:
    verbs = _program_verbs()
    return re.compile(f"(?:{verbs})(?!.*(?:{verbs}))([\u4e00-\u9fff]{{2,8}})$")


def _formula_modifier(text: str, start: int, inner: str, boundary: frozenset[str]) -> int:
    """Where the name of a quoted formula's program starts: before the quote's modifier
    (村卫生室, 儿童健康, 医疗卫生领域) when a program verb precedes that, else at the quote."""
    if not _FORMULA.match(inner) or len(inner) > 6:
        return start
    m = _verb_re().search(text, max(0, start - 12), start)
    if m is None or "的" in m.group(1) or _has_boundary(m.group(1), boundary):
        return start
    return m.start(1)


_NUMERAL = re.compile(r"^[一二三四五六七八九十百两\d]+[大项个类批]?$")


def _core(name: str) -> str:
    for suffix, _ in _suffixes():
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _generic(name: str) -> bool:
    """重点项目, 六大工程, 诊疗活动: kinds and counts, not names."""
    core = strip_quotes(_core(strip_quotes(name)))
    generic = read_words("lexicon/program_generic.txt")
    bare = re.sub(f"^(?:{_LEVEL})", "", core)
    return len(core) < 2 or bool(_NUMERAL.match(core)) or core in generic or bare in generic


def suffix_class(name: str) -> str | None:
    for suffix, cls in _suffixes():
        if name.endswith(suffix):
            return cls
    return None


def program_mention(name: str, surface: str, start: int, end: int, cls: str) -> Mention:
    key = "program:" + strip_quotes(name)
    return Mention(PROGRAM, cls, key, name, surface, start, end)


def extract_programs(doc: Document, place_hits: Sequence[PlaceSpan] = ()) -> list[Mention]:
    text = doc.text
    policy = tuple(sorted(read_words("lexicon/policy_suffixes.txt")))
    boundary = read_words("lexicon/boundary_words.txt") - {"建设", "中"}
    out: list[Mention] = []
    short: dict[str, str] = {}  # 《指导意见》 → the full title it abbreviates
    last: tuple[int, str] | None = None
    for m in _BOOK.finditer(text):
        title = m.group(1).strip()
        if last is not None and _ABBREVIATION.match(text[last[0] : m.start()]):
            short.setdefault(title, last[1])
        title = short.get(title, title)
        base = re.sub(r"[（(][^）)]*[）)]$", "", title)
        if base.endswith(policy):
            out.append(program_mention(title, m.group(), m.start(), m.end(), "PolicyDocument"))
            last = (m.end(), title)
    for m in _QUOTED.finditer(text):
        inner = m.group(1)
        cls = suffix_class(inner)
        after = text[m.end() : m.end() + 6]
        if cls is not None and len(inner) > 3 and not _generic(inner):
            # “医疗行风专项整治”活动: a quoted program named with its own suffix after the quote
            tail = next((sx for sx, _ in _suffixes() if after.startswith(sx)), "")
            end = m.end() + len(tail)
            name = m.group() + tail if tail else inner
            out.append(program_mention(name, text[m.start() : end], m.start(), end, cls))
            continue
        direct = next((sx for sx, _ in _suffixes() if after.startswith(sx)), None)
        start = _formula_modifier(text, m.start(), inner, boundary)
        if direct is not None:
            end = m.end() + len(direct)
            name = text[start:end]
            out.append(program_mention(name, name, start, end, suffix_class(direct)))
            continue
        tail = _QUOTE_TAIL.match(text, m.end())
        if tail and not _has_boundary(tail.group(1), boundary):
            # “X”工程, “三甲医院”扩容工程: a suffix after the quote, maybe after a short verb
            end, scls = tail.end(), suffix_class(tail.group())
            if scls is not None:
                name = text[start:end]
                out.append(program_mention(name, name, start, end, scls))
    quoted = {(p.start, p.end) for p in out if not p.surface.startswith("《")}
    taken = [(p.start, p.end) for p in out]
    out.extend(_national(text, taken, boundary))
    for m in _designation_re().finditer(text):
        s, e = m.span()
        if any(a < e and s < b for a, b in taken) or "的" in m.group(1):
            continue
        if _has_boundary(m.group(1), boundary):
            continue
        out.append(program_mention(m.group(), m.group(), s, e, "Project"))
        taken.append((s, e))
    for m in _level_re().finditer(text):
        s, e = m.span()
        inside = [p for p in out if (p.start, p.end) in quoted and s <= p.start and p.end <= e]
        if inside and "的" not in m.group():  # 国家中西医协同“旗舰”试点医院: the quote is a part
            out = [p for p in out if p not in inside]
            taken = [t for t in taken if not any(t == (p.start, p.end) for p in inside)]
        s, e = m.span()
        if any(a < e and s < b for a, b in taken):
            continue
        name = m.group()
        inner = [x.start() for x in re.finditer(_LEVEL, name) if x.start() > 0]
        if m.group("batch"):  # 全国首批30家某某建设试点 → 某某建设试点
            name = text[m.end("batch") : e]
            if len(name) < 6:
                continue
        elif inner and len(name) - inner[-1] >= 8:  # 国家卫健委通报第一批中央财政支持…项目
            s += inner[-1]
            name = name[inner[-1] :]
        if _has_boundary(name[2:], boundary) or _generic(name) or "的" in name:
            continue
        q = re.search(r"“[^“”]{2,6}”$", text[max(0, s - 8) : s])
        if q and not m.group("batch"):  # “十四五”省级中医优势专科建设项目
            s -= len(q.group())
            name = text[s:e]
        cls = suffix_class(name) or "Project"
        holder = next((h for h in _pilot_holders() if text.startswith(h, e)), "")
        if cls == "Pilot" and name.endswith("试点") and holder:
            e += len(holder)  # 国家X试点医院: the pilot is X试点, the printed form an alias
        out.append(program_mention(name, text[s:e], s, e, cls))
        taken.append((s, e))
    out.extend(_aspired(text, taken, place_hits))
    out.extend(_named(text, taken))
    out.extend(_numbered_documents(text, taken))
    out.extend(_healthy_place(text, place_hits, taken))
    out.extend(_science_programs(doc, taken))
    bare_policy = tuple(sorted(read_words("lexicon/policy_suffixes_bare.txt")))
    out.extend(_verb_objects(text, taken, bare_policy, boundary))
    out.extend(_enumerated(text, taken, boundary))
    out.extend(_listed_before_count(text, taken, boundary))
    out.extend(_clause_initial(text, taken, boundary))
    return sorted(out, key=lambda p: (p.start, p.end))


@cache
def _listed_re() -> re.Pattern[str]:
    item = "[\u4e00-\u9fff“”]{4,28}?"
    kinds = "试点|项目|工程|行动|计划|改革"
    return re.compile(
        f"(?:^|(?<=[，。；：\n])|{_program_verbs()}|争创|获批|入选)"
        f"((?:{item}、)+{item})等[一二三四五六七八九十两\\d]+[大项个批类]"
        f"(?:{_LEVEL})[\u4e00-\u9fff]{{0,6}}?(?:{kinds})",
        re.M,
    )


#: 全市争创A、B等…: the list begins after its verb.
_LEAD_VERB = re.compile("^.*?(?:争创|获批|入选|申报|实施|推进|开展)")


def _listed_before_count(
    text: str, taken: list[tuple[int, int]], boundary: frozenset[str]
) -> list[Mention]:
    """A、B、C等4大国家级医改试点: each item is a program, named with its own suffix, when
    the count says at which level they are programs (not 等7个中心化项目)."""
    out = []
    for m in _listed_re().finditer(text):
        pos = m.start(1)
        for item in m.group(1).split("、"):
            s, e = pos, pos + len(item)
            pos = e + 1
            verb = _LEAD_VERB.search(item)
            name = _LEAD_TRIM.sub("", item[verb.end() :] if verb else item)
            s = e - len(name)
            if any(a < e and s < b for a, b in taken) or _generic(name) or "的" in name:
                continue
            if len(strip_quotes(name)) < 5 or _has_boundary(name, boundary, _NAME_VERBS):
                continue
            out.append(program_mention(name, name, s, e, suffix_class(name) or "Project"))
            taken.append((s, e))
    return out


_STRONG = "专项行动|集中整治|专项整治|主题教育|工程|行动|活动"
_PREDICATE = "成效|取得|扎实|有序|稳步|深入|全面|持续|进展|顺利|加快|加速|效果|落地|推进|开展|启动"


@cache
def _clause_initial_re() -> re.Pattern[str]:
    # a named kind of project (示范项目, 试点项目, 带徒项目) is as strong as 工程 or 行动 there
    kinds = [sx for sx, _ in _suffixes() if len(sx) >= 4 and sx.endswith("项目")]
    strong = "|".join([*kinds, _STRONG])
    return re.compile(
        f"(?:^|(?<=[，。；！？\\n]))([\u4e00-\u9fff“”]{{4,24}}?(?:{strong}))(?={_PREDICATE})", re.M
    )


def _clause_initial(
    text: str, taken: list[tuple[int, int]], boundary: frozenset[str]
) -> list[Mention]:
    """清廉医院警示教育专项行动成效显著: a program as the subject opening a clause."""
    out = []
    for m in _clause_initial_re().finditer(text):
        s, e = m.span(1)
        name = m.group(1)
        if any(a < e and s < b for a, b in taken) or _generic(name) or _institution_works(name):
            continue
        if "的" in name or name.startswith(("以", "用", "为", "通过", "按照", "在")):
            continue  # 以更加务实的行动推进: a manner, not a name
        if _has_boundary(name, boundary, _NAME_VERBS):
            continue
        out.append(program_mention(name, name, s, e, suffix_class(name) or "Campaign"))
        taken.append((s, e))
    return out


_LEAD_TRIM = re.compile(
    r"^(?:了|好|第[一二三四五六七八九十\d]+批|深入|扎实|全面|持续|积极|大力|首批|全市|全省|全县|全区|我市|我省|我县|我区)+"
)


@cache
def _aspired_re() -> re.Pattern[str]:
    rows = read_tsv("patterns/program_aspired_centres.tsv")

    def alts(kind: str) -> str:
        return "|".join(sorted((r["word"] for r in rows if r["kind"] == kind), key=len)[::-1])

    verbs, heads = alts("verb"), alts("head")
    return re.compile(f"(?:{verbs})(?!{_LEVEL}|市级|县级)([\u4e00-\u9fff]{{2,4}}?(?:{heads}))")


def _aspired(text: str, taken: list[tuple[int, int]], hits: Sequence[PlaceSpan]) -> list[Mention]:
    """打造东北亚医学中心, 打造成渝医学副中心: a region's aspired medical centre, a development
    programme, when a place or a region word names it."""
    regions = read_words("lexicon/program_regions.txt") | read_words("lexicon/grouping_regions.txt")
    places = {(h.start, h.end) for h in hits}
    out = []
    for m in _aspired_re().finditer(text):
        s, e = m.span(1)
        region = _core_of_centre(m.group(1))
        if any(a < e and s < b for a, b in taken):
            continue
        if region not in regions and (s, s + len(region)) not in places:
            continue
        out.append(program_mention(m.group(1), m.group(1), s, e, "Project"))
        taken.append((s, e))
    return out


def _core_of_centre(name: str) -> str:
    return re.sub("医学副?中心$", "", name)


@cache
def _named_re() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    rows = {r["form"]: (r["name"], r["class"]) for r in read_tsv("lexicon/program_names.tsv")}
    forms = sorted(rows, key=lambda f: (-len(f), f))
    alts = "|".join("[“”]?".join(map(re.escape, f)) for f in forms)
    return re.compile(f"(?:{alts})”?"), rows


def _named(text: str, taken: list[tuple[int, int]]) -> list[Mention]:
    """东西部扶贫协作, “组团式”援藏, “西部之光”: national schemes the lexicon names."""
    pattern, rows = _named_re()
    out = []
    for m in pattern.finditer(text):
        s, e = m.span()
        if m.group().count("”") > m.group().count("“") and text.startswith("“", s - 1):
            s -= 1  # the opening quote is before the first character: “西部之光”
        if text[e - 1] == "”" and text.count("”", s, e) > text.count("“", s, e):
            e -= 1
        if any(a < e and s < b for a, b in taken):
            continue
        name, cls = rows[strip_quotes(m.group())]
        out.append(program_mention(name, text[s:e], s, e, cls))
        taken.append((s, e))
    return out


@cache
def _numbered_re() -> re.Pattern[str]:
    codes = read_words("lexicon/policy_number_issuers.txt")
    issuers = "|".join(sorted(codes, key=len, reverse=True))
    return re.compile(
        f"新?(?:{issuers})(?:[〔\\[［(（]\\d{{4}}[〕\\]］)）])?[一二三四五六七八九十\\d]{{1,3}}号文件"
    )


def _numbered_documents(text: str, taken: list[tuple[int, int]]) -> list[Mention]:
    """中央一号文件, 新国发2号文件: a policy document named by its issuer code and number."""
    out = []
    for m in _numbered_re().finditer(text):
        s, e = m.span()
        if any(a < e and s < b for a, b in taken):
            continue
        out.append(program_mention(m.group(), m.group(), s, e, "PolicyDocument"))
        taken.append((s, e))
    return out


class PlaceSpan(Protocol):
    start: int
    end: int
    surface: str


def _healthy_place(
    text: str, hits: Sequence[PlaceSpan], taken: list[tuple[int, int]]
) -> list[Mention]:
    """健康中国, 健康长治, 健康鹰城行动: the Healthy-China initiative named after a place."""
    out = []
    for h in hits:
        if h.start < 2 or text[h.start - 2 : h.start] != "健康":
            continue
        s, e = h.start - 2, h.end
        if text.startswith("行动", e):
            e += 2
        if any(a < e and s < b for a, b in taken):
            continue
        out.append(program_mention(text[s:e], text[s:e], s, e, "Campaign"))
        taken.append((s, e))
    # 健康鹰城 and 健康鹰城行动 in one report are one initiative, named in full
    actions = {m.name for m in out if m.name.endswith("行动")}
    return [
        program_mention(m.name + "行动", m.surface, m.start, m.end, m.subclass)
        if m.name + "行动" in actions
        else m
        for m in out
    ]


_SCIENCE = re.compile(
    r"(?<![\u4e00-\u9fff])(?:获得|获批|获)?(省|市)(?!部级|级|属)([\u4e00-\u9fff]{0,6}?"
    r"(?:科技进步奖|科学技术奖|科技奖|攻关计划|科技计划))"
)


def _science_programs(doc: Document, taken: list[tuple[int, int]]) -> list[Mention]:
    """省医学科技奖, 省科技攻关计划: provincial award and funding schemes, named in full."""
    from kg.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    out = []
    for m in _SCIENCE.finditer(doc.text):
        level = gaz.get(doc.province if m.group(1) == "省" else doc.city or "")
        s, e = m.start(1), m.end(2)
        if level is None or any(a < e and b > s for a, b in taken):
            continue
        name = level.name + m.group(2)
        cls = "Award" if m.group(2).endswith("奖") else "Project"
        out.append(program_mention(name, doc.text[s:e], s, e, cls))
        taken.append((s, e))
    return out


@cache
def _enumeration_re() -> re.Pattern[str]:
    ends = "|".join(re.escape(s) for s, _ in _suffixes())
    item = "[\u4e00-\u9fff“”]{2,12}"
    return re.compile(
        f"(?:{_program_verbs()})((?:{item}、)+{item})等[一二三四五六七八九十两\\d]+大({ends})"
    )


def _enumerated(text: str, taken: list[tuple[int, int]], boundary: frozenset[str]) -> list[Mention]:
    """实施杏林技术传承、太行英才培养等六大工程: each item of the list is a program named
    with the shared suffix (杏林技术传承工程, 太行英才培养工程)."""
    out = []
    for m in _enumeration_re().finditer(text):
        suffix = m.group(2)
        pos = m.start(1)
        for item in m.group(1).split("、"):
            s, e = pos, pos + len(item)
            pos = e + 1
            name = item + suffix
            if any(a < e and s < b for a, b in taken) or _generic(name) or "的" in item:
                continue
            if _has_boundary(item, boundary):
                continue
            out.append(program_mention(name, item, s, e, suffix_class(name) or "Project"))
            taken.append((s, e))
    return out


def _institution_works(name: str) -> bool:
    """推进市第三人民医院项目建设: an institution's building works, not a program."""
    from kg.extract.institutions import lexicon as institution_lexicon

    core = _core(strip_quotes(name))
    return core.endswith(tuple(institution_lexicon().suffixes))


@cache
def _verb_object_re(policy: tuple[str, ...]) -> re.Pattern[str]:
    tails = "|".join(map(re.escape, sorted(read_words("patterns/program_object_tails.txt"))))
    ends = "|".join(re.escape(s) for s, _ in _suffixes()) + "|" + "|".join(map(re.escape, policy))
    return re.compile(
        f"(?:{_program_verbs()})(了)?([\u4e00-\u9fff“”]{{2,30}}?(?:{ends}))"
        f"(?=(?:{tails})?(?:[，。；、和及）)\n]|$))"
    )


@cache
def _program_verbs() -> str:
    """The program verbs as a regex alternation, longest first."""
    return "|".join(sorted(read_words("patterns/program_verbs.txt"), key=len, reverse=True))


def _verb_objects(
    text: str, taken: list[tuple[int, int]], policy: tuple[str, ...], boundary: frozenset[str]
) -> list[Mention]:
    """深入开展X主题教育, 启动X项目, 出台X办法: the verb's object is a program or policy."""
    out = []
    for m in _verb_object_re(policy).finditer(text):
        s, e = m.span(2)
        name = m.group(2)
        trimmed = _LEAD_TRIM.sub("", name)
        s += len(name) - len(trimmed)
        name = trimmed
        if any(a < e and s < b for a, b in taken) or len(strip_quotes(name)) < 4:
            continue
        if _has_boundary(name, boundary, _NAME_VERBS):
            continue
        cls = suffix_class(name) or ("PolicyDocument" if name.endswith(policy) else None)
        if cls is None:
            continue
        if _generic(name) or _institution_works(name):
            continue
        out.append(program_mention(name, name, s, e, cls))
        taken.append((s, e))
    return out
