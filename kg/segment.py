"""Stage 3: sentences, and words where a rule needs them.

Words come from a private ``jieba.Tokenizer`` (never jieba's global one) fed with
the gazetteer and lexicons as a user dictionary. Segmenting every sentence would
cost more than the rest of the build together, so extractors ask for words only
around a candidate (``Segmenter.tokens``), and the POS tag of each word is looked
up in jieba's dictionary instead of running ``posseg``'s HMM.
"""

from __future__ import annotations

import logging
import re
from functools import cache

import jieba

from kg.document import Document, Sentence
from kg.gazetteer import load_gazetteer
from kg.lexicon import column, read_tsv

_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)]*|\n+")

jieba.setLogLevel(logging.WARNING)


def split_sentences(doc: Document) -> list[Sentence]:
    """Sentences of the normalized text: ends at 。！？ (with closing quotes) and newlines."""
    text = doc.text
    out: list[Sentence] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end() if not m.group().startswith("\n") else m.start()
        if text[start:end].strip():
            out.append(Sentence(len(out), *_trim(text, start, end)))
        start = m.end()
    if text[start:].strip():
        out.append(Sentence(len(out), *_trim(text, start, len(text))))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class Segmenter:
    """Word segmentation with the project's lexicons and dictionary POS tags."""

    #: jieba dictionary tags that cannot be inside a name.
    BOUNDARY_TAGS = frozenset(
        {
            "v",
            "vd",
            "p",
            "c",
            "u",
            "uj",
            "ul",
            "uz",
            "ug",
            "uv",
            "ud",
            "d",
            "r",
            "m",
            "q",
            "f",
            "y",
            "e",
            "o",
            "w",
            "x",
            "zg",
            "ad",
            "mq",
            "rr",
            "rz",
            "ry",
            "t",
            "l",
            "a",
            "s",
        }
    )

    def __init__(self) -> None:
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        self.tags = _dictionary_tags(self.tokenizer.get_dict_file().name)
        gaz = load_gazetteer()
        for name in gaz.by_name:
            self.tokenizer.add_word(name, 2000, "ns")
            self.tags[name] = "ns"
        for suffix in column("lexicon/institution_suffixes.tsv", "suffix"):
            self.tokenizer.add_word(suffix, 3000, "n")
        for row in read_tsv("lexicon/institution_abbreviations.tsv"):
            self.tokenizer.add_word(row["surface"], 3000, "nt")
            self.tags[row["surface"]] = "nt"

    def tokens(self, text: str) -> list[str]:
        return self.tokenizer.lcut(text, HMM=True)

    def tag(self, word: str) -> str:
        """The dictionary POS tag of a word ("" when jieba found it by HMM)."""
        return self.tags.get(word, "")

    def is_boundary(self, word: str) -> bool:
        if not word.strip():
            return True
        if not any("\u4e00" <= ch <= "\u9fff" for ch in word):
            return True
        return self.tag(word) in self.BOUNDARY_TAGS


def _dictionary_tags(path: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    with open(path, "rb") as f:
        for raw in f:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 3:
                tags[parts[0]] = parts[2]
    return tags


@cache
def get_segmenter() -> Segmenter:
    """One segmenter per process (it is read-only after construction)."""
    return Segmenter()
