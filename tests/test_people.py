"""People: a page's credits are not people (issue 18); the people named next to them still are.

Every sentence is invented; the names are not taken from any report.
"""

from __future__ import annotations

import pytest

from tests.conftest import analyse_text, names

HEAD = "岳阳市卫生健康委员会2024年工作总结\n"


@pytest.mark.parametrize(
    ("text", "credited"),
    [
        ("（记者 钱伟 通讯员 韩雪 邹平）5月8日，岳阳市召开会议。", {"钱伟", "韩雪", "邹平"}),
        ("本报记者 罗敏 通讯员 孔亮 文/图", {"罗敏", "孔亮"}),
        ("全媒体记者 傅强 通讯员 汤洁", {"傅强", "汤洁"}),
        ("策划/周丽 统筹/吴敏郑华 版式/孙强", {"周丽", "吴敏", "郑华", "孙强"}),
        ("文/记者钱伟 图/通讯员韩雪", {"钱伟", "韩雪"}),
        ("编辑/邹平\n主编/段红 龚杰\n监制/汤洁", {"邹平", "段红", "龚杰", "汤洁"}),
        ("初审:陈立\n复审:黄芳\n终审:阎涛", {"陈立", "黄芳", "阎涛"}),
        ("（责编：庞力、石岚）", {"庞力", "石岚"}),
        ("签约仪式现场。冯涛  摄", {"冯涛"}),
        ("岳阳网记者 钱伟 摄 ", {"钱伟"}),
        ("来源：岳阳日报 作者：罗敏 孔亮", {"罗敏", "孔亮"}),
        (
            "# 守护群众健康\n\n周岚 郑凯 贺婷\n\n全市卫生健康工作稳步推进。",
            {"周岚", "郑凯", "贺婷"},
        ),
    ],
)
def test_credited_names_are_not_people(text: str, credited: set[str]) -> None:
    got = names(analyse_text(HEAD + text), "Person")
    assert not (credited & got), f"credits taken as people: {credited & got}"


def test_officials_beside_a_credit_are_still_people() -> None:
    text = "（记者 钱伟 通讯员 韩雪）5月8日，副市长何平、市卫健委主任龚杰出席。冯涛 摄"
    got = names(analyse_text(HEAD + text), "Person")
    assert got == {"何平", "龚杰"}


def test_a_credited_name_named_in_its_own_right_is_a_person() -> None:
    text = "省卫生健康委副主任汤洁出席并讲话。\n编辑/邹平\n监制/汤洁"
    facts = analyse_text(HEAD + text)
    people = [m for m in facts.mentions if m.cls == "Person"]
    assert [m.name for m in people] == ["汤洁"]
    assert people[0].attr("role") == "副主任"


@pytest.mark.parametrize(
    "text",
    [
        "医院设计床位800张，院长李为民介绍。",  # 设计 is a verb here, 李为民 a person
        "记者从市卫健委获悉，院长李为民介绍了情况。",
        "该院院长李为民摄入了大量资料。",  # 摄入 is not a photographer's credit
    ],
)
def test_credit_words_in_running_text_do_not_hide_people(text: str) -> None:
    assert "李为民" in names(analyse_text(HEAD + text), "Person")
