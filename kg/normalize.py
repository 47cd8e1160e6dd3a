"""Stage 2: repair what PDF-to-text conversion does to reports, keeping an offset map.

Repairs: spaces inside Chinese runs (会 议 全 面), words broken across blank lines
(培\\n\\n养), paragraphs printed twice, full-width letters/digits, ASCII punctuation
and straight quotes inside Chinese text, traditional characters (郟县 → 郏县, from
``ontology/lexicon/traditional_chars.tsv``). Every character of the normalized text
comes from one character of the original (repairs only delete characters or
replace one by one), so ``offsets[i]`` is the original index of ``text[i]``.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from functools import cache

from kg.lexicon import read_tsv

#: Characters that end a sentence or clause: a paragraph ending otherwise was cut.
TERMINAL = set("。！？；：…”’」』）)】!?;:.")
#: A paragraph this long, or holding a sentence end, is body text; shorter ones may be headings.
BODY_MIN = 30

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\u2018-\u201d"
_CJK_RE = re.compile(f"[{_CJK}]")
_WS_RUN = re.compile(r"[ \t\u3000\u00a0\u2002-\u200b]+")
_LETTER_SPACED = re.compile(f"[{_CJK}] [{_CJK}] [{_CJK}] [{_CJK}]")
_ASCII_PUNCT = re.compile(r"[,;:?!()]")
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_FULLWIDTH_ALNUM.update({0x3000: 0x20, 0xA0: 0x20})
_TO_FULLWIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str
    offsets: array  # len(text) entries: original index of each character


def is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def _is_cjkish(ch: str) -> bool:
    return bool(ch) and (is_cjk(ch) or ch in "，。、；：？！“”‘’（）《》【】—…")


def _paragraphs(raw: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, surrounding white space excluded."""
    spans = []
    pos = 0
    for line in raw.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line)
    return spans


def _clean_ranges(raw: str, start: int, end: int) -> list[tuple[int, int]]:
    """Ranges of one paragraph to keep, dropping spaces that split Chinese text."""
    para = raw[start:end]
    body = len(para) >= BODY_MIN and any(c in para for c in "，。；,;")
    spaced = body or bool(_LETTER_SPACED.search(para))
    ranges: list[tuple[int, int]] = []
    cur = start
    for m in _WS_RUN.finditer(para):
        a, b = start + m.start(), start + m.end()
        before, after = raw[a - 1], raw[b] if b < len(raw) else ""
        if spaced and _is_cjkish(before) and _is_cjkish(after):
            ranges.append((cur, a))  # drop the whole run
        else:
            ranges.append((cur, a + 1))  # keep one separator
        cur = b
    ranges.append((cur, end))
    return [(a, b) for a, b in ranges if b > a]


def _text_of(raw: str, ranges: list[tuple[int, int]]) -> str:
    return "".join(raw[a:b] for a, b in ranges)


def _drop_duplicates(texts: list[str]) -> list[bool]:
    """Which paragraphs to keep: not a repeat of an earlier one, not a cut copy of a later one."""
    keep = [True] * len(texts)
    seen: set[str] = set()
    by_head: dict[str, list[int]] = {}
    for i, t in enumerate(texts):
        if len(t) >= 20:
            by_head.setdefault(t[:20], []).append(i)
    for i, t in enumerate(texts):
        if len(t) >= 8 and t in seen:
            keep[i] = False
            continue
        seen.add(t)
        if len(t) >= 20 and not t.endswith(tuple(TERMINAL)):
            for j in by_head.get(t[:20], ()):
                if j != i and len(texts[j]) > len(t) and texts[j].startswith(t):
                    keep[i] = False
                    break
    return keep


def normalize(raw: str) -> Normalized:
    paras = [(s, e) for s, e in _paragraphs(raw)]
    cleaned = [_clean_ranges(raw, s, e) for s, e in paras]
    texts = [_text_of(raw, r) for r in cleaned]
    keep = _drop_duplicates(texts)
    kept = [(paras[i], cleaned[i], texts[i]) for i in range(len(paras)) if keep[i]]

    parts: list[str] = []
    offsets = array("l")
    for n, ((_s, e), ranges, text) in enumerate(kept):
        for a, b in ranges:
            parts.append(raw[a:b])
            offsets.extend(range(a, b))
        if n + 1 < len(kept):
            nxt = kept[n + 1][2]
            broken = (
                (len(text) >= BODY_MIN or any(c in text for c in "。！？；"))
                and text[-1] not in TERMINAL
                and (is_cjk(text[-1]) or text[-1].isdigit())
                and (is_cjk(nxt[0]) or nxt[0].isdigit())
            )
            if not broken:
                parts.append("\n")
                offsets.append(e if e < len(raw) else len(raw) - 1)
    text = _fix_chars("".join(parts))
    return Normalized(text, offsets)


@cache
def _char_map() -> dict[int, int]:
    """Full-width letters and digits to ASCII, traditional characters to simplified."""
    table = dict(_FULLWIDTH_ALNUM)
    for row in read_tsv("lexicon/traditional_chars.tsv"):
        table[ord(row["traditional"])] = ord(row["simplified"])
    return table


def same_after_mapping(printed: str, normalized: str) -> bool:
    """Is ``normalized`` exactly ``printed`` with characters mapped one for one?"""
    return len(printed) == len(normalized) and printed.translate(_char_map()) == normalized


def _fix_chars(text: str) -> str:
    """One-for-one character repairs: width, traditional forms, punctuation and quotes in
    Chinese context."""
    text = text.translate(_char_map())

    def punct(m: re.Match[str]) -> str:
        i = m.start()
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if is_cjk(before) or is_cjk(after) or before in "”）" or after in "“（":
            return _TO_FULLWIDTH[m.group()]
        return m.group()

    text = _ASCII_PUNCT.sub(punct, text)
    return _curly_quotes(text)


def _curly_quotes(text: str) -> str:
    """Straight double quotes become “ and ” alternately within each line."""
    if '"' not in text:
        return text
    out = []
    for line in text.split("\n"):
        opened = False
        chars = list(line)
        for i, ch in enumerate(chars):
            if ch == '"':
                chars[i] = "”" if opened else "“"
                opened = not opened
        out.append("".join(chars))
    return "\n".join(out)
