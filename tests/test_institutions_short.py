"""Short forms of universities and their hospitals, a district's own abbreviations, a
hospital's alliance. Sentences are written for these tests; the bodies are invented and the
places are real gazetteer names."""

from __future__ import annotations

from tests.conftest import analyse_text, bodies


def test_a_universitys_first_and_kind_character_are_its_short_form() -> None:
    got = bodies(
        "锦州市推进合作\n锦州市与锦州理工大学签约。锦工与市中心医院签署协议，锦工程项目开工。"
    )
    assert got["锦州理工大学"] == {"锦州理工大学", "锦工"}


def test_a_short_form_inside_a_longer_word_is_not_read() -> None:
    got = bodies("锦州市推进合作\n锦州市与锦州理工大学签约。锦工程项目开工。")
    assert got["锦州理工大学"] == {"锦州理工大学"}


def test_bare_numbered_affiliated_hospital_is_the_one_universitys() -> None:
    got = bodies(
        "丽水市推进合作\n我校与丽水市政府共建丽水医科大学附属台州妇女儿童医院。"
        "学校及附二院优势明显，三附院院长签约。"
    )
    assert got["丽水医科大学附属第二医院"] == {"附二院"}
    assert got["丽水医科大学第三附属医院"] == {"三附院"}


def test_bare_affiliated_takes_the_full_name_the_report_prints() -> None:
    got = bodies("丽水市推进合作\n丽水医科大学第二附属医院与丽水市签约。附二院院长出席。")
    assert got["丽水医科大学第二附属医院"] == {"丽水医科大学第二附属医院", "附二院"}


def test_a_university_short_head_of_its_hospital_is_expanded() -> None:
    got = bodies("合川区推进合作\n合川区与重庆医科大学签订协议。重医附属合川医院承办培训。")
    assert "重庆医科大学附属合川医院" in got
    assert "重医附属合川医院" not in got


def test_development_research_centre_needs_no_place() -> None:
    got = bodies("梧州市推进合作\n在青禾儿童医学发展研究中心指导下开展专科联盟。")
    assert "青禾儿童医学发展研究中心" in got


def test_a_district_speaking_as_itself_reads_district_abbreviations() -> None:
    got = bodies(
        "武汉再建一家医院\n某某大学附属医院与蔡甸区人民政府签订协议，我区将有三甲医院。"
        "区疾控中心主任表示欢迎。"
    )
    assert "蔡甸区疾病预防控制中心" in got


def test_in_an_autonomous_regions_report_wo_qu_is_the_region() -> None:
    got = bodies(
        "南宁市推进合作\n某某大学附属医院与青秀区人民政府签订协议，我区将有三甲医院。"
        "区疾控中心主任表示欢迎。"
    )
    assert "青秀区疾病预防控制中心" not in got


def test_an_alliance_the_report_names_with_a_short_form_is_a_body_but_not_a_pairs() -> None:
    got = bodies(
        "梧州市医联体工作\n梧州市妇幼保健院医联体(以下简称市妇幼医联体)采用新模式。"
        "市妇幼医联体成员增加。某某大学附属儿童医院与藤县人民医院医联体签约。"
    )
    assert got["梧州市妇幼保健院医联体"] == {"梧州市妇幼保健院医联体", "市妇幼医联体"}
    assert "藤县人民医院医联体" not in got
    assert "藤县人民医院" in got


def test_a_declared_short_form_is_the_body_even_where_the_suffix_grammar_reads_it() -> None:
    got = bodies(
        "梧州市推进合作\n梧州市河中人民医院(下称“河中医院”)与融水县妇幼保健院签约。"
        "河中医院派出专家。"
    )
    assert got["梧州市河中人民医院"] == {"梧州市河中人民医院", "河中医院"}
    assert "河中医院" not in got


def test_a_places_character_and_fu_er_is_its_women_and_childrens_centre() -> None:
    got = bodies(
        "洛川县推进合作\n深圳市妇女儿童医疗中心派出专家。县妇幼保健院与深妇儿深度合作，"
        "市妇儿中心筹建，妇儿科室扩建。"
    )
    assert got["深圳市妇女儿童医疗中心"] == {"深圳市妇女儿童医疗中心", "深妇儿"}
    assert not {n for n in got if n.startswith("市妇女")}


def test_two_adjacent_hospitals_before_an_alliance_stay_two() -> None:
    got = bodies("梧州市推进合作\n梧州市红十字会医院藤县人民医院医联体揭牌。")
    assert {"梧州市红十字会医院", "藤县人民医院"} <= set(got)
    assert not {n for n in got if n.endswith("医联体") or n.count("医院") > 1}


def test_a_hospitals_branch_named_by_its_place_is_still_a_branch() -> None:
    got = bodies("岳阳市推进合作\n明德大学康宁二医院岳阳医院开业。")
    assert "明德大学康宁二医院岳阳医院" in got


def test_a_two_character_universitys_short_form_but_not_a_common_word() -> None:
    got = bodies(
        "杭州市推进合作\n杭州市与浙江大学、重庆大学签约。浙大与市中心医院签署协议，"
        "重大项目开工，浙大一院派出专家。"
    )
    assert got["浙江大学"] == {"浙江大学", "浙大"}
    assert got["重庆大学"] == {"重庆大学"}
    assert (
        len(
            [
                m
                for m in analyse_text("杭州市\n浙江大学与浙大一院。").mentions
                if m.surface == "浙大"
            ]
        )
        == 0
    )


def test_a_short_form_declared_after_a_comma_is_used() -> None:
    got = bodies(
        "梧州市推进合作\n梧州市河中人民医院，以下简称“河中院”，与融水县妇幼保健院签约。"
        "河中院派出专家。"
    )
    assert got["梧州市河中人民医院"] == {"梧州市河中人民医院", "河中院"}
