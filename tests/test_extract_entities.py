"""Entity constructions of the genre, one family per test, on sentences written for them.

Hospitals, universities and people below are invented; places are real gazetteer names.
"""

from __future__ import annotations

import pytest

from kg.resolve import _LOC
from tests.conftest import analyse_text, names

HEAD = "长治市卫生健康委员会2024年工作总结\n"


def _located(facts, name: str) -> str | None:
    return next((s[_LOC] for s in facts.shares if s[3] == name), None)


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        # jieba leaves the last character of a three-character name alone
        ("明德大学党委书记刘宴兵表示，双方将深化合作。", {"刘宴兵"}, {"刘宴"}),
        ("院长李为民出席并讲话。", {"李为民"}, {"李为"}),
        ("副院长于军、王军、李家敏及双方相关负责人参加。", {"于军", "王军", "李家敏"}, {"李家"}),
        # titles of universities, companies and autonomous prefectures before a name
        ("校长吕帆，副州长郑权，董事长高卫东出席仪式。", {"吕帆", "郑权", "高卫东"}, set()),
        ("中国科学院院士刘昌胜作报告。", {"刘昌胜"}, set()),
        ("党委委员唐自力、王利达、李均参加签约。", {"唐自力", "王利达", "李均"}, set()),
        # a photographer's credit is neither part of a name nor a person (tests/test_people.py)
        ("记者杨槐摄，院长李为民出席。", {"李为民"}, {"杨槐摄", "杨槐"}),
    ],
)
def test_people_before_and_after_titles(text: str, must: set[str], must_not: set[str]) -> None:
    got = names(analyse_text(HEAD + text), "Person")
    assert must <= got
    assert not (must_not & got)


@pytest.mark.parametrize(
    "text",
    [
        "该院是一所三级甲等综合性医院。",
        "全市新增国家三级乙等综合医院两家。",
        "建成现代化综合性三级甲等医院。",
        "长治市三级医院全部参加。",
        "我区三甲医院与基层医院结对。",
        "作为管理制度试点医院，该院与多家合作医院、协作医院签约。",
        "省属三甲综合性医院派出专家。",
        "被卫生部授予“爱婴医院”称号。",
    ],
)
def test_grades_and_roles_are_kinds_of_hospital_not_names(text: str) -> None:
    got = names(analyse_text(HEAD + text), "Institution")
    assert not {n for n in got if n.endswith("医院")}


def test_a_place_and_a_specialty_still_name_a_hospital() -> None:
    got = names(analyse_text(HEAD + "长治市康复医院与长治市口腔医院签约。"), "Institution")
    assert {"长治市康复医院", "长治市口腔医院"} <= got


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        ("揭牌仪式暨明德大学签约仪式举行。", {"明德大学"}, {"仪式暨明德大学"}),
        ("时任长治市人民医院院长的张三出席。", {"长治市人民医院"}, {"时任长治市人民医院"}),
        ("图为明德大学校区。", {"明德大学"}, {"图为明德大学"}),
    ],
)
def test_left_edge_stops_at_connectives_and_captions(
    text: str, must: set[str], must_not: set[str]
) -> None:
    got = names(analyse_text(HEAD + text), "Institution")
    assert must <= got
    assert not (must_not & got)


def test_short_forms_are_the_full_name_given_in_the_same_report() -> None:
    facts = analyse_text(
        HEAD + "长治市与明德大学附属康宁医院签约。康宁医院将派出专家。"
        "德州大学第一医院（简称德大一院）来长。德大一院专家坐诊。"
        "重庆松柏中心医院与万州松柏中心医院是同一家医院，松柏中心医院历史悠久。"
    )
    got = names(facts, "Institution")
    assert "明德大学附属康宁医院" in got and "康宁医院" not in got
    assert "德大一院" not in got
    assert "重庆松柏中心医院" in got
    assert not {"万州松柏中心医院", "松柏中心医院"} & got


def test_a_hospital_of_another_county_is_not_a_short_form() -> None:
    facts = analyse_text(
        "日喀则市卫生健康委员会工作总结\n日喀则市人民医院与亚东县人民医院结对帮扶。"
    )
    assert {"日喀则市人民医院", "亚东县人民医院"} <= names(facts, "Institution")


def test_every_name_in_brackets_after_a_name_is_another_name_of_it() -> None:
    facts = analyse_text(
        HEAD + "长治市第二人民医院（明德大学附属第五医院、明德大学第五临床学院）。"
    )
    got = names(facts, "Institution")
    assert "长治市第二人民医院" in got
    assert not {"明德大学附属第五医院", "明德大学第五临床学院"} & got


@pytest.mark.parametrize(
    ("text", "branch"),
    [
        ("明德大学附属康宁医院海口医院开业。", "明德大学附属康宁医院海口医院"),
        ("明德大学海南研究院揭牌。", "明德大学海南研究院"),
        ("长治市妇幼保健院潞城分院投用。", "长治市妇幼保健院潞城分院"),
    ],
)
def test_a_branch_named_by_its_place_is_one_name_with_its_parent(text: str, branch: str) -> None:
    got = names(analyse_text(HEAD + text), "Institution")
    assert branch in got
    assert not {n for n in got if branch.endswith(n) and n != branch}


def test_an_institution_lies_in_the_places_its_name_starts_with_not_further_in() -> None:
    facts = analyse_text(HEAD + "北京友谊医院与重庆三峡中心医院专家来长治义诊。")
    assert _located(facts, "北京友谊医院") == "place:110000"
    assert _located(facts, "重庆三峡中心医院") == "place:500000"
    assert not names(facts, "Place") & {"友谊县"}


@pytest.mark.parametrize(
    ("text", "not_place"),
    [
        ("医院坐落在嘉陵江畔。", "嘉陵区"),
        ("整合优质医疗资源，服务全省南部区域。", "资源县"),
        ("服务全省南部区域。", "南部县"),
    ],
)
def test_words_and_rivers_are_not_divisions(text: str, not_place: str) -> None:
    assert not_place not in names(analyse_text("南充市卫生健康委员会工作总结\n" + text), "Place")


def test_national_and_international_bodies_come_from_the_lexicon() -> None:
    got = names(
        analyse_text(
            HEAD + "原卫生部、人社部和国家卫生计生委联合发文，新华社报道，世界卫生组织专家参加。"
            "卫生部门负责落实。"
        ),
        "Institution",
    )
    assert {
        "中华人民共和国卫生部",
        "人力资源和社会保障部",
        "国家卫生和计划生育委员会",
        "新华通讯社",
        "世界卫生组织",
    } <= got


def test_a_given_name_after_a_title_is_not_an_abbreviation() -> None:
    facts = analyse_text(HEAD + "常务副市长饶清华主持会议。")
    assert "饶清华" in names(facts, "Person")
    assert "清华大学" not in names(facts, "Institution")


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        (
            "长治市人民政府与明德大学签订《共建区域医疗中心框架协议》。",
            {"共建区域医疗中心框架协议"},
            set(),
        ),
        ("该院是山西省区域医疗中心。", {"山西省区域医疗中心"}, set()),
        ("深入实施“名医名院”工程和“三甲医院”扩容工程。", {"“三甲医院”扩容工程"}, set()),
        (
            "全市争创甲乙丙示范项目、丁戊综合试验区、紧密型城市医疗集团等3大国家级医改试点。",
            {"甲乙丙示范项目", "丁戊综合试验区", "紧密型城市医疗集团"},
            {"国家级医改试点"},
        ),
        ("谋划消化中心、肺癌中心等7个中心化项目。", set(), {"消化中心", "肺癌中心"}),
        ("建设全国知名的区域医疗中心。", set(), {"全国知名的区域医疗中心"}),
    ],
)
def test_programs_of_the_genre(text: str, must: set[str], must_not: set[str]) -> None:
    got = names(analyse_text(HEAD + text), "Program")
    assert must <= got
    assert not (must_not & got)


def test_a_report_about_a_county_level_city_resolves_its_short_names_there() -> None:
    """No issuer in the title, but the county-level city is the most named place: 市妇幼保健院
    is its own, not its prefecture's (嘉兴市, named once)."""
    f = analyse_text(
        "桐乡市推进医共体建设\n近日,桐乡市召开卫生健康大会。桐乡市第一人民医院、市妇幼保健院参加。"
        "嘉兴市卫健委领导出席。桐乡市将继续深化改革。"
    )
    assert f.city == "330483"
    assert {"桐乡市妇幼保健院", "嘉兴市卫生健康委员会"} <= names(f, "Institution")


def test_a_citys_report_that_names_one_of_its_counties_stays_the_citys() -> None:
    f = analyse_text(
        "嘉兴市推进改革\n嘉兴市第一医院与桐乡市第一人民医院合作,市妇幼保健院获批。嘉兴市持续推进。"
    )
    assert f.city == "330400"
    assert "嘉兴市妇幼保健院" in names(f, "Institution")


def test_a_city_named_with_its_level_outweighs_the_partners_short_name() -> None:
    """上海 heads the partner's names (上海大学, 上海六院); the report's own city is written
    温州市 — 市人民医院 is 温州's."""
    f = analyse_text(
        "上海大学附属医院揭牌\n上海大学与温州市合作,上海大学医学院、上海六院、上海长海医院专家出席。"
        "温州市卫健委主任讲话,温州市将深化合作,温州市市长出席,温州市人民政府支持,市人民医院参与。"
    )
    assert "温州市人民医院" in names(f, "Institution")


def _bodies(text: str) -> dict[str, set[str]]:
    """Institution name → the surfaces printed for it."""
    out: dict[str, set[str]] = {}
    for m in analyse_text(text).mentions:
        if m.cls == "Institution":
            out.setdefault(m.name, set()).add(m.surface)
    return out


def test_the_names_a_hospital_was_renamed_to_are_that_hospital() -> None:
    got = _bodies(
        "绍兴市推进建设。绍兴市第二人民医院创建于1910年,是浙江省较早的西医医院。"
        "相继更名为福康医院、绍兴专区人民医院、省立绍兴医院、绍兴地区人民医院,现为三级甲等医院。"
    )
    assert {"福康医院", "绍兴专区人民医院", "绍兴地区人民医院"} <= got["绍兴市第二人民医院"]
    assert "福康医院" not in got


def test_a_predecessor_after_qianshen_and_in_brackets_is_the_same_body() -> None:
    got = _bodies(
        "嘉兴市推进建设。嘉兴市第一医院始建于1899年,其前身是教会创办的“福音医院”。"
        "1965年,嘉兴医学院附属医院(嘉兴大学附属医院前身)开院。1992年易名为嘉兴学院附属医院。"
    )
    assert "福音医院" in got["嘉兴市第一医院"]
    assert {"嘉兴医学院附属医院", "嘉兴学院附属医院"} <= got["嘉兴大学附属医院"]


def test_a_rename_approved_by_a_government_is_the_hospitals_not_the_governments() -> None:
    got = _bodies(
        "宁德市推进建设。闽东大学附属宁德医院始建于1920年。经市委编委批复,"
        "我院正式更名为闽东大学附属宁德医院,加挂宁德市骨科研究所牌子。"
    )
    assert "宁德市骨科研究所" in got["闽东大学附属宁德医院"]
    assert not any("研究所" in s for n, ss in got.items() if "委员会" in n for s in ss)


def test_national_bodies_and_the_own_levels_specialty_hospitals() -> None:
    got = _bodies(
        "许昌市召开大会。许昌市中心医院被党中央、国务院、中央军委授予荣誉称号,"
        "中共中央办公厅、国务院办公厅印发通知。市口腔医院、许昌市卫生健康体育委员会参加。"
    )
    assert {
        "中国共产党中央委员会",
        "中华人民共和国国务院",
        "中央军事委员会",
        "中共中央办公厅",
        "国务院办公厅",
        "许昌市口腔医院",
        "许昌市卫生健康体育委员会",
    } <= set(got)


def test_an_alliance_a_hospital_leads_or_of_a_kind_is_not_an_institution() -> None:
    got = _bodies(
        "衢州市推进建设。衢州市人民医院医联体成员单位增至20家,儿科医联体、党建医联体、"
        "跨地区医联体相继组建。衢州市中医院医疗集团成立。"
    )
    assert not any(n.endswith("医联体") for n in got)
    assert "衢州市中医院医疗集团" in got or "衢州市中医医院医疗集团" in got


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        ("许昌市召开会议。许昌市中心医院院长刘志波致欢迎辞。", {"刘志波"}, {"刘志"}),
        ("许昌市召开会议。张明与区委书记赵辉共同为基地揭牌。", {"赵辉"}, {"赵辉共"}),
        (
            "许昌市召开会议。许昌市人民政府副市长文亮,市委副书记徐纪宁出席。",
            {"文亮", "徐纪宁"},
            set(),
        ),
        ("许昌市召开会议。工作队队长蒋康,总会计师濮红及专家参加。", {"蒋康", "濮红"}, set()),
        (
            "许昌市推进建设。设立程逸鸣等4个院士工作站,引进孟东等5个专家团队,建成胸痛中心等6个中心。",
            {"程逸鸣", "孟东"},
            {"胸痛中心"},
        ),
    ],
)
def test_names_after_titles_before_verbs_and_heading_counted_groups(
    text: str, must: set[str], must_not: set[str]
) -> None:
    got = names(analyse_text(text), "Person")
    assert must <= got
    assert not (must_not & got)
