"""Programs: policy documents in 《》, quoted program names, and level-marked names.

A quoted phrase is a program only when it ends, or is followed by, a program
suffix (工程, 项目, 试点, 活动, 行动 ...): “人民至上、生命至上” is a slogan.
Unquoted names need a level word at their start (国家, 全国, 中央, 省级 ...)
and a program suffix at their end, with no boundary word in between.
"""

from __future__ import annotations

import re
from functools import cache

from kg.document import PROGRAM, Document, Mention
from kg.extract.common import strip_quotes
from kg.lexicon import read_tsv, read_words

_BOOK = re.compile(r"《([^《》\n]{2,60})》")
_QUOTED = re.compile(r"“([^“”\n]{2,30})”")
_LEVEL = "国家级|国家|全国|中央|省级|全省|市级"


@cache
def _suffixes() -> tuple[tuple[str, str], ...]:
    rows = read_tsv("lexicon/program_suffixes.tsv")
    return tuple(sorted(((r["suffix"], r["class"]) for r in rows), key=lambda x: -len(x[0])))


@cache
def _level_re() -> re.Pattern[str]:
    alts = "|".join(re.escape(s) for s, _ in _suffixes())
    # 2..30 characters of a name between the level word and the suffix, no punctuation.
    return re.compile(
        f"(?:{_LEVEL})[\u4e00-\u9fff“”]{{2,30}}?(?:{alts})(?![\u4e00-\u9fff]{{0,1}}项目)"
    )


def suffix_class(name: str) -> str | None:
    for suffix, cls in _suffixes():
        if name.endswith(suffix):
            return cls
    return None


def program_mention(name: str, surface: str, start: int, end: int, cls: str) -> Mention:
    key = "program:" + strip_quotes(name)
    return Mention(PROGRAM, cls, key, name, surface, start, end)


def extract_programs(doc: Document) -> list[Mention]:
    text = doc.text
    policy = tuple(read_words("lexicon/policy_suffixes.txt"))
    boundary = read_words("lexicon/boundary_words.txt") - {"建设", "中"}
    out: list[Mention] = []
    for m in _BOOK.finditer(text):
        title = m.group(1).strip()
        base = re.sub(r"[（(][^）)]*[）)]$", "", title)
        if base.endswith(policy):
            out.append(program_mention(title, m.group(), m.start(), m.end(), "PolicyDocument"))
    for m in _QUOTED.finditer(text):
        inner = m.group(1)
        cls = suffix_class(inner)
        if cls is not None and len(inner) > 3:
            out.append(program_mention(inner, m.group(), m.start(), m.end(), cls))
            continue
        after = text[m.end() : m.end() + 6]
        for suffix, scls in _suffixes():
            if after.startswith(suffix):
                end = m.end() + len(suffix)
                out.append(
                    program_mention(m.group() + suffix, text[m.start() : end], m.start(), end, scls)
                )
                break
    taken = [(p.start, p.end) for p in out]
    for m in _level_re().finditer(text):
        s, e = m.span()
        if any(a < e and s < b for a, b in taken):
            continue
        name = m.group()
        if any(w in name[2:] for w in boundary if len(w) >= 2):
            continue
        cls = suffix_class(name) or "Project"
        out.append(program_mention(name, name, s, e, cls))
        taken.append((s, e))
    return sorted(out, key=lambda p: (p.start, p.end))
