"""Officials are affiliated with the body their office belongs to (issue 18): 市长 → the city's
人民政府, 县委书记 → 中共<county>委员会, linked only when that body is a node of the graph.

Every sentence is invented; the names are not taken from any report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from kg.lexicon import read_tsv
from kg.pipeline import build, turtle_text
from kg.vocab import KG
from tests.conftest import analyse_text

CITY = "岳阳市卫生健康委员会2024年工作总结\n"
COUNTY = "平遥县卫生健康局2024年工作总结\n"


def _people(text: str) -> dict[str, tuple[str | None, str | None]]:
    """name → (employer written before the title, office's body), keys without ``org:``."""
    out = {}
    for m in analyse_text(text).mentions:
        if m.cls == "Person":
            emp, office = m.attr("affiliation"), m.attr("office")
            out[m.name] = (emp and emp[4:], office and office[4:])
    return out


@pytest.mark.parametrize(
    ("text", "name", "body"),
    [
        # the place written before the title
        (CITY + "大连市副市长方达出席。", "方达", "大连市人民政府"),
        (CITY + "会上，桂林市长邹平致辞。", "邹平", "桂林市人民政府"),
        (CITY + "德阳市委副书记、市长钱伟讲话。", "钱伟", "德阳市人民政府"),
        (CITY + "恩施州副州长韩雪出席。", "韩雪", "恩施土家族苗族自治州人民政府"),
        (CITY + "河南省副省长孔亮讲话。", "孔亮", "河南省人民政府"),
        (CITY + "重庆市委常委、万州区委书记汤洁出席。", "汤洁", "中共万州区委员会"),
        (CITY + "栖霞区副区长龚杰出席。", "龚杰", "栖霞区人民政府"),
        # no place: the report's own place of the office's level
        (CITY + "市长罗敏出席会议。", "罗敏", "岳阳市人民政府"),
        (CITY + "副市长傅强、市委书记段红出席。", "段红", "中共岳阳市委员会"),
        (COUNTY + "县长石岚、副县长庞力出席。", "庞力", "平遥县人民政府"),
        (CITY + "罗敏市长讲话。", "罗敏", "岳阳市人民政府"),
    ],
)
def test_an_office_of_government_belongs_to_its_places_body(
    text: str, name: str, body: str
) -> None:
    assert _people(text)[name][1] == body


def test_an_office_of_another_level_than_the_report_has_no_body() -> None:
    """县长 in a city's report: which county is not said."""
    assert _people(CITY + "县长石岚出席。")["石岚"] == (None, None)


def test_the_body_of_one_title_does_not_pass_to_the_next_name() -> None:
    """市卫健委主任某甲、市长某乙: the commission is 某甲's, not 某乙's."""
    people = _people(CITY + "市卫健委主任龚杰、市长罗敏出席。")
    assert people["龚杰"] == ("岳阳市卫生健康委员会", None)
    assert people["罗敏"] == (None, "岳阳市人民政府")


def test_a_name_does_not_cut_a_place() -> None:
    """桂林市长邹平: 桂林 (a surname and a character) is the place, not a person."""
    assert set(_people(CITY + "副市长方达、桂林市长邹平出席。")) == {"方达", "邹平"}


def test_every_office_is_a_role() -> None:
    roles = {r["role"] for r in read_tsv("lexicon/roles.tsv")}
    assert {r["role"] for r in read_tsv("lexicon/role_bodies.tsv")} <= roles


def _graph(tmp_path: Path, texts: dict[str, str]) -> rdflib.Graph:
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    g = rdflib.Graph()
    g.parse(data=turtle_text(build([tmp_path])), format="turtle")
    return g


def _affiliations(g: rdflib.Graph, person: str) -> set[str]:
    p = next(g.subjects(rdflib.RDFS.label, rdflib.Literal(person, lang="zh")))
    return {str(g.value(o, rdflib.RDFS.label)) for o in g.objects(p, KG.affiliation)}


def test_the_office_links_to_the_government_another_report_names(tmp_path: Path) -> None:
    g = _graph(
        tmp_path,
        {
            "a.txt": CITY + "市长罗敏出席会议。市卫健委主任龚杰作报告。\n",
            "b.txt": CITY + "市政府出台《岳阳市健康城市建设方案》。\n",
        },
    )
    assert _affiliations(g, "罗敏") == {"岳阳市人民政府"}
    assert _affiliations(g, "龚杰") == {"岳阳市卫生健康委员会"}


def test_an_unnamed_government_is_not_minted(tmp_path: Path) -> None:
    """No report names 岳阳市人民政府: no node for it (it would be an Institution no text
    mentions), and so no affiliation."""
    g = _graph(tmp_path, {"a.txt": CITY + "市长罗敏出席会议。\n"})
    assert _affiliations(g, "罗敏") == set()
    assert not set(g.subjects(rdflib.RDFS.label, rdflib.Literal("岳阳市人民政府", lang="zh")))


def test_a_body_before_a_list_of_titles_is_each_ones() -> None:
    """某医院院长某甲、党委书记某乙: both work at the hospital."""
    people = _people(CITY + "明德大学附属医院院长邹平、党委书记汤洁出席。")
    assert people["邹平"][0] == people["汤洁"][0] == "明德大学附属医院"
