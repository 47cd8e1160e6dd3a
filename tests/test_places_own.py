"""The report's own place (what 我市, 市医院, 县卫健委 resolve to) and place names that are not
places. Every text is invented for the tests."""

from __future__ import annotations

import pytest

from kg.extract.places import get_matcher
from tests.conftest import analyse_text, names


@pytest.mark.parametrize(
    ("report", "own"),
    [
        pytest.param(  # a web page's metadata comes before the issuer's title line
            "索 引 号： 001122/2024-00031\n发布机构：\n区卫生健康局\n"
            "成文日期： 2024-03-01\n杭州市西湖区卫生健康局关于\n某项建议的答复\n"
            "张华代表：您提出的建议收到，我局与北京大学第一医院、北京协和医院、北京天坛医院"
            "长期合作，北京专家定期来我区坐诊。",
            "330106",
            id="issuer-after-metadata",
        ),
        pytest.param(  # the same, with the line joined to the metadata before it
            "首页 > 政务公开\n发布日期：2024-03-01南昌市西湖区卫生健康委员会关于做好义诊工作的通知\n"
            "各医疗机构：北京医院、北京友谊医院专家将来我区。北京市卫生健康委员会支持。",
            "360103",
            id="issuer-joined-to-metadata",
        ),
        pytest.param(  # a dateline's province: its city, though the partner city is named more
            "北京与大理携手共建友好医院\n某某网云南消息：近日，北京市朝阳医院与大理州人民医院"
            "在北京签约。北京市朝阳医院将派专家赴大理，北京市卫生健康委员会见证签约。",
            "532900",
            id="dateline-province",
        ),
        pytest.param(  # a dateline's province and none of its cities: the province
            "中新网四川新闻5月2日电（记者 王明）北京大学第三医院与四川大学华西医院签约，"
            "北京大学第三医院派出骨科团队，北京大学医学部提供支持。",
            "510000",
            id="dateline-province-alone",
        ),
        pytest.param(  # a campus named after its area (a distant city's name) is no vote
            "佛山市第一人民医院海东院区开业\n海东院区位于佛山市，海东院区设床位800张，"
            "海东院区将服务周边居民，海东院区设有急诊，海东院区设有儿科，海东院区设有产科，海东院区设有眼科，海东院区设有药房。",
            "440600",
            id="campus-area",
        ),
        pytest.param(  # the head of a university's name is the partner's city
            "厦门大学附属中山医院与宁德市医院签约\n厦门大学附属中山医院派出专家，厦门大学医学院"
            "提供培训，厦门大学附属第一医院参与，宁德市卫生健康委员会主持。",
            "350900",
            id="university-head",
        ),
        pytest.param(  # a city written before its county is the county's address
            "万县新闻\n遂宁市船山区人民医院与遂宁市中心医院、遂宁市妇幼保健院合作，"
            "遂宁市船山区卫生健康局介绍，船山区医疗水平提升，船山区群众受益。",
            "510903",
            id="city-before-county",
        ),
    ],
)
def test_the_reports_own_place(report: str, own: str) -> None:
    assert analyse_text(report).city == own


@pytest.mark.parametrize(
    ("text", "not_places"),
    [
        ("泰州市推进建设。市医院和县医院组建医共体，共享专家资源。", {"和县"}),
        ("泉州市推进建设。整合培训资源及南安专家，共享设备资源。", {"资源县"}),
    ],
)
def test_words_and_eponyms_are_not_places(text: str, not_places: set[str]) -> None:
    got = names(analyse_text(text), "Place", counted=False)
    assert not got & not_places


def test_a_county_named_after_its_city_stays_a_place() -> None:
    got = names(analyse_text("马鞍山市推进建设。马鞍山市和县人民医院开展义诊。"), "Place", False)
    assert "和县" in got


def test_a_place_name_heading_an_eponym_is_no_place() -> None:
    text = "上海中山医院专家到遵义市开展义诊，中山大学派员参加，中山市人民医院也派员。"
    got = [h.surface for h in get_matcher().hits(text)]
    assert "中山" not in got and "中山市" in got


def test_a_dateline_place_named_nowhere_else_is_not_the_reports() -> None:
    facts = analyse_text(
        "新华社北京3月1日电（记者 李明）日前，漳州市医院与厦门大学附属第一医院签约，"
        "漳州市卫生健康委员会主持，漳州市医院将派医生进修。"
    )
    assert facts.city == "350600"


def test_a_word_holding_a_place_name_is_no_place() -> None:
    got = [
        h.surface
        for h in get_matcher().hits("新中国成立后，医院迁至中国西部的某地，走中国式现代化道路。")
    ]
    assert got == ["中国"]


def test_a_government_joined_to_a_partner_below_the_title_is_no_issuer() -> None:
    facts = analyse_text(
        "厦门与宁德共建医院\n厦门市人民政府与宁德市医院签约\n宁德市医院将成为区域中心，"
        "宁德市卫生健康委员会介绍，宁德市群众受益。"
    )
    assert facts.city == "350900"


def test_a_short_name_beginning_with_a_joiner_stays_a_place() -> None:
    got = names(analyse_text("和田推进建设，和田的医生开展义诊。"), "Place", False)
    assert "和田地区" in got
