"""Institution names: their edges, the canonical name of party committees, and the other names
one body carries in one report. Sentences are written for these tests; the bodies are invented
and the places are real gazetteer names."""

from __future__ import annotations

from kg.resolve import expand_affiliated
from tests.conftest import analyse_text, bodies, names


def test_a_numeral_right_before_the_suffix_is_the_hospitals_ordinal() -> None:
    got = bodies("岳阳市推进合作\n明德大学康宁二医院岳阳医院开业，明德大学康宁二医院派出专家。")
    assert "明德大学康宁二医院" in got
    assert "明德大学康宁二医院岳阳医院" in got


def test_a_regions_compass_head_and_field_words_stay_in_the_name() -> None:
    got = bodies(
        "泸州市推进建设\n规划建设内容包括川南老年骨病临床医学研究中心、泸州呼吸健康研究院。"
    )
    assert {"川南老年骨病临床医学研究中心", "泸州呼吸健康研究院"} <= set(got)
    assert not {n for n in got if n in ("骨病临床医学研究中心", "研究院")}


def test_jia_never_begins_a_name_even_joined_to_its_head() -> None:
    got = bodies("四平市推进合作\n双方举行签约仪式暨长医一院四平医院揭牌仪式。")
    assert not {n for n in got if n.startswith(("仪式", "暨"))}


def test_a_county_level_citys_committee_is_zhonggong_city_weiyuanhui() -> None:
    got = bodies("桦甸市卫生健康工作报道\n桦甸市委、市政府高度重视医疗合作。")
    assert "中共桦甸市委员会" in got
    assert not {n for n in got if n.startswith("桦甸市中共")}


def test_a_prefectures_committee_is_that_prefectures_not_the_reports_city() -> None:
    got = bodies(
        "宁波市与黔东南州结对帮扶\n宁波市副市长、黔东南州州委常委出席。黔东南州委高度重视。"
    )
    assert "中共黔东南苗族侗族自治州委员会" in got
    assert "中共宁波市委员会" not in got


def test_guapai_gives_another_name_of_the_same_hospital() -> None:
    got = bodies(
        "株洲市第三医院挂牌“湘中大学医学院附属株洲医院”\n"
        "株洲市第三医院正式挂牌。株洲市第三医院始建于1950年。"
    )
    assert "湘中大学医学院附属株洲医院" in got["株洲市第三医院"]
    assert "湘中大学医学院附属株洲医院" not in got


def test_guapai_does_not_take_a_body_named_later_in_the_clause() -> None:
    got = bodies("株洲市推进合作\n株洲市第三医院举行挂牌仪式，株洲市中心医院院长出席。")
    assert {"株洲市第三医院", "株洲市中心医院"} <= set(got)


def test_a_short_form_of_another_printed_name_is_that_body() -> None:
    got = bodies(
        "株洲市推进合作\n株洲市第二人民医院挂牌为长沙明德医院株洲分院。明德医院株洲分院专家坐诊。"
    )
    assert {"长沙明德医院株洲分院", "明德医院株洲分院"} <= got["株洲市第二人民医院"]


def test_a_city_universitys_affiliated_hospital_of_a_kind_is_the_citys_hospital() -> None:
    facts = analyse_text(
        "淄博市推进校地合作\n淄博明德大学附属中心医院揭牌。淄博市中心医院院长出席，"
        "市中心医院与淄博明德大学签约。"
    )
    mentions, _ = expand_affiliated(list(facts.mentions))
    keys = {m.key for m in mentions if m.cls == "Institution" and "中心医院" in m.surface}
    assert len(keys) == 1


def test_an_ordinal_affiliated_hospital_is_not_the_citys_numbered_hospital() -> None:
    facts = analyse_text("淄博市推进校地合作\n淄博明德大学附属第一医院与淄博市第一医院签约。")
    got = names(facts, "Institution")
    assert {"淄博明德大学附属第一医院", "淄博市第一医院"} <= got


def test_guidance_and_teaching_hospitals_are_roles() -> None:
    got = bodies("孝感市推进合作\n双方共建“临床指导医院”，是明德研究院技术指导医院。")
    assert not {n for n in got if n.endswith("指导医院")}


def test_a_branch_of_any_body_named_by_fenzhongxin() -> None:
    got = bodies(
        "绵阳市推进建设\n明德医院（四川省医疗急救中心绵阳分中心）开诊，四川省医疗急救中心支持。"
    )
    assert "四川省医疗急救中心绵阳分中心" in got["明德医院"]


def test_a_given_name_is_not_an_abbreviation_where_the_report_writes_it_again() -> None:
    got = bodies("九江市推进合作\n副市长柯清华主持。柯清华表示，合作意义重大。")
    assert "清华大学" not in got


def test_a_county_abbreviation_takes_the_county_its_sentence_names() -> None:
    got = bodies(
        "拉萨市卫生健康工作\n2020年，医生张明调任墨竹工卡县，兼任县卫健委主任、县人民医院院长。"
    )
    assert "墨竹工卡县卫生健康委员会" in got
    assert "墨竹工卡县人民医院" in got


def test_a_renamed_colleges_affiliated_hospital_renames_the_college() -> None:
    facts = analyse_text(
        "茂名市推进建设\n明德医科大学附属医院始建于1950年，相继更名为南海医学院附属医院、"
        "明德医学院附属医院。"
    )
    assert "明德医科大学" in names(facts, "Institution", counted=False)
    assert not {"南海医学院", "明德医学院"} & names(facts, "Institution", counted=False)


def test_hospital_development_centres_are_one_name() -> None:
    got = bodies("嘉兴市推进合作\n嘉兴明康医院发展中心与嘉兴市人民政府签约。")
    assert "嘉兴明康医院发展中心" in got
    assert "嘉兴明康医院" not in got


def test_a_former_name_in_brackets_and_after_youming_is_the_same_body() -> None:
    got = bodies(
        "株洲市推进建设\n株洲市康宁医院（原株洲市第九人民医院）扩建。"
        "株洲市妇幼保健院又名株洲市妇女儿童医院，始建于1952年。"
    )
    assert "株洲市第九人民医院" in got["株洲市康宁医院"]
    assert "株洲市妇女儿童医院" in got["株洲市妇幼保健院"]
    assert not {"株洲市第九人民医院", "株洲市妇女儿童医院"} & set(got)


def test_a_prefectures_bare_bodies_only_in_a_prefectures_report() -> None:
    own = bodies("黔南布依族苗族自治州卫生健康工作报道\n州中心医院与州疾控中心联合开展义诊。")
    assert {"黔南布依族苗族自治州中心医院", "黔南布依族苗族自治州疾病预防控制中心"} <= set(own)
    other = bodies("宁波市卫生健康工作报道\n宁波市第一人民医院专家与州中心医院签约。")
    assert not {n for n in other if n.startswith("宁波市中心")}


def test_a_credit_word_is_not_part_of_the_source_name() -> None:
    got = bodies("湘西州推进合作\n（供图 湘西州民族医院）双方签约。")
    assert not {n for n in got if n.startswith("供图")}


def test_a_compass_character_and_a_level_cut_off_by_jieba_stay_in_the_name() -> None:
    got = bodies("梧州市推进合作\n成员单位：梧州市塘中人民医院、龙胜县妇幼保健院。")
    assert {"梧州市塘中人民医院", "龙胜县妇幼保健院"} <= set(got)


def test_a_name_with_its_places_short_name_is_the_full_name() -> None:
    facts = analyse_text(
        "株洲市推进建设\n株洲市第一人民医院与株洲市中心医院签约，株洲第一人民医院专家坐诊。"
    )
    mentions, _ = expand_affiliated(list(facts.mentions))
    got = {m.name for m in mentions if m.cls == "Institution" and m.counted}
    assert "株洲市第一人民医院" in got and "株洲第一人民医院" not in got


def test_a_numbered_short_form_takes_the_name_the_report_gives() -> None:
    got = bodies("株洲市卫生健康工作报道\n株洲市第一医院始建于1950年。市一医院专家义诊。")
    assert got == {"株洲市第一医院": {"株洲市第一医院", "市一医院"}}


def test_he_between_two_names_is_a_conjunction_not_the_county_hexian() -> None:
    got = bodies("忻州市推进合作\n组建市级医院和县医院紧密型医疗联合体。")
    assert "和县医院" not in got


def test_a_hospitals_group_is_a_body_and_a_member_keeps_its_own_name() -> None:
    got = bodies(
        "株洲市推进合作\n株洲市妇幼保健院加入武汉儿童医院集团。武汉儿童医院集团株洲市妇幼保健院揭牌。"
        "推进集团化办医。"
    )
    assert {"武汉儿童医院集团", "株洲市妇幼保健院"} <= set(got)
    assert not {n for n in got if n.startswith("武汉儿童医院集团株洲")}


def test_a_name_after_ji_in_brackets_is_another_name() -> None:
    got = bodies("株洲市推进合作\n株洲市妇女儿童医疗中心（即株洲市儿童医院）开诊。")
    assert "株洲市儿童医院" in got.get("株洲市妇女儿童医疗中心", set())


def test_an_alliance_a_group_leads_somewhere_is_not_a_body() -> None:
    got = bodies("株洲市推进合作\n株洲市中心医院（武汉儿童医院集团株洲醴陵医联体）开诊。")
    assert not {n for n in got if n.endswith("医联体")}
