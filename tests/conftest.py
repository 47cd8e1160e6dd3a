"""Shared fixtures: analysing short texts as if they were reports."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kg.document import Document
from kg.pipeline import analyse
from kg.resolve import DocFacts

ROOT = Path(__file__).resolve().parent.parent


def analyse_text(text: str, name: str = "t.txt") -> DocFacts:
    data = text.encode("utf-8")
    doc = Document(
        path=Path(name),
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding="utf-8",
        raw=text,
    )
    return analyse(doc)


def bodies(text: str) -> dict[str, set[str]]:
    """Institution name → the surfaces printed for it (counted mentions)."""
    out: dict[str, set[str]] = {}
    for m in analyse_text(text).mentions:
        if m.cls == "Institution" and m.counted:
            out.setdefault(m.name, set()).add(m.surface)
    return out


def names(facts: DocFacts, cls: str | None = None, counted: bool = True) -> set[str]:
    return {
        m.name
        for m in facts.mentions
        if (cls is None or m.cls == cls) and (m.counted or not counted)
    }


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
