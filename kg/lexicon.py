"""Reading the data files under ``ontology/`` (lexicons, patterns, gazetteer).

Rules live in these files, not in Python literals: adding a suffix, a trigger or
an abbreviation never touches code. TSV files have a header row; lines starting
with ``#`` and blank lines are comments.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"


def _resolve(path: str | Path) -> Path:
    p = Path(path)
    return p if p.is_absolute() else ONTOLOGY_DIR / p


@cache
def read_tsv(path: str | Path) -> tuple[dict[str, str], ...]:
    """Rows of a TSV file with a header, as dicts (missing cells are "")."""
    p = _resolve(path)
    with p.open(encoding="utf-8", newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple({k: (v or "").strip() for k, v in row.items() if k} for row in reader)


@cache
def read_words(path: str | Path) -> frozenset[str]:
    """A one-word-per-line list."""
    p = _resolve(path)
    with p.open(encoding="utf-8") as f:
        return frozenset(w.strip() for w in f if w.strip() and not w.lstrip().startswith("#"))


def column(path: str | Path, name: str) -> tuple[str, ...]:
    return tuple(r[name] for r in read_tsv(path))
