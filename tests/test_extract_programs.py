"""Program constructions of the genre, on sentences written for them (hospitals invented)."""

from __future__ import annotations

import pytest

from tests.conftest import analyse_text, names

HEAD = "遵义市卫生健康局2024年工作总结\n"


def _programs(text: str) -> dict[str, set[str]]:
    """Program names and the surfaces printed for each."""
    out: dict[str, set[str]] = {}
    for m in analyse_text(HEAD + text).mentions:
        if m.cls == "Program":
            out.setdefault(m.name, set()).add(m.surface)
    return out


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        # the nation's designation programme, with the specialty printed between
        ("明德医院获批国家区域医疗中心。", {"国家区域医疗中心"}, set()),
        ("国家儿童、妇产区域医疗中心加快建设。", {"国家儿童、妇产区域医疗中心"}, set()),
        # what stands between 国家 and the designation is a specialty, not a body or a verb
        (
            "国家卫生健康委员会区域医疗中心工作组到院调研。",
            set(),
            {"国家卫生健康委员会区域医疗中心"},
        ),
        ("国家布局建设区域医疗中心。", set(), {"国家布局建设区域医疗中心"}),
        ("支持国家和省级区域医疗中心建设。", set(), {"国家和省级区域医疗中心"}),
        # a level word alone names a kind of status (lexicon/program_level_designations.txt)
        ("该院是省级区域医疗中心。", set(), {"省级区域医疗中心"}),
        # a batch and a count of the selected are not part of the pilot's name
        (
            "我市入选全国第二批30个医养结合服务质量提升试点。",
            {"医养结合服务质量提升试点"},
            {"全国第二批30个医养结合服务质量提升试点"},
        ),
        # a numeric formula in quotes names a program with the words back to its verb
        ("全面实施乡镇卫生院“3个50”行动。", {"乡镇卫生院“3个50”行动"}, {"“3个50”行动"}),
        ("推行妇女健康“四关爱”专项行动。", {"妇女健康“四关爱”专项行动"}, set()),
        # research grants and rank-classed awards are kinds, not programs
        ("获批国家级科研项目12项，省部级以上科技进步奖9项。", set(), {"国家级科研项目"}),
        ("联合申报科研项目。", set(), {"科研项目"}),
        # a numbered document cited by its issuer code
        ("认真落实中央一号文件精神。", {"中央一号文件"}, set()),
        # a named kind of project opening a clause, before its predicate
        ("县域医共体信息化示范项目加速实施。", {"县域医共体信息化示范项目"}, set()),
        ("遵义市第一人民医院建设项目顺利推进。", set(), {"遵义市第一人民医院建设项目"}),
        ("全市共有5个全国首批试点。", set(), {"全国首批试点"}),
        # 改革与 inside a scheme's name is not a conjunction between two names
        (
            "推进基层医疗改革与服务能力提升项目。",
            {"基层医疗改革与服务能力提升项目"},
            {"服务能力提升项目"},
        ),
        # the report's scope before a verb's object is not part of the document's name
        ("印发了全市医疗机构检查结果互认实施方案。", {"医疗机构检查结果互认实施方案"}, set()),
        # a region's aspired medical centre, named by a place or a region word
        ("加快打造西南医学中心。", {"西南医学中心"}, set()),
        ("全力打造遵义医学副中心。", {"遵义医学副中心"}, set()),
        ("打造一流医学中心。", set(), {"一流医学中心"}),
        ("全力打造市级医学中心。", set(), {"市级医学中心"}),
        # national schemes the lexicon names, quotes or not
        ("选派骨干参加“组团式”援疆工作。", {"组团式援疆"}, set()),
        ("该州纳入东西部扶贫协作范围。", {"东西部扶贫协作"}, set()),
    ],
)
def test_program_constructions(text: str, must: set[str], must_not: set[str]) -> None:
    got = names(analyse_text(HEAD + text), "Program")
    assert must <= got
    assert not (must_not & got)


def test_a_designation_followed_by_its_project_word_is_the_designation() -> None:
    got = _programs("2023年，明德医院获批第二批国家区域医疗中心建设项目。")
    assert got == {"国家区域医疗中心": {"国家区域医疗中心建设项目"}}


def test_a_pilot_hospital_names_the_pilot_and_keeps_the_printed_form() -> None:
    got = _programs("该院是国家公立医院薪酬制度改革试点医院。")
    assert got == {"国家公立医院薪酬制度改革试点": {"国家公立医院薪酬制度改革试点医院"}}


def test_a_short_title_is_an_alias_of_the_title_it_abbreviates() -> None:
    got = _programs(
        "省政府印发《关于加快推进县域医疗次中心建设的实施意见》（以下简称《实施意见》）。"
        "《实施意见》提出三年目标。"
    )
    assert got == {
        "关于加快推进县域医疗次中心建设的实施意见": {
            "《关于加快推进县域医疗次中心建设的实施意见》",
            "《实施意见》",
        }
    }


def test_a_healthy_place_and_its_action_in_one_report_are_one_initiative() -> None:
    got = _programs("推进健康遵义建设，实施健康遵义行动。")
    assert got == {"健康遵义行动": {"健康遵义", "健康遵义行动"}}
    assert _programs("推进健康遵义建设。") == {"健康遵义": {"健康遵义"}}
