"""People: names next to a title or role (主任郭力, 王琦院士, 国医大师李佃贵、唐祖宣).

A name is a surname from the lexicon plus one or two characters, checked against
jieba's dictionary (a word that is in it with another tag is not a name). Lists
after a role (、-separated) are followed. The page's credits (记者 某某, 编辑/某某,
某某 摄: lexicon/credit_words.tsv) name its staff, not people the report is about:
their names yield no Person, and no other rule may take them up.

A person's ``affiliation`` is the institution written just before their title
(市卫健委党组书记、主任郭力); an office of government adds its body as ``office``
(副市长 → the city's 人民政府, 县委书记 → 中共<county>委员会: lexicon/role_bodies.tsv), of the
place written before the title or else of the report's own place. Both become
``kg:affiliation`` when that body is a node of the graph; no node is made for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from kg.document import PERSON, Document, Mention
from kg.extract.common import SpanIndex, automaton, has_cjk, longest_matches
from kg.gazetteer import load_gazetteer
from kg.lexicon import read_tsv, read_words
from kg.segment import Segmenter

_NAME_TAGS = {"nr", "nrfg", "nrt", ""}
_NOT_IN_NAME = set(
    "的了在和与及等是为对向从由被将把做作出说指表示要到于主同市省县区镇乡村院局委部办所站科"
    "室处厅会组队也就还又都称讲率带一亲摄"
)

#: Function characters that can still be the middle of a given name when jieba keeps the
#: three characters together (李为民, 王和娇, 赵作伟, 王会玲).
_JIEBA_NAME_MIDDLE = set("和为作会同出表要指示于")
#: The longest verb of after_name_verbs.txt looked at after a name (致欢迎辞).
_LONGEST_AFTER = 6
#: A title's name ends at a clause mark: 副市长文阁， even where jieba knows the two
#: characters as a word.
_NAME_END_MARKS = set("，,、。；;")
#: 王永炎等4个院士工作站: a name heads a counted group.
_HEADS_GROUP = re.compile(r"(?<=[\u4e00-\u9fff]{2})等[\d一二三四五六七八九十两]+[个位名人家支]")
#: Between a title or credit and its name (主任 郭力, 编辑/某某, 初审:某某).
_AFTER_TITLE = set(" /／:：\u3000")
#: Between the names of a list after a title or credit.
_LIST_GAP = set("、 \u3000")
#: What can follow a name directly: a list's or clause's end, a conjunction.
_AFTER_NAME_CHARS = set("及和与等说在、，,。；;：: \u3000")


@cache
def _roles() -> tuple[dict[str, str], object]:
    roles = {r["role"]: r["position"] for r in read_tsv("lexicon/roles.tsv")}
    return roles, automaton(roles)


@cache
def _credits() -> tuple[dict[str, str], object]:
    words = {r["word"]: r["position"] for r in read_tsv("lexicon/credit_words.tsv")}
    return words, automaton(words)


@cache
def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    words = read_words("lexicon/surnames.txt")
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) == 2)


def title_before(text: str, pos: int) -> bool:
    """Is ``text[pos]`` a surname written right after a title (副市长饶…)?"""
    if _surname_len(text[pos : pos + 1]) != 1:
        return False
    roles, _ = _roles()
    return any(
        text.endswith(r, max(0, pos - len(r)), pos) for r, p in roles.items() if p != "after"
    )


def _surname_len(s: str) -> int:
    single, double = _surnames()
    if s[:2] in double:
        return 2
    return 1 if s[:1] in single else 0


def plausible_name(cand: str, seg: Segmenter, after_title: bool = False) -> bool:
    """A surname and one or two characters that jieba does not know as another word; right
    after a title (``after_title``) only words of a non-name kind (places, verbs …) are out."""
    n = _surname_len(cand)
    if n == 0 or not (2 <= len(cand) <= n + 2):
        return False
    if any(ch in _NOT_IN_NAME for ch in cand[n:]):
        return False
    if not all("\u4e00" <= ch <= "\u9fff" for ch in cand):
        return False
    tag = seg.tag(cand)
    return tag not in _NOT_NAME_TAGS if after_title else tag in _NAME_TAGS


def _name_at(text: str, pos: int, seg: Segmenter) -> str | None:
    """The name starting at ``pos`` (2 or 3 characters, decided by segmentation)."""
    window = text[pos : pos + 6]
    if not window or _surname_len(window) == 0:
        return None
    toks = seg.tokens(window)
    first = toks[0] if toks else ""
    if (
        len(first) == 3
        and _surname_len(first) == 1
        and first[1] in _JIEBA_NAME_MIDDLE
        and first[2] not in _NOT_IN_NAME
        and all("\u4e00" <= ch <= "\u9fff" for ch in first)
        and seg.tag(first) in _NAME_TAGS
    ):
        return first  # 李为民, 王和娇: jieba's own three-character word, not 李为 + 民
    cands = []
    words = seg.tokenizer.FREQ
    after = read_words("lexicon/after_name_verbs.txt")
    ahead = text[pos : pos + 3 + _LONGEST_AFTER]
    for n in (2, 3):  # 李华担任, 王东波致欢迎辞: the verb that follows a name ends it
        if any(ahead.startswith(v, n) for v in after) and ahead[n - 1] not in _NOT_IN_NAME:
            cands.append(window[:n])
            break
    if (
        len(window) >= 5
        and words.get(window[3:5], 0) > 0
        and words.get(window[2:4], 0) > 0
        and window[2:4] not in after
    ):
        cands.append(window[:3])  # 唐祖宣传承: 宣传 is a word, but so is 传承 after the name
    if (
        len(first) == 2
        and len(toks) > 2
        and len(toks[1]) == 1
        and toks[1] not in _NOT_IN_NAME
        and not (len(toks[2]) == 1 and has_cjk(toks[2]))
    ):
        cands.append(first + toks[1])  # 刘宴兵表示: jieba leaves the given name's last char alone
    if len(window) >= 4 and window[3] in _AFTER_NAME_CHARS and window[2] not in _NOT_IN_NAME:
        cands.append(window[:3])  # 李家敏及…: a list or a clause ends right after three characters
    if 2 <= len(first) <= 3:
        cands.append(first)
    if len(first) == 1 and len(toks) > 1 and 1 <= len(toks[1]) <= 2:
        cands.append(first + toks[1])
    cands += [window[:3], window[:2]]
    for c in cands:
        if plausible_name(c, seg) and not (len(c) == 3 and c[2] in _NOT_IN_NAME):
            return c
    return None


def _name_before_mark(text: str, pos: int, seg: Segmenter) -> str | None:
    """副市长文阁，: after a title, a surname and one or two characters up to a clause mark."""
    for n in (2, 3):
        cand = text[pos : pos + n]
        if (
            len(cand) == n
            and text[pos + n : pos + n + 1] in _NAME_END_MARKS
            and plausible_name(cand, seg, after_title=True)
        ):
            return cand
    return None


#: Tags of words that are not a name even right after a title (places, bodies, verbs).
_NOT_NAME_TAGS = {"ns", "nt", "v", "vn", "p", "c", "d", "m", "q", "r"}


def _name_before(text: str, pos: int, seg: Segmenter) -> str | None:
    window = text[max(0, pos - 6) : pos]
    toks = seg.tokens(window) if window else []
    if toks and 2 <= len(toks[-1]) <= 3 and plausible_name(toks[-1], seg):
        return toks[-1]
    return None


def _person(
    name: str, role: str, start: int, end: int, org: str | None = None, office: str | None = None
) -> Mention:
    attrs = [("role", role)] if role else []
    if org:
        attrs.append(("affiliation", org))
    if office and office != org:
        attrs.append(("office", office))
    return Mention(PERSON, "Person", f"person:{name}", name, name, start, end, attrs=tuple(attrs))


#: What ends a title's chain: the institution or place written before a title is its own only
#: up to a clause mark (市卫健委党组书记、主任郭力; not across 。or ，).
_CHAIN_END = set("，,。；;：:")
#: How far before a title its institution or place may end (党组书记、, 委副书记、).
_CHAIN_BACK = 6


def _employer(text: str, role_start: int, inst_end: dict[int, Mention], after: int) -> str | None:
    """市卫健委党组书记、主任郭力: the institution written just before the title, or before
    an earlier title and name of the same list (某医院院长某甲、党委书记某乙) when it ends
    after ``after``."""
    for back in range(0, _CHAIN_BACK + 1):
        m = inst_end.get(role_start - back)
        if m is not None and m.end >= after and not _CHAIN_END & set(text[m.end : role_start]):
            return m.key
    return None


@cache
def _bodies() -> dict[str, tuple[str, str]]:
    return {r["role"]: (r["level"], r["body"]) for r in read_tsv("lexicon/role_bodies.tsv")}


def _office(
    text: str, role: str, start: int, place_end: dict[int, Mention], after: int, doc: Document
) -> str | None:
    """The body an office of government belongs to (市长 → the city's 人民政府): of the place
    written just before the title (长治市副市长, 桂林市长, 德阳市委副书记、市长), else of the
    report's own place of that level; None when neither is of the role's level."""
    found = _bodies().get(role)
    if found is None:
        return None
    level, body = found
    place = None
    for back in range(-1, _CHAIN_BACK + 5):  # -1: 桂林市长, the place's 市 is the title's
        p = place_end.get(start - back)
        if p is not None and p.start >= after and p.name.endswith(level):
            if back == -1 and text[start] != level:
                continue
            if back < 0 or not _CHAIN_END & set(text[p.end : start]):
                place = p.name
            break
    if place is None:
        place = _own_place(doc, level)
    return f"org:{body.replace('{place}', place)}" if place else None


def _own_place(doc: Document, level: str) -> str | None:
    """The report's own place whose name ends in ``level`` (its county, city or province)."""
    gaz = load_gazetteer()
    for key in (doc.county, doc.city, doc.province):
        d = gaz.get((key or "").removeprefix("place:"))
        if d is not None and d.name.endswith(level):
            return d.name
    return None


def extract_people(
    doc: Document,
    claimed: SpanIndex,
    seg: Segmenter,
    insts: list[Mention] = (),
    places: list[Mention] = (),
) -> list[Mention]:
    text = doc.text
    roles, auto = _roles()
    for s, e in credit_spans(text, seg):
        claimed.add(s, e)  # a credited name is no one's mention (no place inside it either)
    out: dict[tuple[int, int], Mention] = {}
    inst_end = {m.end: m for m in insts}
    place_end = {m.end: m for m in places}
    cut = _place_cuts(places)

    def free(p: int, q: int) -> bool:
        return not claimed.covering(p, q) and not cut(p, q)

    last = 0  # the end of the last name found: a title's body is written after it
    for s, e, role in longest_matches(auto, text):
        pos = roles[role]
        if pos in ("before", "both"):
            # an office has its body: 市卫健委主任某甲、市长某乙's commission is not 某乙's
            org = _employer(text, s, inst_end, last if role in _bodies() else 0)
            office = _office(text, role, s, place_end, last, doc)
            for p, q, name in _names_after(text, e, seg, free, run_on=False):
                out.setdefault((p, q), _person(name, role, p, q, org, office))
                last = max(last, q)
        if pos in ("after", "both"):
            name = _name_before(text, s, seg)
            if name is not None and free(s - len(name), s):
                key = (s - len(name), s)
                office = _office(text, role, key[0], place_end, last, doc)
                out.setdefault(key, _person(name, role, *key, office=office))
                last = max(last, s)
    _bare_lists(text, seg, claimed, out)
    return [out[k] for k in sorted(out)]


def _place_cuts(places: list[Mention]) -> Callable[[int, int], bool]:
    """A test whether a span cuts a place's name (桂林 of 桂林市长李楚 is no one's name)."""
    at: dict[int, list[Mention]] = {}
    for m in places:
        for i in range(m.start, m.end):
            at.setdefault(i, []).append(m)

    def cut(p: int, q: int) -> bool:
        return any(m.start < p or m.end > q for i in range(p, q) for m in at.get(i, ()))

    return cut


def _names_after(
    text: str, p: int, seg: Segmenter, free: Callable[[int, int], bool], run_on: bool
) -> list[tuple[int, int, str]]:
    """The names written after a title or credit ending at ``p``: one, or a list separated by
    、 or spaces; with ``run_on`` (a credit: 统筹/某甲某乙) also names written together."""
    found: list[tuple[int, int, str]] = []
    while p < len(text) and text[p] in _AFTER_TITLE:
        p += 1
    while p < len(text):
        name = _name_at(text, p, seg) or _name_before_mark(text, p, seg)
        if name is None or not free(p, p + len(name)):
            break
        found.append((p, p + len(name), name))
        p += len(name)
        gap = p
        while p < len(text) and text[p] in _LIST_GAP and (run_on or p == gap):
            p += 1
        if p > gap:
            continue
        if run_on and p < len(text) and "\u4e00" <= text[p] <= "\u9fff":
            continue
        break
    return found


def _anywhere(p: int, q: int) -> bool:
    return True


def credit_spans(text: str, seg: Segmenter) -> list[tuple[int, int]]:
    """Spans of the names a page's credits give (记者 某某, 版式/某某, 某某 摄), and of a line
    of names only under a headline: a byline without its function."""
    words, auto = _credits()
    out: list[tuple[int, int]] = []
    for s, e, word in longest_matches(auto, text):
        if words[word] == "after":
            if e < len(text) and has_cjk(text[e]):
                continue  # 摄入, 摄像头: not a photographer's credit
            b = s
            while b > 0 and text[b - 1] in " \u3000":
                b -= 1
            name = _name_before(text, b, seg)
            if name is not None:
                out.append((b - len(name), b))
            continue
        out += [(p, q) for p, q, _ in _names_after(text, e, seg, _anywhere, run_on=True)]
    for m in _NAME_LINE.finditer(text):  # a byline without its function (周岚 郑凯 贺婷)
        parts = m.group().split()
        if all(plausible_name(p, seg) for p in parts):
            pos = m.start()
            for p in parts:
                pos = text.index(p, pos)
                out.append((pos, pos + len(p)))
                pos += len(p)
    return out


_COUNTED_LIST = re.compile(
    r"((?:[\u4e00-\u9fff]{2,3}、)+[\u4e00-\u9fff]{2,3})(?:两人|二人|三人|等\d+人|等人)"
)
_NAME_LINE = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}[ \u3000]+){1,6}[\u4e00-\u9fff]{2,3}$", re.M)


def _bare_lists(
    text: str, seg: Segmenter, claimed: SpanIndex, out: dict[tuple[int, int], Mention]
) -> None:
    """马立人、方居正两人; 王永炎等4个院士工作站."""
    for m in _COUNTED_LIST.finditer(text):
        _add_all(text, m.start(1), m.group(1).split("、"), seg, claimed, out)
    for m in _HEADS_GROUP.finditer(text):
        e = m.start()
        for n in (3, 2):
            name = _name_at(text, e - n, seg) if e - n >= 0 else None
            if name is not None and len(name) == n:
                if not claimed.covering(e - n, e):
                    out.setdefault((e - n, e), _person(name, "", e - n, e))
                break


def _add_all(
    text: str,
    pos: int,
    parts: list[str],
    seg: Segmenter,
    claimed: SpanIndex,
    out: dict[tuple[int, int], Mention],
) -> None:
    if len(parts) < 2 or not all(plausible_name(p, seg) for p in parts):
        return
    for p in parts:
        pos = text.index(p, pos)
        if not claimed.covering(pos, pos + len(p)):
            out.setdefault((pos, pos + len(p)), _person(p, "", pos, pos + len(p)))
        pos += len(p)
