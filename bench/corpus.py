"""Realistic synthetic corpora for the benchmark: the seed reports, moved to other cities.

Each seed report is analysed once by the pipeline (``kg.pipeline.analyse``) and turned into
a :class:`Template`: its paragraphs, with *slots* where the text names the report's city, the
city's counties/districts, its province, or a year. A generated report picks a seed, a real
city from the gazetteer (with its province and as many of its counties as the seed names),
a base year in 2015-2025, shuffles the paragraphs (the headline stays first) and fills the
slots consistently: 长治市 → X市, 长治 → X, 长治市人民医院 → X市人民医院, 山西 → Y, 黎城县 → a
county of X, 2023 → the base year (other years keep their distance to it).

What becomes a slot:

* every occurrence of the full and short names of the city, its province and its counties
  named in full, and the city's nicknames (鹰城 for 平顶山): these names are unambiguous;
* short county names (黎城), one-character abbreviations (晋 in 晋冀鲁豫, 长 in 京长合作) only
  where the pipeline recognised them as that place, since 上党, 长子 or 新华 are also words;
* years 2000-2029 followed by 年 (or starting a range such as 2023-2025年), in Arabic or
  Chinese numerals (二〇二三年).

The output is deterministic: document ``i`` of ``--seed s`` depends only on ``(s, i)``, so the
same arguments give byte-identical files and a smaller corpus is a prefix of a larger one.

    python -m bench.corpus --mb 10 --seed 1 --out bench/results/corpus/10mb
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.gazetteer import Division, Gazetteer, load_gazetteer
from kg.lexicon import read_tsv
from kg.loader import load_file
from kg.normalize import normalize
from kg.pipeline import analyse

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
CORPUS_DIR = ROOT / "bench" / "results" / "corpus"
MANIFEST = "manifest.json"
YEARS = (2015, 2025)
MEGABYTE = 1_000_000
#: Tries to find a target city whose names do not collide with the seed's text.
MAX_TRIES = 200

_HANZI_DIGITS = "〇一二三四五六七八九"
_HANZI_VALUE = {c: i for i, c in enumerate(_HANZI_DIGITS)} | {"零": 0}
_YEAR_ARABIC = re.compile(r"(?<!\d)20[0-2]\d(?=[ \t]*(?:年|[-—–~至到][ \t]*20[0-2]\d[ \t]*年))")
_YEAR_HANZI = re.compile(r"[〇零一二三四五六七八九]{4}(?=年)")
_BLANK_LINES = re.compile(r"\n(?:[ \t\r\u3000\xa0]*\n)+")


@dataclass(frozen=True, slots=True)
class Slot:
    """A place in a template filled per generated document.

    ``role`` is ``city``, ``province``, ``county`` or ``year``; ``index`` numbers the
    counties (or is a year's offset from the document's base year); ``form`` says how to
    print it: ``name`` (长治市), ``short`` (长治), ``nick`` (鹰城), ``abbr`` (晋), or for years
    ``arabic``/``hanzi``.
    """

    role: str
    index: int
    form: str


Part = str | Slot
Span = tuple[int, int, Slot]


@dataclass(frozen=True, slots=True)
class Template:
    """A seed report with slots, ready to be rendered for any city and year."""

    seed: str  # file name of the seed
    city: str  # gazetteer code of the seed's city
    counties: tuple[str, ...]  # codes of the seed city's counties that became slots
    headline: tuple[Part, ...]
    body: tuple[tuple[Part, ...], ...]  # the other paragraphs, in seed order
    swapped: frozenset[str]  # every name replaced by a slot (full, short, nickname forms)
    literal: str  # the seed's text outside slots, to avoid names it already uses
    avoid_abbr: frozenset[str]  # other one-character place abbreviations next to ours


@dataclass(frozen=True, slots=True)
class Target:
    """Where and when one generated document is set."""

    city: Division
    province: Division | None
    counties: tuple[Division, ...]
    year: int
    nick: str
    province_abbr: str

    def fill(self, slot: Slot) -> str:
        """The text for one slot."""
        if slot.role == "year":
            return _year_text(self.year + slot.index, slot.form)
        if slot.role == "city":
            return _place_form(self.city, slot.form, self.nick, self.city.short[:1])
        if slot.role == "province":
            assert self.province is not None
            return _place_form(self.province, slot.form, self.province.short, self.province_abbr)
        return _place_form(self.counties[slot.index], slot.form, "", "")

    def names(self) -> set[str]:
        """Every place name this target may print."""
        out = {self.city.name, self.city.short, self.nick}
        if self.province is not None:
            out |= {self.province.name, self.province.short}
        for c in self.counties:
            out |= {c.name, c.short}
        return {n for n in out if n}


@dataclass(frozen=True, slots=True)
class Generated:
    """One written document and what it was made from (a manifest row)."""

    file: str
    seed: str
    city: str
    city_name: str
    province: str | None
    counties: tuple[str, ...]
    year: int
    bytes: int


# --- places -----------------------------------------------------------------------------------


def _place_form(d: Division, form: str, nick: str, abbr: str) -> str:
    if form == "name":
        return d.name
    if form == "short":
        return d.short
    if form == "nick":
        return nick or d.short
    return abbr or d.short[:1]


@cache
def _children() -> dict[str, tuple[Division, ...]]:
    """County-level divisions of each city, by code."""
    gaz = load_gazetteer()
    kids: dict[str, list[Division]] = {}
    for d in sorted(gaz.by_key.values(), key=lambda d: d.key):
        if d.level == "County" and d.parent:
            kids.setdefault(d.parent, []).append(d)
    return {k: tuple(v) for k, v in kids.items()}


@cache
def _nicknames() -> dict[str, tuple[str, ...]]:
    """City full name → its nicknames (别称) from the lexicon."""
    out: dict[str, list[str]] = {}
    for row in read_tsv("lexicon/place_nicknames.tsv"):
        out.setdefault(row["name"], []).append(row["nickname"])
    return {k: tuple(v) for k, v in out.items()}


@cache
def _province_abbr() -> dict[str, str]:
    """Province full name → its first one-character abbreviation (简称)."""
    out: dict[str, str] = {}
    for row in read_tsv("lexicon/province_abbreviations.tsv"):
        out.setdefault(row["name"], row["abbr"])
    return out


@cache
def target_cities() -> tuple[Division, ...]:
    """Prefecture-level cities (name ending in 市, not municipalities) that have counties.

    Cities whose short name equals their province's (吉林市 in 吉林省) are left out: the two
    could not be told apart in the text.
    """
    gaz = load_gazetteer()
    out = []
    for d in sorted(gaz.by_key.values(), key=lambda d: d.key):
        if d.level != "City" or not d.name.endswith("市") or d.parent in (None, "CN"):
            continue
        prov = gaz.province_of(d.key)
        if len(d.short) < 2 or d.short == d.name or not _children().get(d.key):
            continue
        if prov is None or prov.short == d.short:
            continue
        out.append(d)
    return tuple(out)


# --- seeds → templates ------------------------------------------------------------------------


def _string_slots(gaz: Gazetteer, city: Division, counties: list[Division]) -> dict[str, Slot]:
    """Names replaced wherever they occur: city, province, full county names, nicknames."""
    slots: dict[str, Slot] = {}
    province = gaz.province_of(city.key)
    if province is not None and province.key != city.key:
        slots[province.name] = Slot("province", 0, "name")
        if len(province.short) >= 2:
            slots[province.short] = Slot("province", 0, "short")
    # The city comes after the province so that its names win where both share one.
    slots[city.name] = Slot("city", 0, "name")
    if len(city.short) >= 2:
        slots[city.short] = Slot("city", 0, "short")
    for nick in _nicknames().get(city.name, ()):
        slots[nick] = Slot("city", 0, "nick")
    for i, c in enumerate(counties):
        slots[c.name] = Slot("county", i, "name")
    return slots


def _find_strings(raw: str, slots: dict[str, Slot]) -> list[Span]:
    """Every occurrence of the names in ``slots``, longest name first at each position."""
    if not slots:
        return []
    alternation = "|".join(re.escape(n) for n in sorted(slots, key=lambda n: (-len(n), n)))
    return [(m.start(), m.end(), slots[m.group()]) for m in re.finditer(alternation, raw)]


def _find_years(raw: str, base: int | None) -> list[Span]:
    """Years to shift, as offsets from ``base`` (the year the pipeline says the report is)."""
    if base is None:
        return []
    spans: list[Span] = []
    for m in _YEAR_ARABIC.finditer(raw):
        spans.append((m.start(), m.end(), Slot("year", int(m.group()) - base, "arabic")))
    for m in _YEAR_HANZI.finditer(raw):
        year = int("".join(str(_HANZI_VALUE[c]) for c in m.group()))
        if 2000 <= year <= 2029:
            spans.append((m.start(), m.end(), Slot("year", year - base, "hanzi")))
    return spans


def _year_text(year: int, form: str) -> str:
    if form == "hanzi":
        return "".join(_HANZI_DIGITS[int(c)] for c in str(year))
    return str(year)


def _merge(*groups: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans sorted by start; earlier groups win overlaps."""
    taken: list[Span] = []
    for group in groups:
        for span in group:
            a, b, _ = span
            if all(b <= x or a >= y for x, y, _ in taken):
                taken.append(span)
    return sorted(taken, key=lambda s: s[0])


def _blocks(raw: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines, outer newlines trimmed."""
    out = []
    pos = 0
    for m in [*_BLANK_LINES.finditer(raw), None]:
        end = m.start() if m is not None else len(raw)
        a, b = pos, end
        while a < b and raw[a] in "\r\n":
            a += 1
        while b > a and raw[b - 1] in "\r\n":
            b -= 1
        if raw[a:b].strip():
            out.append((a, b))
        pos = m.end() if m is not None else len(raw)
    return out


def _parts(raw: str, a: int, b: int, spans: list[Span]) -> tuple[Part, ...]:
    """The paragraph ``raw[a:b]`` as literal strings and slots."""
    out: list[Part] = []
    pos = a
    for s, e, slot in spans:
        if s < a or e > b:
            continue
        if s > pos:
            out.append(raw[pos:s])
        out.append(slot)
        pos = e
    if pos < b:
        out.append(raw[pos:b])
    return tuple(out)


def _headline_index(raw: str, blocks: list[tuple[int, int]], headline: str) -> int:
    """The paragraph holding the headline the pipeline chose (the first one if none)."""
    for i, (a, b) in enumerate(blocks):
        if headline and headline in normalize(raw[a:b]).text:
            return i
    return 0


def _first_position(raw: str, d: Division) -> int:
    """Where the text first names ``d`` (full or short), or past the end if it does not."""
    found = [i for i in (raw.find(d.name), raw.find(d.short)) if i >= 0]
    return min(found, default=len(raw))


def make_template(path: Path) -> Template:
    """Analyse one seed with the pipeline and turn it into a template."""
    gaz = load_gazetteer()
    doc = load_file(path, path.parent)
    facts = analyse(doc)
    if facts.city is None or gaz.get(facts.city) is None:
        raise ValueError(f"{path}: the pipeline found no city for this seed")
    city = gaz.get(facts.city)
    assert city is not None
    province = gaz.province_of(city.key)
    raw = doc.raw
    mentioned = {m.key.removeprefix("place:") for m in facts.mentions if m.cls == "Place"}
    counties = [c for c in _children().get(city.key, ()) if c.name in raw or c.key in mentioned]
    counties.sort(key=lambda c: (_first_position(raw, c), c.key))
    strings = _find_strings(raw, _string_slots(gaz, city, counties))

    roles: dict[str, tuple[str, int]] = {city.key: ("city", 0)}
    if province is not None and province.key != city.key:
        roles[province.key] = ("province", 0)
    roles |= {c.key: ("county", i) for i, c in enumerate(counties)}
    mention_spans: list[Span] = []
    other_abbr: set[str] = set()
    for m in facts.mentions:
        if m.cls != "Place":
            continue
        a, b = doc.to_original(m.start, m.end)
        role = roles.get(m.key.removeprefix("place:"))
        if role is None:
            if len(m.surface) == 1:
                other_abbr.add(m.surface)
            continue
        if "\n" in raw[a:b] or raw[a:b] != m.surface:
            continue  # broken across lines or repaired by normalization: leave it
        division = gaz.get(m.key.removeprefix("place:"))
        assert division is not None
        form = "abbr" if len(m.surface) == 1 else "short" if m.surface == division.short else ""
        if form:
            mention_spans.append((a, b, Slot(role[0], role[1], form)))
    spans = _merge(strings, _find_years(raw, facts.year), mention_spans)

    blocks = _blocks(raw)
    head = _headline_index(raw, blocks, facts.headline)
    paragraphs = [_parts(raw, a, b, spans) for a, b in blocks]
    swapped = {raw[a:b] for a, b, slot in spans if slot.role != "year" and b - a >= 2}
    literal = "\n".join(p for para in paragraphs for p in para if isinstance(p, str))
    return Template(
        seed=path.name,
        city=city.key,
        counties=tuple(c.key for c in counties),
        headline=paragraphs[head],
        body=tuple(p for i, p in enumerate(paragraphs) if i != head),
        swapped=frozenset(swapped),
        literal=literal,
        avoid_abbr=frozenset(other_abbr),
    )


@cache
def load_templates(seeds_dir: Path = SEEDS_DIR) -> tuple[Template, ...]:
    """Templates of every seed report, sorted by file name."""
    files = sorted(seeds_dir.glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"{seeds_dir}: no seed reports (*.txt)")
    return tuple(make_template(f) for f in files)


# --- rendering --------------------------------------------------------------------------------


def choose_target(template: Template, rng: random.Random) -> Target:
    """A random real city (and year) whose names do not clash with the seed's text."""
    gaz = load_gazetteer()
    pool = [c for c in target_cities() if c.key != template.city]
    n = len(template.counties)
    for _ in range(MAX_TRIES):
        city = rng.choice(pool)
        kids = _children()[city.key]
        if len(kids) < n:
            continue
        province = gaz.province_of(city.key)
        assert province is not None
        nick = next(iter(_nicknames().get(city.name, ())), "")
        target = Target(
            city=city,
            province=province,
            counties=tuple(rng.sample(kids, n)),
            year=rng.randint(*YEARS),
            nick=nick,
            province_abbr=_province_abbr().get(province.name, province.short[:1]),
        )
        if _clashes(template, target):
            continue
        return target
    raise RuntimeError(f"{template.seed}: no target city without name clashes")


def _clashes(template: Template, target: Target) -> bool:
    """True when the target's names would be confused with the seed's own names."""
    names = target.names()
    local = {target.city.name, target.city.short, target.nick}
    local |= {c.name for c in target.counties} | {c.short for c in target.counties}
    if any(n and n in template.literal for n in local):
        return True  # the seed already speaks of this place in another role
    if any(old in new for old in template.swapped for new in names):
        return True  # 大同 inside 大同区 (大庆市): the old name would survive
    abbr = {target.province_abbr, target.city.short[:1]}
    return bool(abbr & template.avoid_abbr)


def render(template: Template, target: Target, rng: random.Random) -> str:
    """The text of one generated report: headline first, the rest shuffled."""
    body = list(template.body)
    rng.shuffle(body)
    paragraphs = [template.headline, *body]
    text = "\n\n".join(
        "".join(p if isinstance(p, str) else target.fill(p) for p in para) for para in paragraphs
    )
    return text + "\n"


def document(index: int, seed: int, templates: tuple[Template, ...]) -> tuple[str, Generated]:
    """Generated document number ``index`` of corpus ``seed`` and its manifest row."""
    rng = random.Random(f"kg-bench:{seed}:{index}")
    template = rng.choice(templates)
    target = choose_target(template, rng)
    text = render(template, target, rng)
    row = Generated(
        file=f"{index:06d}.txt",
        seed=template.seed,
        city=target.city.key,
        city_name=target.city.name,
        province=target.province.name if target.province else None,
        counties=tuple(c.name for c in target.counties),
        year=target.year,
        bytes=len(text.encode("utf-8")),
    )
    return text, row


def documents(
    mb: float, seed: int, templates: tuple[Template, ...]
) -> Iterator[tuple[str, Generated]]:
    """Documents until the total size is as close as possible to ``mb`` megabytes (10^6 B)."""
    target = int(mb * MEGABYTE)
    total = 0
    index = 0
    while total < target:
        text, row = document(index, seed, templates)
        if total and total + row.bytes - target > target - total:
            return  # stopping here is closer to the request than adding this one
        yield text, row
        total += row.bytes
        index += 1


def generate(out: Path, mb: float, seed: int = 1, seeds_dir: Path = SEEDS_DIR) -> list[Generated]:
    """Write a corpus of about ``mb`` megabytes to ``out`` (NNNNNN.txt and manifest.json).

    Earlier generated files in ``out`` (``NNNNNN.txt``, the manifest) are removed first;
    nothing else there is touched.
    """
    templates = load_templates(seeds_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("[0-9][0-9][0-9][0-9][0-9][0-9].txt"):
        old.unlink()
    rows = []
    for text, row in documents(mb, seed, templates):
        (out / row.file).write_bytes(text.encode("utf-8"))
        rows.append(row)
    manifest = {"mb": mb, "seed": seed, "documents": [_row_dict(r) for r in rows]}
    (out / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return rows


def _row_dict(row: Generated) -> dict[str, object]:
    return {
        "file": row.file,
        "seed": row.seed,
        "city": row.city,
        "city_name": row.city_name,
        "province": row.province,
        "counties": list(row.counties),
        "year": row.year,
        "bytes": row.bytes,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m bench.corpus", description="Generate a synthetic report corpus."
    )
    ap.add_argument("--mb", type=float, default=1.0, help="total size in MB (10^6 bytes)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    ap.add_argument("--out", type=Path, default=None, help="folder (default: corpus/<mb>mb)")
    ap.add_argument("--seeds", type=Path, default=SEEDS_DIR, help="seed reports folder")
    args = ap.parse_args(argv)
    out = args.out or CORPUS_DIR / f"{args.mb:g}mb"
    rows = generate(out, args.mb, args.seed, args.seeds)
    total = sum(r.bytes for r in rows)
    print(f"wrote {len(rows)} documents, {total / MEGABYTE:.2f} MB, to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
