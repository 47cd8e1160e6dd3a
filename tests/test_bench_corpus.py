"""The benchmark's corpus generator: deterministic, sized as asked, real places swapped in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.corpus import MANIFEST, Template, generate, load_templates, target_cities
from kg.gazetteer import load_gazetteer
from kg.loader import load_file
from kg.pipeline import analyse

MB = 0.2
SIZE = int(MB * 1_000_000)


def _files(folder: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(folder.glob("*.txt"))}


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        folder = tmp_path_factory.mktemp(f"corpus_{name}")
        generate(folder, MB, seed)
        out[name] = folder
    return out


@pytest.fixture(scope="module")
def manifest(corpora: dict[str, Path]) -> list[dict]:
    return json.loads((corpora["a"] / MANIFEST).read_text(encoding="utf-8"))["documents"]


@pytest.fixture(scope="module")
def templates() -> dict[str, Template]:
    return {t.seed: t for t in load_templates()}


def test_same_seed_gives_the_same_bytes(corpora: dict[str, Path]) -> None:
    a, b = _files(corpora["a"]), _files(corpora["b"])
    assert a and list(a) == list(b)
    assert a == b
    assert (corpora["a"] / MANIFEST).read_bytes() == (corpora["b"] / MANIFEST).read_bytes()


def test_another_seed_gives_other_documents(corpora: dict[str, Path]) -> None:
    a, c = _files(corpora["a"]), _files(corpora["c"])
    assert set(a.values()).isdisjoint(c.values())


def test_size_is_close_to_the_request(corpora: dict[str, Path]) -> None:
    for folder in corpora.values():
        sizes = [len(b) for b in _files(folder).values()]
        assert abs(sum(sizes) - SIZE) <= max(sizes) / 2 + 1
        assert abs(sum(sizes) - SIZE) / SIZE < 0.05
        assert [f.name for f in sorted(folder.glob("*.txt"))][:2] == ["000000.txt", "000001.txt"]


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one(
    corpora: dict[str, Path], tmp_path: Path
) -> None:
    generate(tmp_path, 0.05, 1)
    small = _files(tmp_path)
    big = _files(corpora["a"])
    assert small and all(big[name] == data for name, data in small.items())


def test_swapped_places_are_real_gazetteer_places(manifest: list[dict]) -> None:
    gaz = load_gazetteer()
    cities = {c.key for c in target_cities()}
    for row in manifest:
        city = gaz.get(row["city"])
        assert city is not None and city.level == "City" and city.name == row["city_name"]
        assert row["city"] in cities
        assert gaz.province_of(city.key).name == row["province"]
        for county in row["counties"]:
            assert any(d.parent == city.key for d in gaz.by_name[county])
        assert 2015 <= row["year"] <= 2025


def test_documents_name_their_new_city_and_year(
    corpora: dict[str, Path], manifest: list[dict]
) -> None:
    for row in manifest:
        text = (corpora["a"] / row["file"]).read_text(encoding="utf-8")
        short = load_gazetteer().get(row["city"]).short
        assert row["city_name"] in text or short in text
        assert f"{row['year']}年" in text


def test_no_seed_place_name_survives_the_swap(
    corpora: dict[str, Path], manifest: list[dict], templates: dict[str, Template]
) -> None:
    gaz = load_gazetteer()
    for row in manifest:
        template = templates[row["seed"]]
        old = gaz.get(template.city)
        forbidden = {old.name, old.short}
        forbidden |= {gaz.get(k).name for k in template.counties}
        old_province = gaz.province_of(old.key)
        if old_province.name != row["province"]:
            forbidden |= {old_province.name, old_province.short}
        text = (corpora["a"] / row["file"]).read_text(encoding="utf-8")
        left = {name for name in forbidden if name in text}
        assert not left, f"{row['file']} (from {row['seed']} → {row['city_name']}): {left}"


def test_headline_stays_first(
    corpora: dict[str, Path], manifest: list[dict], templates: dict[str, Template]
) -> None:
    for row in manifest:
        headline = templates[row["seed"]].headline
        if all(isinstance(p, str) for p in headline):
            text = (corpora["a"] / row["file"]).read_text(encoding="utf-8")
            assert text.startswith("".join(headline) + "\n")


def test_pipeline_reads_the_new_city_back(corpora: dict[str, Path], manifest: list[dict]) -> None:
    for row in manifest[:4]:
        facts = analyse(load_file(corpora["a"] / row["file"], corpora["a"]))
        assert facts.city == row["city"], row
