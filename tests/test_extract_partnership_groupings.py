"""Issue 18: training and study visits are not partnerships; a named regional grouping is a
body its members join, not a clique of its members. Invented sentences (other cities, other
names); CITY is the report's own place."""

from __future__ import annotations

from tests.conftest import analyse_text
from tests.test_extract_partnerships import _found, _sets


def test_training_and_study_visits_link_no_sender_to_its_host() -> None:
    got = _sets(
        "宜昌市卫生健康委员会2024年工作总结\n推荐2人参加清华访问学者培训。"
        "我市选派医护骨干赴沪进修学习，组织基层医生到渝参观考察。"
    )
    assert not got, got


def test_stated_exchanges_and_experts_sent_to_help_stay_partnerships() -> None:
    found = _found(
        "宜昌市卫生健康委员会2024年工作总结\n宜昌市中心医院与武汉大学人民医院开展人才交流合作。"
        "宜昌市第一人民医院与华中科技大学同济医学院附属协和医院互派专家。"
        "宜昌市中医医院与湖北中医药大学签订进修基地协议。湖北省人民医院选派专家来宜坐诊。"
    )
    assert (frozenset({"宜昌市中心医院", "武汉大学人民医院"}), "exchange") in found, found
    assert (
        frozenset({"宜昌市第一人民医院", "华中科技大学同济医学院附属协和医院"}),
        "exchange",
    ) in found, found
    assert (frozenset({"宜昌市中医医院", "湖北中医药大学"}), "agreement") in found, found
    assert (frozenset({"湖北省人民医院", "CITY"}), "support") in found, found


ZONE = "冀鲁豫“三省五市”卫生应急协作区"


def test_a_cooperation_zone_is_a_body_its_abbreviated_members_join() -> None:
    text = "邯郸市卫生健康委员会2024年工作总结\n依托冀鲁豫“三省五市”卫生应急协作区，加强联防联控。"
    found = _found(text)
    for province in ("河北省", "山东省", "河南省"):
        assert (frozenset({province, ZONE}), "membership") in found, found
    assert not any(ZONE not in parties for parties, _ in found), found  # no province pairs
    facts = analyse_text(text)
    body = next(m for m in facts.mentions if m.name == ZONE)
    assert body.cls == "Institution" and body.subclass == "RegionalGrouping"
    assert {m.name for m in facts.mentions if m.cls == "Place" and m.surface in "冀鲁豫"} == {
        "河北省",
        "山东省",
        "河南省",
    }


def test_an_alliance_joined_by_name_is_the_members_partner() -> None:
    found = _found(
        "泸州市卫生健康委员会2024年工作总结\n我市加入川渝中医药联盟。"
        "大连市第二人民医院加入辽宁省肿瘤专科联盟。嘉兴市第一医院加入长三角医院协同发展联盟。"
    )
    assert (frozenset({"CITY", "川渝中医药联盟"}), "membership") in found, found
    assert (frozenset({"四川省", "川渝中医药联盟"}), "membership") in found, found
    assert (frozenset({"重庆市", "川渝中医药联盟"}), "membership") in found, found
    assert (frozenset({"大连市第二人民医院", "辽宁省肿瘤专科联盟"}), "membership") in found
    assert (frozenset({"嘉兴市第一医院", "长三角医院协同发展联盟"}), "membership") in found
    # 辽宁省…联盟 is a province's alliance: 辽 + 宁 are not two members
    assert not any("宁夏回族自治区" in parties for parties, _ in found), found


def test_a_place_name_an_institution_or_a_founding_verb_is_not_read_as_a_grouping() -> None:
    """辽宁省…联盟 (a place's name), 西南医科大学附属医院…联盟 (a university's), 合作建立医疗联盟
    (what they found, not a name)."""
    facts = analyse_text(
        "沈阳市卫生健康委员会2024年工作总结\n沈阳市第四人民医院牵头成立辽宁省老年医学专科联盟。"
        "西南医科大学附属医院专科联盟正式成立。沪苏浙皖合作建立医疗联盟。"
    )
    assert not any(m.attr("grouping") for m in facts.mentions), facts.mentions
    assert any(m.name == "西南医科大学附属医院" for m in facts.mentions)
