"""Stage 3: sentences, and words where a rule needs them.

Words come from a private ``jieba.Tokenizer`` (never jieba's global one) fed with
the gazetteer and lexicons as a user dictionary. Segmenting every sentence would
cost more than the rest of the build together, so extractors ask for words only
around a candidate (``Segmenter.tokens``), and the POS tag of each word is looked
up in jieba's dictionary instead of running ``posseg``'s HMM.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import re
import stat
import sys
import tempfile
from functools import cache
from pathlib import Path

from kg.document import Document, Sentence
from kg.gazetteer import load_gazetteer
from kg.io import Damaged, dump_data, load_data, seal, unseal
from kg.lexicon import ONTOLOGY_DIR, column, read_tsv


def _import_jieba():  # type: ignore[no-untyped-def]
    """jieba imports the deprecated ``pkg_resources`` (~0.1 s, a tenth of a small build's
    start-up) only to find its own dictionary, and opens it by path when that import fails."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba
    else:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
        try:
            import jieba
        finally:
            del sys.modules["pkg_resources"]
    return jieba


jieba = _import_jieba()

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

    def __init__(self, lazy: bool = False) -> None:
        self.tokenizer = jieba.Tokenizer()
        state = _state_file()
        if lazy and state is not None and self._load_shards(_shard_file(state)):
            return
        try:
            if state is None:
                raise FileNotFoundError("no private cache folder")
            freq, total, user_tags, tags = load_data(STATE_KIND, state.read_bytes())
            if not all(isinstance(v, dict) for v in (freq, user_tags, tags)):
                raise Damaged("not a dictionary state")
        except (OSError, Damaged, TypeError, ValueError):
            self._prepare()
            if state is not None:
                _save_state(state, self)
        else:  # what _prepare() makes, as it made it last time, in half the time
            tk = self.tokenizer
            tk.FREQ, tk.total, tk.user_word_tag_tab, tk.initialized = freq, total, user_tags, True
            self.tags = tags
        if lazy and state is not None:  # the next small build reads only the shards it needs
            _save_shards(_shard_file(state), self)

    def _load_shards(self, path: Path) -> bool:
        """The dictionary as shards read on first use (:class:`ShardedWords`)."""
        try:
            data = unseal(SHARDS_KIND, path.read_bytes())
            size = int.from_bytes(data[:8], "little")
            total, user_tags, index = marshal.loads(data[8 : 8 + size])
            if not isinstance(index, dict) or not isinstance(user_tags, dict):
                return False
        except (OSError, Damaged, ValueError, EOFError, TypeError):
            return False
        shards = _Shards(data[8 + size :], index)
        tk = self.tokenizer
        tk.FREQ, tk.total, tk.user_word_tag_tab, tk.initialized = (
            ShardedWords(shards, 0),
            total,
            user_tags,
            True,
        )
        self.tags = ShardedWords(shards, 1)  # type: ignore[assignment]
        return True

    def _prepare(self) -> None:
        """jieba's dictionary, its POS tags, and the gazetteer and lexicons as user words."""
        # Built from jieba's dictionary file: jieba's own cache (a file in the shared temp
        # folder that it reads unchecked) is never used, and reading it takes as long.
        tk = self.tokenizer
        tk.FREQ, tk.total = tk.gen_pfdict(tk.get_dict_file())
        tk.initialized = True
        self.tags = _dictionary_tags(self.tokenizer.get_dict_file().name)
        gaz = load_gazetteer()
        for name in gaz.by_name:
            self.tokenizer.add_word(name, 2000, "ns")
            self.tags[name] = "ns"
        for short, divisions in gaz.by_short.items():  # 遵义 is a verb in jieba's dictionary
            high = any(d.level in ("City", "Province") for d in divisions)
            if high and self.tags.get(short, "") in self.BOUNDARY_TAGS:
                self.tags[short] = "ns"
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


#: The prepared dictionary's formats (kinds its files are sealed as, :func:`kg.io.seal`).
STATE_KIND, SHARDS_KIND = "segmenter/1", "segmenter-shards/1"


def private_cache_dir() -> Path | None:
    """This user's cache folder for the prepared dictionary (``$XDG_CACHE_HOME`` or
    ``~/.cache``, then ``cn-health-kg``), made mode 0700; None when it cannot be made or
    is not the user's own and closed to others (nothing is cached then: a file another
    user could plant is never read)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    folder = Path(base) / "cn-health-kg"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_mode & 0o077:
        return None
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return None
    return folder


def _state_file() -> Path | None:
    """Where the prepared dictionary is kept between runs (in :func:`private_cache_dir`),
    named by everything that goes into it: jieba's version and dictionary, the gazetteer
    and the lexicons, and this file. None: not kept."""
    folder = private_cache_dir()
    if folder is None:
        return None
    h = hashlib.sha256(jieba.__version__.encode())
    with jieba.get_dict_file() as f:
        dictionary = Path(f.name)
    sources = [dictionary, Path(__file__), ONTOLOGY_DIR / "gazetteer" / "divisions.tsv"]
    sources += [ONTOLOGY_DIR / "lexicon" / n for n in _LEXICONS]
    for path in sources:
        h.update(path.read_bytes() if path.exists() else b"-")
    return folder / f"segmenter-{h.hexdigest()[:16]}.data"


_LEXICONS = ("institution_suffixes.tsv", "institution_abbreviations.tsv")


def _save_state(path: Path, seg: Segmenter) -> None:
    tk = seg.tokenizer
    _replace_file(path, dump_data(STATE_KIND, (tk.FREQ, tk.total, tk.user_word_tag_tab, seg.tags)))


def _replace_file(path: Path, data: bytes) -> None:
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # workers racing to write it each replace a whole file
    except OSError:  # a read-only cache folder only costs the next run its time
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _dictionary_tags(path: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    with open(path, "rb") as f:
        for raw in f:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 3:
                tags[parts[0]] = parts[2]
    return tags


#: A process that extracts only a few reports (a rebuild after some changed) reads the
#: dictionary lazily: one report touches ~15% of its shards, and loading all of it (0.4 s)
#: would be most of such a rebuild. Set by the pipeline before the first extraction.
LAZY_DICTIONARY = False


@cache
def get_segmenter() -> Segmenter:
    """One segmenter per process (it is read-only after construction)."""
    return Segmenter(lazy=LAZY_DICTIONARY)


class _Shards:
    """jieba's word frequencies and our POS tags, cut by a word's first character."""

    __slots__ = ("data", "index", "loaded")

    def __init__(self, data: memoryview, index: dict[str, tuple[int, int]]) -> None:
        self.data = data
        self.index = index
        self.loaded: dict[str, tuple[dict[str, int], dict[str, str]]] = {}

    def get(self, first: str) -> tuple[dict[str, int], dict[str, str]]:
        shard = self.loaded.get(first)
        if shard is None:
            at = self.index.get(first)
            shard = marshal.loads(self.data[at[0] : at[1]]) if at else ({}, {})
            self.loaded[first] = shard
        return shard


class ShardedWords:
    """The read-only mapping jieba and the extractors use (``in``, ``[]``, ``get``), over
    the shards of one table (0: frequencies, 1: tags); a shard is read when first asked."""

    __slots__ = ("_shards", "_table")

    def __init__(self, shards: _Shards, table: int) -> None:
        self._shards = shards
        self._table = table

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word in self._shards.get(word[:1])[self._table]

    def __getitem__(self, word: str) -> object:
        return self._shards.get(word[:1])[self._table][word]

    def get(self, word: str, default: object = None) -> object:
        return self._shards.get(word[:1])[self._table].get(word, default)


def _shard_file(state: Path) -> Path:
    return state.with_suffix(".shards")


def _save_shards(path: Path, seg: Segmenter) -> None:
    """Write the dictionary as shards: an index (first character → byte range), then one
    marshalled (frequencies, tags) pair per first character."""
    tk = seg.tokenizer
    freq: dict[str, dict[str, int]] = {}
    tags: dict[str, dict[str, str]] = {}
    for word, n in tk.FREQ.items():
        freq.setdefault(word[:1], {})[word] = n
    for word, tag in seg.tags.items():
        tags.setdefault(word[:1], {})[word] = tag
    blobs: list[bytes] = []
    index: dict[str, tuple[int, int]] = {}
    at = 0
    for first in sorted(freq.keys() | tags.keys()):
        blob = marshal.dumps((freq.get(first, {}), tags.get(first, {})))
        index[first] = (at, at + len(blob))
        blobs.append(blob)
        at += len(blob)
    head = marshal.dumps((tk.total, tk.user_word_tag_tab, index))
    payload = b"".join([len(head).to_bytes(8, "little"), head, *blobs])
    _replace_file(path, seal(SHARDS_KIND, payload))  # checked whole when read
