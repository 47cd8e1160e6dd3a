"""Achievements, one test per construction family (issue 16), on invented sentences.

Cities, hospitals and titles below are made up for the tests (or are real place names used
in sentences nobody published); none is taken from a report of the corpus.
"""

from __future__ import annotations

import pytest

from tests.conftest import analyse_text


def _got(text: str) -> list[tuple[str, str]]:
    facts = analyse_text(text)
    names = {m.key: m.name for m in facts.mentions}
    return [
        (names.get(r.parties[0], r.parties[0]), (r.title or "").replace("“", "").replace("”", ""))
        for r in facts.relations
        if r.kind == "Achievement"
    ]


def _has(got: list[tuple[str, str]], holder: str, title_part: str) -> bool:
    return any(h == holder and title_part in t for h, t in got)


@pytest.mark.parametrize(
    ("sentence", "holder", "title"),
    [
        (
            "2023年，宜宾市第一人民医院成为国家区域医疗中心。",
            "宜宾市第一人民医院",
            "国家区域医疗中心",
        ),
        ("泸州市被确定为全国医养结合示范城市。", "泸州市", "全国医养结合示范城市"),
        (
            "绵阳市中医医院入选国家中医特色重点医院建设项目。",
            "绵阳市中医医院",
            "国家中医特色重点医院",
        ),
        ("德阳市人民医院获批国家临床重点专科建设项目。", "德阳市人民医院", "国家临床重点专科"),
        ("眉山市中医医院晋升为三级甲等中医医院。", "眉山市中医医院", "三级甲等中医医院"),
        (
            "遂宁市中心医院被评为全国改善医疗服务示范医院。",
            "遂宁市中心医院",
            "全国改善医疗服务示范医院",
        ),
        ("南充市中心医院荣获“全国文明单位”称号。", "南充市中心医院", "全国文明单位"),
        ("达州市中心医院升级为三级甲等综合医院。", "达州市中心医院", "三级甲等综合医院"),
    ],
)
def test_verbs_of_achievement(sentence: str, holder: str, title: str) -> None:
    got = _got("四川省卫生健康工作简报\n" + sentence)
    assert _has(got, holder, title), got


def test_passing_a_review_or_an_acceptance_check() -> None:
    got = _got(
        "内江市卫生健康委员会工作总结\n"
        "内江市第二人民医院顺利通过三级甲等医院评审；资中县通过国家卫生县城复审验收。"
    )
    assert _has(got, "内江市第二人民医院", "三级甲等医院评审"), got
    assert _has(got, "资中县", "国家卫生县城复审验收"), got


def test_rankings_stated_in_a_clause() -> None:
    got = _got(
        "乐山市卫生健康委员会2024年工作总结\n"
        "2024年，乐山市卫生健康工作成效明显，基层首诊率全省第2，"
        "家庭医生签约率位列全省第三。乐山市人民医院在三级公立医院绩效考核中排名全国第45位。"
    )
    assert _has(got, "乐山市", "基层首诊率全省第2"), got
    assert _has(got, "乐山市", "全省第三"), got
    assert _has(got, "乐山市人民医院", "排名全国第45位"), got


def test_a_first_and_a_breakthrough() -> None:
    got = _got(
        "雅安市卫生健康委员会工作总结\n"
        "雅安市人民医院实现了国家临床重点专科零的突破。雅安市在全省率先实现县域医共体全覆盖。"
    )
    assert _has(got, "雅安市人民医院", "国家临床重点专科零的突破"), got
    assert _has(got, "雅安市", "县域医共体全覆盖"), got


def test_designations_stated_with_shi_and_zuowei() -> None:
    got = _got(
        "广元市中心医院简介\n"
        "广元市中心医院始建于1941年，是国家高级卒中中心、全国住院医师规范化培训基地，"
        "是四川省区域医疗中心。巴中市中心医院作为省属三级甲等综合医院，承担着诊疗任务。"
    )
    assert _has(got, "广元市中心医院", "国家高级卒中中心"), got
    assert _has(got, "广元市中心医院", "全国住院医师规范化培训基地"), got
    assert _has(got, "广元市中心医院", "四川省区域医疗中心"), got
    assert _has(got, "巴中市中心医院", "省属三级甲等综合医院"), got


def test_a_designation_list_goes_on_over_clauses_without_a_verb() -> None:
    got = _got(
        "攀枝花市中心医院简介\n"
        "攀枝花市中心医院是国家药物临床试验机构，国家级标准版胸痛中心；四川省博士后创新实践基地。"
    )
    titles = {t for h, t in got if h == "攀枝花市中心医院"}
    assert {"国家药物临床试验机构", "国家级标准版胸痛中心", "四川省博士后创新实践基地"} <= titles, (
        got
    )


def test_relations_and_descriptions_after_shi_are_not_designations() -> None:
    got = _got(
        "自贡市第一人民医院简介\n"
        "自贡市第一人民医院是西南医科大学的附属医院，是自贡市最大的综合性医院，"
        "也是川南医学院、川北医学院的教学医院。"
    )
    assert got == [], got


def test_lists_of_holders_share_the_title() -> None:
    got = _got(
        "资阳市卫生健康委员会工作总结\n"
        "资阳市第一人民医院、安岳县人民医院和乐至县人民医院被评为全省平安医院。"
    )
    holders = {h for h, t in got if "全省平安医院" in t}
    assert holders == {"资阳市第一人民医院", "安岳县人民医院", "乐至县人民医院"}, got


def test_a_list_of_titles_gives_one_achievement_each() -> None:
    got = _got(
        "宜宾市第二人民医院简介\n宜宾市第二人民医院先后获评全国百姓放心示范医院、全国文明单位。"
    )
    assert _has(got, "宜宾市第二人民医院", "全国百姓放心示范医院"), got
    assert _has(got, "宜宾市第二人民医院", "全国文明单位"), got
    assert not any("、" in t for _, t in got), got


@pytest.mark.parametrize(
    ("text", "holder", "title"),
    [
        (  # the subject of a clause further back, over 经过/现已 clauses
            "凉山州第一人民医院简介\n凉山州第一人民医院始建于1939年，经过多年建设，"
            "现已成为三级甲等综合医院。",
            "凉山州第一人民医院",
            "三级甲等综合医院",
        ),
        (  # 医院 as the subject is the hospital that last opened a clause
            "阿坝州人民医院简介\n阿坝州人民医院创建于1950年。1990年以来，医院相继获评全国卫生系统先进集体。",
            "阿坝州人民医院",
            "全国卫生系统先进集体",
        ),
        (  # 其 + department
            "甘孜州人民医院简介\n甘孜州人民医院始建于1952年，其心内科是省级临床重点专科。",
            "甘孜州人民医院",
            "心内科 省级临床重点专科",
        ),
        (  # no subject anywhere: the report's place
            "广安市卫生健康委员会2024年工作总结\n成功争创国家中医药传承创新发展示范试点项目。",
            "广安市",
            "国家中医药传承创新发展示范试点项目",
        ),
        (  # 将X设置为Y: 将 takes the holder, it is no plan
            "四川省卫生健康委员会通知\n省政府将绵阳市中心医院设置为省级区域医疗中心。",
            "绵阳市中心医院",
            "省级区域医疗中心",
        ),
    ],
)
def test_a_holder_omitted_in_a_clause(text: str, holder: str, title: str) -> None:
    got = _got(text)
    assert _has(got, holder, title), got


@pytest.mark.parametrize(
    "sentence",
    [
        "泸州市人民医院将创建三级甲等医院。",
        "泸州市计划入选国家紧密型医共体建设试点。",
        "泸州市中医医院力争通过三级甲等中医医院评审。",
        "泸州市要争创全国文明城市。",
    ],
)
def test_plans_are_not_achievements(sentence: str) -> None:
    assert _got("泸州市卫生健康工作要点\n" + sentence) == []


def test_a_plan_word_inside_a_name_is_no_plan() -> None:
    got = _got("内江市卫生健康委员会工作总结\n内江市计划生育协会受中国计划生育协会通报表扬。")
    assert _has(got, "内江市计划生育协会", "中国计划生育协会通报表扬"), got


def test_wei_states_a_designation_only_after_a_named_subject() -> None:
    got = _got("遂宁市中心医院简介\n遂宁市中心医院为三级甲等综合医院，医院为群众提供优质医疗服务。")
    assert got == [("遂宁市中心医院", "三级甲等综合医院")], got


def test_a_sentence_without_subject_goes_on_about_the_institution_before_it() -> None:
    got = _got(
        "凉山州妇幼保健院简介\n凉山州妇幼保健院始建于1950年，是州级妇幼保健机构。"
        "2015年被评为全国三八红旗集体。"
    )
    assert _has(got, "凉山州妇幼保健院", "全国三八红旗集体"), got


def test_a_declared_short_form_holds_what_the_full_name_holds() -> None:
    got = _got(
        "江州市人民政府与川江医科大学附属第一医院签约\n"
        "川江医科大学附属第一医院（以下简称：川医附一院）将帮扶江州市人民医院。"
        "据介绍，川医附一院是国内知名的省属三级甲等综合性医院。"
    )
    assert _has(got, "川江医科大学附属第一医院", "省属三级甲等综合性医院"), got


def test_one_of_a_designation_is_that_designation_one_of_n_cities_is_none() -> None:
    got = _got(
        "宜宾市卫生健康委员会工作总结\n宜宾市第一人民医院是全国百佳医院之一。"
        "宜宾市作为全国6个城市之一成功入选全国医疗应急重点城市建设单位。"
    )
    assert _has(got, "宜宾市第一人民医院", "全国百佳医院"), got
    assert not any("6个城市" in t for _, t in got), got
    assert _has(got, "宜宾市", "全国医疗应急重点城市建设单位"), got


def test_holders_listed_across_a_comma_before_the_verb() -> None:
    got = _got(
        "绵阳市卫生健康委员会工作总结\n"
        "江油市人民医院儿科，三台县人民医院儿科、妇产科获评省级县域临床重点专科。"
    )
    assert _has(got, "江油市人民医院", "儿科 省级县域临床重点专科"), got
    assert _has(got, "三台县人民医院", "省级县域临床重点专科"), got


def test_rankings_in_an_assessment_and_numbered_things_that_are_no_rank() -> None:
    got = _got(
        "南充市卫生健康委员会工作总结\n"
        "南充市在全省卫生健康目标责任考核中获得第一名。"
        "全市第三人民医院新院区投入使用，全省第二批试点县名单公布。"
    )
    assert _has(got, "南充市", "全省卫生健康目标责任考核中获得第一名"), got
    assert len(got) == 1, got


def test_a_selection_without_object_is_in_the_list_named_before_it() -> None:
    got = _got(
        "自贡市卫生健康委员会工作总结\n"
        "近日，国家卫生健康委公布了全国老年友善医疗机构名单，自贡市第四人民医院榜上有名。"
    )
    assert _has(got, "自贡市第四人民医院", "全国老年友善医疗机构"), got


def test_what_a_hospital_is_ranked_by_and_how_often_it_was_named() -> None:
    got = _got(
        "内江市第一人民医院简介\n内江市第一人民医院始建于1938年。医院综合实力位居全省前列，"
        "连续多年被评为全省文明单位。"
    )
    assert _has(got, "内江市第一人民医院", "全省前列"), got
    assert _has(got, "内江市第一人民医院", "全省文明单位"), got


def test_a_body_that_gives_a_designation_is_no_affiliation() -> None:
    got = _got(
        "眉山市人民医院简介\n眉山市人民医院是中国医师协会住院医师规范化培训基地，"
        "也是四川大学华西医院协作医院。"
    )
    assert got == [("眉山市人民医院", "中国医师协会住院医师规范化培训基地")], got


def test_a_stated_designation_keeps_the_topic_of_its_sentence() -> None:
    got = _got(
        "江城市人民医院简介\n江城市人民医院始建于1950年，占地200亩，开放床位1500张，"
        "是国家三级甲等综合医院。"
    )
    assert got == [("江城市人民医院", "国家三级甲等综合医院")], got


def test_titles_listed_before_a_closing_word_are_split_and_the_report_holds_them() -> None:
    got = _got(
        "# 平江县卫生健康局2023年工作总结\n2023年，全县卫生健康工作成效显著。"
        "先后荣获全国基层中医药工作示范县、全省健康促进县等称号。"
    )
    assert ("平江县", "全国基层中医药工作示范县") in got, got
    assert ("平江县", "全省健康促进县") in got, got


def test_a_department_alone_is_of_the_hospital_the_report_is_about() -> None:
    got = _got(
        "岳阳市中心医院简介\n岳阳市中心医院始建于1900年。医院心血管内科为省级临床重点专科，"
        "神经外科入选湖南省临床重点专科建设项目。全市21个学科进入全国百强。"
    )
    assert _has(got, "岳阳市中心医院", "心血管内科 省级临床重点专科"), got
    assert _has(got, "岳阳市中心医院", "神经外科 湖南省临床重点专科建设项目"), got
    assert not any("个学科" in t for _, t in got), got


def test_praise_as_the_verb_and_more_review_words() -> None:
    got = _got(
        "南充市卫生健康委员会工作总结\n南充市中心医院被国家卫生健康委通报表扬。"
        "南充市疾控中心受到省政府表彰。南充市人民医院通过二级甲等综合医院复评，"
        "在全国三级公立医院绩效考核中位居A级序列。2023年，南充市表彰了一批先进个人。"
    )
    assert _has(got, "南充市中心医院", "国家卫生健康委通报表扬"), got
    assert _has(got, "南充市疾病预防控制中心", "省政府表彰"), got
    assert _has(got, "南充市人民医院", "二级甲等综合医院复评"), got
    assert _has(got, "南充市人民医院", "A级序列"), got
    assert len(got) == 4, got


def test_sayings_with_shi_are_no_designations_a_first_is() -> None:
    got = _got(
        "株洲市卫生健康委员会召开工作会议\n会议指出，2024年是实施“十四五”规划的关键之年。"
        "医院是全市医疗服务体系的龙头。株洲市第二医院是株洲市人民政府举办的公立医院，"
        "也是国家药物临床试验机构申报单位。"
        "株洲市妇幼保健院是湖南省首家通过三级妇幼保健院评审的市级妇幼保健院。"
    )
    assert got == [("株洲市妇幼保健院", "湖南省首家通过三级妇幼保健院评审的市级妇幼保健院")], got


def test_gai_xian_is_the_place_the_report_is_about_and_an_honours_list_splits() -> None:
    got = _got(
        "平江县卫生健康事业发展纪实\n近年来，平江县卫生健康事业快速发展。"
        "该县先后获得全国基层中医药工作示范县、全国健康促进县等荣誉。"
    )
    assert ("平江县", "全国基层中医药工作示范县") in got, got
    assert ("平江县", "全国健康促进县") in got, got


def test_departments_of_a_named_hospital_hold_a_stated_designation() -> None:
    got = _got("郴州市第一人民医院简介\n郴州市第一人民医院神经内科、心血管内科是国家临床重点专科。")
    assert got == [("郴州市第一人民医院", "神经内科、心血管内科 国家临床重点专科")], got


def test_the_only_or_biggest_hospital_of_a_grade_holds_the_grade() -> None:
    got = _got(
        "临夏州人民医院简介\n临夏州人民医院作为全州唯一的三级甲等综合医院，承担着医疗保障任务。"
        "2023年，临夏州人民医院心内科被省卫健委认定为省级临床重点专科，"
        "肿瘤科、呼吸科获批省级重点建设学科。"
    )
    assert _has(got, "临夏州人民医院", "三级甲等综合医院"), got
    assert _has(got, "临夏州人民医院", "心内科 省级临床重点专科"), got
    assert _has(got, "临夏州人民医院", "肿瘤科、呼吸科 省级重点建设学科"), got


def test_a_breakthrough_in_a_field_is_the_reports_not_a_departments() -> None:
    got = _got(
        "绵阳市卫生健康事业发展综述\n“十四五”以来，绵阳市中心医院新院区投入使用。"
        "全市卫生健康事业实现跨越发展。国家级重点专科实现零的突破。"
    )
    assert ("绵阳市", "国家级重点专科零的突破") in got, got


def test_respectively_pairs_holders_with_titles() -> None:
    got = _got(
        "德阳市卫生健康委员会工作总结\n"
        "德阳市人民医院、德阳市中医医院分别获评全国文明单位和全国卫生系统先进集体。"
    )
    assert sorted(got) == [
        ("德阳市中医医院", "全国卫生系统先进集体"),
        ("德阳市人民医院", "全国文明单位"),
    ], got


def test_people_elected_or_named_hold_their_honour() -> None:
    got = _got(
        "德阳市人民医院简介\n2023年，德阳市人民医院张建国教授当选中国工程院院士，"
        "李红主任医师被评为“四川省名中医”。"
    )
    assert ("张建国", "中国工程院院士") in got, got
    assert ("李红", "四川省名中医") in got, got


def test_a_hope_or_a_goal_is_no_achievement() -> None:
    got = _got(
        "遂宁市人民政府与四川大学华西医院签约\n遂宁市市长表示，希望双方以此次签约为契机，"
        "把遂宁市中心医院建设成为川中区域医疗中心。签约后，遂宁市中心医院将成为华西医院的领办医院。"
    )
    assert got == [], got


def test_reading_a_report_twice_gives_the_same_achievements() -> None:
    import hashlib
    from pathlib import Path

    from kg.document import Document
    from kg.pipeline import analyse

    text = "江城市人民医院简介\n江城市人民医院是国家三级甲等综合医院。医院获评全国文明单位。"
    doc = Document(
        path=Path("t.txt"),
        name="t.txt",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        encoding="utf-8",
        raw=text,
    )
    first = [r.title for r in analyse(doc).relations if r.kind == "Achievement"]
    again = [r.title for r in analyse(doc).relations if r.kind == "Achievement"]
    assert first == again and len(first) == 2, (first, again)


@pytest.mark.parametrize(
    ("sentence", "holder", "title"),
    [
        ("荆门市第一人民医院正式挂牌“武汉协和医院荆门分院”。", "荆门市第一人民医院", "荆门分院"),
        ("荆门市第一人民医院获批成为国家药物临床试验机构。", "荆门市第一人民医院", "临床试验机构"),
        ("荆门市第一人民医院获授“国家级临床重点专科”。", "荆门市第一人民医院", "临床重点专科"),
        ("荆门市第一人民医院获批建设省级区域医疗中心。", "荆门市第一人民医院", "省级区域医疗中心"),
        ("荆门市第一人民医院获颁“全国文明单位”牌匾。", "荆门市第一人民医院", "全国文明单位"),
        ("荆门市被纳入全国首批医养结合试点范畴。", "荆门市", "医养结合试点范畴"),
        ("荆门市第一人民医院建成国家级标准版胸痛中心。", "荆门市第一人民医院", "胸痛中心"),
        (
            "荆门市第一人民医院成为湖北省首家通过JCI认证的公立医院。",
            "荆门市第一人民医院",
            "首家通过JCI认证的公立医院",
        ),
    ],
)
def test_plaques_approvals_and_status_built(sentence: str, holder: str, title: str) -> None:
    got = _got("湖北省卫生健康工作简报\n" + sentence)
    assert _has(got, holder, title), got


@pytest.mark.parametrize(
    "sentence",
    [
        "荆门市第一人民医院新门诊大楼建成投用。",
        "荆门市第一人民医院建成3个省级专科诊疗中心。",
        "荆门市第一人民医院有望获批国家区域医疗中心。",
        "荆门市第一人民医院新院区建成后将成为拥有先进设备的现代化医疗机构。",
        "荆门市以荆门市第一人民医院作为本地依托医院，合作共建国家区域医疗中心。",
        "荆门是国家卫生城市之外还诞生过多个“全国第一”。",
    ],
)
def test_buildings_hopes_roles_and_counts_of_firsts(sentence: str) -> None:
    got = _got("湖北省卫生健康工作简报\n" + sentence)
    assert not [g for g in got if "第一" in g[1] or "中心" in g[1] or "机构" in g[1]], got


def test_a_grade_in_a_review_and_an_inspection_reward() -> None:
    got = _got(
        "孝昌县卫生健康局工作总结\n孝昌县人民医院在全国二级公立医院绩效考核中获评A级。"
        "孝昌县基层医改工作获国务院督查激励。"
    )
    assert _has(got, "孝昌县人民医院", "绩效考核A级"), got
    assert _has(got, "孝昌县", "国务院督查激励"), got


def test_promotion_to_a_list_of_the_strong_and_an_application_that_was_selected() -> None:
    got = _got(
        "孝昌县卫生健康局工作总结\n2019年，孝昌县人民医院成功晋级三级乙等医院。"
        "孝昌县中医医院跻身全国县级中医医院300强。"
        "孝昌县中医医院申报的“智慧中药房”项目入选全省中医药信息化试点。"
    )
    assert _has(got, "孝昌县人民医院", "三级乙等医院"), got
    assert _has(got, "孝昌县中医医院", "300强"), got
    assert _has(got, "孝昌县中医医院", "中医药信息化试点"), got


def test_a_plaque_given_to_a_hospital_named_after_wei_or_xiang() -> None:
    got = _got(
        "孝昌县卫生健康局工作简报\n湖北省卫生健康委员会为孝昌县人民医院授牌“湖北省县域医疗次中心”。"
        "孝昌县人民政府向孝昌县中医医院颁发“孝昌县文明单位”牌匾。患者家属向孝昌县妇幼保健院赠送锦旗。"
    )
    assert _has(got, "孝昌县人民医院", "湖北省县域医疗次中心"), got
    assert _has(got, "孝昌县中医医院", "孝昌县文明单位"), got
    assert not [g for g in got if g[0] in ("湖北省卫生健康委员会", "孝昌县妇幼保健院")], got


def test_one_of_a_named_first_batch_and_who_issued_a_designation() -> None:
    got = _got(
        "孝昌县卫生健康局工作简报\n孝昌县人民医院是全国首批30家县级医院综合改革示范医院之一。"
        "孝昌县中医医院是湖北省人民政府批准的省级中医重点医院。"
    )
    assert _has(got, "孝昌县人民医院", "全国首批30家县级医院综合改革示范医院"), got
    assert ("孝昌县中医医院", "省级中医重点医院") in got, got


def test_a_profile_sentence_keeps_its_topic_over_plain_clauses() -> None:
    got = _got(
        "应城市人民医院简介\n应城市人民医院始建于1952年，现有职工1200人，开放床位900张，"
        "先后荣获全国文明单位等称号。应城市中医医院获评“全国示范中医院”，是全省唯一获此殊荣的医院。"
    )
    assert ("应城市人民医院", "全国文明单位") in got, got
    assert not [g for g in got if "殊荣" in g[1]], got


def test_a_clause_after_a_semicolon_is_another_item_of_a_list() -> None:
    got = _got(
        "应城市卫生健康局工作总结\n应城市人民医院新住院楼开工建设；新建1个省级临床重点专科，"
        "获批2个省级名医工作室。"
    )
    assert not [g for g in got if g[0] == "应城市人民医院"], got


def test_wei_after_a_comma_states_a_hospital_grade_and_yisuo_is_no_part_of_it() -> None:
    got = _got(
        "安陆市普爱医院简介\n安陆市普爱医院始建于1948年，为国家二级甲等综合医院。"
        "安陆市中医医院是一所三级乙等中医医院。安陆市妇幼保健院始建于1960年，为全市妇女儿童提供服务。"
    )
    assert ("安陆市普爱医院", "国家二级甲等综合医院") in got, got
    assert ("安陆市中医医院", "三级乙等中医医院") in got, got
    assert not [g for g in got if g[0] == "安陆市妇幼保健院"], got


def test_what_a_named_holder_has_ranked_goes_into_the_title() -> None:
    got = _got(
        "汉川市卫生健康局工作总结\n汉川市家庭医生签约服务满意度位居全省第一。"
        "汉川市人民医院等2家医院在省级考核中再次位居全省前列。"
    )
    assert ("汉川市", "家庭医生签约服务满意度全省第一") in got, got
    assert not [g for g in got if g[1].startswith("等")], got


def test_a_deadline_makes_a_target_but_a_span_or_as_of_does_not() -> None:
    got = _got(
        "云梦县卫生健康局2023年工作总结\n到2025年，云梦县人民医院建成省级区域医疗中心。"
        "从2019年到2023年，云梦县中医医院先后获评全国文明单位。"
        "截至2023年底，云梦县妇幼保健院建成省级示范妇幼保健院。"
    )
    assert not [g for g in got if g[0] == "云梦县人民医院"], got
    assert _has(got, "云梦县中医医院", "全国文明单位"), got
    assert _has(got, "云梦县妇幼保健院", "省级示范妇幼保健院"), got


def test_a_place_among_the_top_n() -> None:
    got = _got(
        "大悟县卫生健康局工作简报\n大悟县人民医院进入全国县级医院前100名。"
        "大悟县中医医院综合实力位列全省前三。大悟县妇幼保健院进入前期筹备阶段。"
    )
    assert _has(got, "大悟县人民医院", "前100名"), got
    assert _has(got, "大悟县中医医院", "综合实力全省前三"), got
    assert not [g for g in got if g[0] == "大悟县妇幼保健院"], got


def test_xi_as_a_formal_copula() -> None:
    got = _got(
        "广水市第一人民医院简介\n广水市第一人民医院系国家二级甲等综合医院。"
        "广水市中医医院建立了质量管理体系，系统推进省级重点专科建设。"
    )
    assert ("广水市第一人民医院", "国家二级甲等综合医院") in got, got
    assert not [g for g in got if g[0] == "广水市中医医院"], got
