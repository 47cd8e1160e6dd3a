"""The data that flows through the pipeline: one ``Document`` from file to triples.

``load → normalize → segment → extract → resolve → emit``: each stage reads a
``Document`` and fills the next fields. Offsets in ``Mention``/``Sentence`` are
into the NORMALIZED text; ``Document.to_original`` maps them back into the
original file text, which is what provenance records.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class FastPickle:
    """A slots dataclass that is its fields: ``fields()`` gives them as a tuple, the form
    the document cache stores (as plain data, :func:`kg.io.dump_data`), and ``cls(*fields)``
    makes it again. Pickling (only between the build and its worker processes, never to or
    from a file) is the same constructor call: dataclasses' own ``__setstate__`` (pure
    Python, per field) was slower than resolving the reports."""

    __slots__ = ()

    def fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (type(self), self.fields())


#: Top-level classes (local names in the ontology).
PLACE, INSTITUTION, PROGRAM, PERSON = "Place", "Institution", "Program", "Person"
ENTITY_CLASSES = (PLACE, INSTITUTION, PROGRAM, PERSON)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the normalized text, ``text[start:end]``."""

    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention(FastPickle):
    """A span of the normalized text that names an entity.

    ``key`` identifies the real-world thing across documents (a place's admin
    code, an institution's canonical name ...); ``name`` is its canonical name;
    ``surface`` what the text printed. ``counted`` is False for mentions that only
    exist as part of a longer name (the 长治 in 长治市人民医院): they link the
    entity but do not count as the document mentioning it.
    """

    cls: str
    subclass: str
    key: str
    name: str
    surface: str
    start: int
    end: int
    counted: bool = True
    attrs: tuple[tuple[str, str], ...] = ()

    def attr(self, name: str) -> str | None:
        for k, v in self.attrs:
            if k == name:
                return v
        return None


@dataclass(frozen=True, slots=True)
class Relation(FastPickle):
    """A partnership or achievement stated by one sentence.

    ``parties`` are entity keys (partners, or holders for achievements);
    ``evidence_*`` are offsets into the normalized text of the whole sentence.
    """

    kind: str  # "Partnership" | "Achievement"
    subtype: str  # partnership kind / achievement kind concept local name
    parties: tuple[str, ...]
    sentence_start: int
    sentence_end: int
    lead: str | None = None
    co_built: str | None = None
    title: str | None = None
    date: str | None = None
    level: str | None = None
    department: str | None = None
    program: str | None = None
    awarded_by: str | None = None


@dataclass(slots=True)
class Document:
    """One report, from its bytes to its mentions and relations."""

    path: Path
    name: str  # file name relative to the input folder, "/" separated
    sha256: str
    encoding: str
    raw: str  # decoded original text (BOM removed): offsets point here
    text: str = ""  # normalized text
    offsets: array = field(default_factory=lambda: array("l"))  # text index -> raw index
    sentences: list[Sentence] = field(default_factory=list)
    city: str | None = None  # place key of the city the report is about
    province: str | None = None
    county: str | None = None  # a county's or district's own report: that county
    year: int | None = None
    years: tuple[int, ...] = ()
    headline: str = ""
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.sha256[:12]

    @property
    def own_place(self) -> str | None:
        """The place a report calls 我市/我县/我省: its county, city or province."""
        return self.county or self.city or self.province

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalized text to the span of the original it came from."""
        if end <= start:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.raw)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def original_slice(self, start: int, end: int) -> str:
        a, b = self.to_original(start, end)
        return self.raw[a:b]
