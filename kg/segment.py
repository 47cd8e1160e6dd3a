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
        #: The tokenizer that cuts: ``tokenizer`` itself, unless the dictionary is read
        #: lazily (then ``tokenizer.FREQ`` reads on lookup for the extractors that ask it,
        #: and this one cuts on the plain dict that reading fills).
        self.cutter = self.tokenizer
        self._shards: _Shards | None = None  # the dictionary's unread part (lazy reading)
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
        """The dictionary as shards, each merged into the tokenizer's plain dicts when a text
        holding its first character is first segmented or tagged (:meth:`_read_for`)."""
        try:
            data = unseal(SHARDS_KIND, path.read_bytes())
            size = int.from_bytes(data[:8], "little")
            total, user_tags, index = marshal.loads(data[8 : 8 + size])
            if not isinstance(index, dict) or not isinstance(user_tags, dict):
                return False
        except (OSError, Damaged, ValueError, EOFError, TypeError):
            return False
        self._shards = _Shards(data[8 + size :], index)
        freq: dict[str, int] = {}
        self.tags = {}
        self.cutter = jieba.Tokenizer()
        for tk, words in (
            (self.cutter, freq),
            (self.tokenizer, _ReadingWords(self, self._shards, freq)),
        ):
            tk.FREQ, tk.total, tk.user_word_tag_tab, tk.initialized = (
                words,
                total,
                user_tags,
                True,
            )
        return True

    def _read_for(self, text: str) -> None:
        """Merge the shards of ``text``'s characters not read yet. Every word jieba looks up
        while cutting ``text`` (and every word :meth:`tag` is asked) is a substring of it, so
        the shard of its first character is then read: the lookups find what the whole
        dictionary would, in plain dicts (a lookup through a Python mapping cost more)."""
        shards = self._shards
        if shards is not None:
            new = set(text) - shards.read
            if new:
                shards.merge(new, self.cutter.FREQ, self.tags)

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
        self._read_for(text)
        return self.cutter.lcut(text, HMM=True)

    def tag(self, word: str) -> str:
        """The dictionary POS tag of a word ("" when jieba found it by HMM)."""
        shards = self._shards
        if shards is not None and word[:1] not in shards.read:
            self._read_for(word[:1])
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


#: The dictionary is read lazily, shard by shard (:meth:`Segmenter._read_for`): one report
#: touches ~15% of its shards, 96 reports (the 1 MB bench corpus) 724 of its 11,772 shards,
#: and a shard is merged into the plain dicts jieba cuts with, so a lookup costs what it
#: costs in the whole dictionary. Measured: a rebuild of a few reports needs 0.1 s instead
#: of the 0.4 s of the whole dictionary; 1 MB saves ~0.1 s; 10 MB (935 reports) is even.
#: False reads the whole dictionary at once.
LAZY_DICTIONARY = True


@cache
def get_segmenter() -> Segmenter:
    """One segmenter per process (it is read-only after construction)."""
    return Segmenter(lazy=LAZY_DICTIONARY)


class _Shards:
    """jieba's word frequencies and our POS tags, cut by a word's first character."""

    __slots__ = ("data", "index", "read")

    def __init__(self, data: memoryview, index: dict[str, tuple[int, int]]) -> None:
        self.data = data
        self.index = index
        self.read: set[str] = set()  # first characters whose shard is merged

    def merge(self, firsts: set[str], freq: dict[str, int], tags: dict[str, str]) -> None:
        """Add the words of the shards of ``firsts`` to ``freq`` and ``tags``."""
        for first in firsts:
            at = self.index.get(first)
            if at is not None:
                words, tagged = marshal.loads(self.data[at[0] : at[1]])
                freq.update(words)
                tags.update(tagged)
        self.read.update(firsts)  # in place: _ReadingWords holds this set


class _ReadingWords:
    """``tokenizer.FREQ`` of a lazily read dictionary, for the extractors that look a word
    up in it (``in``, ``[]``, ``get``): reads the word's shard first, then asks the plain
    dict jieba cuts with."""

    __slots__ = ("_read", "_seg", "_words")

    def __init__(self, seg: Segmenter, shards: _Shards, words: dict[str, int]) -> None:
        self._seg = seg
        self._read = shards.read  # the same set, updated in place
        self._words = words

    def _need(self, word: str) -> None:
        if word[:1] not in self._read:
            self._seg._read_for(word[:1])

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        self._need(word)
        return word in self._words

    def __getitem__(self, word: str) -> int:
        self._need(word)
        return self._words[word]

    def get(self, word: str, default: object = None) -> object:
        self._need(word)
        return self._words.get(word, default)


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
