"""A table of short sentences: the entities and relations each must and must not yield.

The texts are written for the tests (not copied from the seeds) and cover the
abbreviation and false-positive cases the entity and relation issues name.
"""

from __future__ import annotations

import pytest

from tests.conftest import analyse_text, names

# (text, class, must yield, must not yield)
ENTITY_CASES = [
    (
        "株洲市推进。株洲市第一医院院长陈明当选中国医师协会常务理事，"
        "刘芳同志荣获“全国三八红旗手”称号，国医大师唐祖宣传承工作室建立。",
        "Person",
        {"陈明", "刘芳", "唐祖宣"},
        {"陈明当"},
    ),
    (  # another province's agency keeps its province; a designation is not a name
        "佛山市推进建设。湖北省卫健委来访，离石区疾控中心参加，"
        "南方医科大学顺德医院获批广东省高水平医院建设单位。",
        "Institution",
        {"湖北省卫生健康委员会", "离石区疾病预防控制中心", "南方医科大学顺德医院"},
        {"广东省卫生健康委员会", "广东省高水平医院"},
    ),
    (
        "遵义市推进建设。遵义医科大学附属医院牵头，上海中医药大学大同医院建成。",
        "Institution",
        {"遵义医科大学附属医院", "上海中医药大学大同医院"},
        {"医科大学附属医院"},
    ),
    (
        "佛山市推进建设。南方医科大学顺德医院获批省级重点专科，北京中医药大学东方医院来佛山义诊。",
        "Institution",
        {"南方医科大学顺德医院", "北京中医药大学东方医院"},
        {"医科大学顺德医院", "获批省级重点专科"},
    ),
    (
        "绵阳市推进建设。江油市人民医院成功晋升为三级医院，安县人民医院被确定为二级甲等医院。",
        "Institution",
        {"江油市人民医院", "安县人民医院"},
        {"晋升为三级医院", "三级医院", "二级甲等医院"},
    ),
    (
        "邯郸市召开党风廉政建设会议。会议学习中纪委全会、省纪委全会精神，市纪委监委派员出席。",
        "Institution",
        {"中国共产党中央纪律检查委员会", "中共河北省纪律检查委员会", "中共邯郸市纪律检查委员会"},
        {"市纪委监委", "省纪委"},
    ),
    (
        "长治市卫健委召开会议。长治市卫健委部署工作，市医院与市二院参加。",
        "Institution",
        {"长治市人民医院", "长治市第二人民医院", "长治市卫生健康委员会"},
        {"市医院"},
    ),
    (
        "平顶山市召开大会。平顶山市要求，省卫健委指导下，市卫健委牵头推进。",
        "Institution",
        {"河南省卫生健康委员会", "平顶山市卫生健康委员会"},
        set(),
    ),
    (
        "长治市加强建设。长治医学院附属和平医院与长治附属和济医院获批，长治医学院申报专业。",
        "Institution",
        {"长治医学院附属和平医院", "长治医学院附属和济医院", "长治医学院"},
        {"长治附属和济医院"},
    ),
    (
        "株洲市推进改革，公立医院、三甲医院和乡镇卫生院及基层医疗机构共同发展。",
        "Institution",
        set(),
        {"公立医院", "三甲医院", "乡镇卫生院", "基层医疗机构"},
    ),
    (
        "郑州市人民医院普外科和重症医学科实力增强。",
        "Institution",
        {"郑州市人民医院"},
        {"普外科", "重症医学科"},
    ),
    (
        "洛阳市推进城市、城区和各县区建设，惠及百姓。",
        "Place",
        {"洛阳市"},
        {"城市", "城区", "各县区", "惠及"},
    ),
    (
        "长治市全面推进。黎城、长子等7个县顺利通过评估，长子县中医院升级。",
        "Place",
        {"长治市", "黎城县", "长子县"},
        set(),
    ),
    ("他是家中的长子，一直在外地工作。", "Place", set(), {"长子县"}),
    ("鹰城百姓健康水平提升，平顶山市卫生事业发展。", "Place", {"平顶山市"}, set()),
    ("太原市医院建设推进，太原市有十个县区。", "Place", {"太原市"}, {"范县"}),
    (
        "长治市入选国家紧密型城市医疗集团建设试点，审议通过了《长治市中医药发展实施方案》。",
        "Program",
        {"国家紧密型城市医疗集团建设试点", "长治市中医药发展实施方案"},
        set(),
    ),
    (
        "深入推进健康中国建设，南阳市在2023年健康河南行动中名次提升，获得省医学科技奖项目3项。",
        "Program",
        {"健康中国", "健康河南行动", "河南省医学科技奖"},
        set(),
    ),
    (
        "大同市深入开展第二批学习贯彻习近平新时代中国特色社会主义思想主题教育，开展诊疗活动。",
        "Program",
        {"学习贯彻习近平新时代中国特色社会主义思想主题教育"},
        {"诊疗活动"},
    ),
    (
        "吕梁市开展“优质服务基层行”活动，践行“人民至上、生命至上”理念。",
        "Program",
        {"“优质服务基层行”活动"},
        {"人民至上、生命至上"},
    ),
    (
        "临汾市加快推进心脑血管疾病防治能力提升项目建设，推进医疗卫生项目建设，"
        "积极推进临汾市第三人民医院项目建设。",
        "Program",
        {"心脑血管疾病防治能力提升项目"},
        {"医疗卫生项目", "临汾市第三人民医院项目"},
    ),
    (
        "运城市通过实施河东名医传承、基层骨干培养等三大工程，推进医院、科室等六大建设。",
        "Program",
        {"河东名医传承工程", "基层骨干培养工程"},
        {"医院建设", "科室建设"},
    ),
    (
        "太原市入选第二批中央财政支持普惠托育服务发展示范项目，支持县医院发展。",
        "Program",
        {"中央财政支持普惠托育服务发展示范项目"},
        set(),
    ),
    (
        "与王琦院士签订合作协议，国医大师李佃贵、唐祖宣传承工作室建立。",
        "Person",
        {"王琦", "李佃贵", "唐祖宣"},
        {"王琦院士"},
    ),
    ("市卫健委党组书记、主任郭力做工作报告，市长张广勇出席。", "Person", {"郭力", "张广勇"}, set()),
]


@pytest.mark.parametrize(("text", "cls", "must", "must_not"), ENTITY_CASES)
def test_entities(text: str, cls: str, must: set[str], must_not: set[str]) -> None:
    got = names(analyse_text(text), cls)
    assert must <= got, f"missing {must - got} in {got}"
    assert not (must_not & got), f"false hits {must_not & got}"


def _partners(text: str) -> list[tuple[set[str], str]]:
    from kg.gazetteer import load_gazetteer

    facts = analyse_text(text)
    by_key = {f"place:{k}": d.name for k, d in load_gazetteer().by_key.items()}
    by_key.update({m.key: m.name for m in facts.mentions})
    by_key.update({f"place:{facts.city}": "CITY"} if facts.city else {})
    out = []
    for r in facts.relations:
        if r.kind == "Partnership":
            out.append(({by_key.get(p, p.split(":", 1)[1]) for p in r.parties}, r.subtype))
    return out


@pytest.mark.parametrize(
    ("text", "partners", "kind"),
    [
        (
            "长治市加快发展。市医院与北京肿瘤医院合作，推进新技术开展。",
            {"长治市人民医院", "北京肿瘤医院"},
            "cooperation",
        ),
        ("株洲市中心医院同湘雅医院签订合作协议。", {"株洲市中心医院", "湘雅医院"}, "agreement"),
        (
            "长治市推进改革。长治医学院附属和济医院托管潞城区医疗集团。",
            {"长治医学院附属和济医院", "潞城区医疗集团"},
            "trusteeship",
        ),
        (
            "长治市强化合作。市医院加入由北京肿瘤医院牵头组建的远程医疗协作网。",
            {"长治市人民医院", "北京肿瘤医院"},
            "membership",
        ),
        ("长治市推进合作。京长合作稳步推进。", {"CITY", "北京市"}, "cooperation"),
    ],
)
def test_partnerships(text: str, partners: set[str], kind: str) -> None:
    found = _partners(text)
    assert (partners, kind) in found, found


def test_city_government_signing_stands_for_the_city() -> None:
    text = "平顶山市加快中医药发展。2023年8月31日，市政府与上海中医药大学签约，合作共建上海中医药大学平顶山医院。"
    facts = analyse_text(text)
    rels = [r for r in facts.relations if r.kind == "Partnership"]
    assert any(set(r.parties) == {"place:410400", "org:上海中医药大学"} for r in rels), rels
    assert any(r.co_built == "org:上海中医药大学平顶山医院" for r in rels)


def _achievements(text: str) -> list[tuple[str, str, str | None]]:
    facts = analyse_text(text)
    by_key = {m.key: m.name for m in facts.mentions}
    return [
        (by_key.get(r.parties[0], r.parties[0]), r.title or "", r.date)
        for r in facts.relations
        if r.kind == "Achievement"
    ]


def test_achievement_with_date_and_self_city() -> None:
    got = _achievements(
        "大同市卫生健康工作成效明显。2023年6月，我市再次荣获“全省卫生健康工作先进市”称号。"
    )
    assert ("", "“全省卫生健康工作先进市”", "2023-06") in [
        ("" if h.startswith("place:") else h, t, d) for h, t, d in got
    ] or any(t == "“全省卫生健康工作先进市”" and d == "2023-06" for _, t, d in got), got


def test_department_achievement_belongs_to_its_hospital() -> None:
    got = _achievements("长治市医疗事业发展。市医院普外科入选国家临床重点专科建设项目。")
    assert any(
        h == "长治市人民医院" and "普外科" in t and "国家临床重点专科" in t for h, t, _ in got
    )


def test_people_before_the_trigger_hold_the_honour_their_hospital_does_not() -> None:
    got = _achievements(
        "南阳市卫生健康委员会2024年工作总结\n市中心医院王建华主任获评全国优秀医师。"
    )
    assert [h for h, _, _ in got] == ["王建华"], got
    got = _achievements(
        "南阳市卫生健康委员会2024年工作总结\n在院长刘明的带领下，市中心医院获评全国文明单位。"
    )
    assert [h for h, _, _ in got] == ["南阳市中心医院"], got  # the person leads, not holds


def test_plans_are_not_achievements() -> None:
    got = _achievements("株洲市卫生健康工作会议召开。2024年要力争入选国家区域医疗中心建设项目。")
    assert got == []


def test_relative_year_is_resolved_against_the_report() -> None:
    text = "2024年，株洲市卫生健康事业发展。2024年工作总结：去年，市中心医院被评为全国标杆单位。"
    got = _achievements(text)
    assert any(d == "2023" for _, _, d in got), got


@pytest.mark.parametrize(
    ("institution", "place"),
    [
        ("克孜勒苏柯尔克孜自治州人民医院", "653000"),  # 11 characters of place name
        ("双江拉祜族佤族布朗族傣族自治县人民医院", "530925"),  # 15: the gazetteer's longest
        ("长治市人民医院", "140400"),
    ],
)
def test_an_institution_is_located_in_the_place_its_name_starts_with(
    institution: str, place: str
) -> None:
    from kg.resolve import Resolver

    facts = analyse_text(f"{institution}与北京协和医院签订合作协议。")
    assert institution in names(facts, "Institution")
    resolver = Resolver()
    resolver.add(facts)
    located = {e.name: e.located_in for e in resolver.entities.values()}
    assert located[institution] == f"place:{place}"


def test_a_clause_without_subject_continues_the_clause_before() -> None:
    got = _achievements(
        "运城市卫生健康委员会工作总结\n"
        "市中心医院同北京协和医院合作取得进展，入选国家区域医疗中心建设项目。"
        "市妇幼保健院扩建项目开工；新建2个省级重点专科，获批3个院士工作站。"
    )
    holders = {title: holder for holder, title, _ in got}
    assert holders["国家区域医疗中心建设项目"] == "运城市中心医院"
    # across a semicolon the list item has no subject of its own: the report's city holds it
    assert holders["3个院士工作站"] == "运城市"


@pytest.mark.parametrize(
    ("report", "own", "hospital"),
    [
        (  # a county's report (a Markdown title): 我县 and 县人民医院 are the county's
            "# 平遥县卫生健康局2023年工作总结\n\n2023年，我县入选全国基层中医药工作示范县，"
            "县人民医院与山西医科大学第一医院签订合作协议。",
            "place:140728",
            "平遥县人民医院",
        ),
        (  # a district's: 我区, 区人民医院
            "广州市天河区卫生健康局2023年工作总结\n2023年，我区获评全国健康促进区，"
            "区人民医院与中山大学附属第一医院签订合作协议。",
            "place:440106",
            "天河区人民医院",
        ),
        (  # a province's: 我省, 省人民医院 (北京 is named, but the issuer is 浙江省)
            "浙江省卫生健康委员会2023年工作总结\n2023年，我省入选国家中医药综合改革示范区，"
            "省人民医院与北京协和医院签订合作协议。",
            "place:330000",
            "浙江省人民医院",
        ),
        (  # a county-level city's: 我市 and 市中医医院 are 义乌's, not 金华's
            "义乌市卫生健康局2023年工作总结\n2023年，我市入选全国基层中医药工作示范市，"
            "市中医医院与浙江中医药大学签订合作协议。",
            "place:330782",
            "义乌市中医医院",
        ),
    ],
)
def test_the_issuer_in_the_title_line_is_the_reports_own_place(
    report: str, own: str, hospital: str
) -> None:
    facts = analyse_text(report)
    assert facts.city == own.removeprefix("place:")
    achievements = [r for r in facts.relations if r.kind == "Achievement"]
    assert [r.parties for r in achievements] == [(own,)]
    partnerships = [r for r in facts.relations if r.kind == "Partnership"]
    assert len(partnerships) == 1 and f"org:{hospital}" in partnerships[0].parties


def test_a_citys_report_does_not_guess_which_county_hospital() -> None:
    facts = analyse_text(
        "长治市2023年卫生健康工作综述\n2023年，县人民医院与北京协和医院签订合作协议。"
    )
    assert not any(m.name.endswith("县人民医院") for m in facts.mentions)
    assert not [r for r in facts.relations if r.kind == "Partnership"]


def test_a_clause_opening_with_yu_takes_its_signer_from_the_clause_before() -> None:
    facts = analyse_text(
        "佛山市卫生健康局2023年工作总结\n"
        "市中医院牵头成立佛山市中医专科联盟，与广州中医药大学签订战略合作协议。"
    )
    parties = [r.parties for r in facts.relations if r.kind == "Partnership"]
    assert parties == [("org:佛山市中医医院", "org:广州中医药大学")]


def test_direct_partnership_verbs_and_a_passive_award() -> None:
    facts = analyse_text(
        "宜昌市卫生健康委员会2023年工作总结\n"
        "北京大学第三医院对口帮扶秭归县人民医院，选派专家坐诊。"
        "市第一人民医院被国家卫生健康委授予“改善医疗服务示范医院”。"
        "国家卫健委授予我市“健康城市”称号。"
    )
    partners = [(r.subtype, r.parties, r.lead) for r in facts.relations if r.kind == "Partnership"]
    lead = "org:北京大学第三医院"
    assert partners == [("support", (lead, "org:秭归县人民医院"), lead)]
    honours = [(r.parties, r.awarded_by) for r in facts.relations if r.kind == "Achievement"]
    # the active 授予 names the giver first and the holder after the verb
    assert honours == [
        (("org:宜昌市第一人民医院",), "org:国家卫生健康委员会"),
        (("place:420500",), "org:国家卫生健康委员会"),
    ]


def test_medical_alliances_and_a_created_model_county() -> None:
    facts = analyse_text(
        "遵义市卫生健康局2024年工作总结\n"
        "遵义市妇幼保健院与贵州省人民医院建立紧密型医联体。"
        "湄潭县成功创建全国基层中医药工作示范县。"
    )
    got = sorted((r.kind, r.subtype, r.parties) for r in facts.relations)
    assert got == [
        ("Achievement", "designation", ("place:520328",)),
        ("Partnership", "cooperation", ("org:贵州省人民医院", "org:遵义市妇幼保健院")),
    ]


def test_became_and_shortlisted_are_achievements_and_the_nth_hospital_is_no_name() -> None:
    text = (
        "襄阳市卫生健康委员会2023年度工作总结\n"
        "襄阳市中心医院成为国家区域医疗中心输出医院。"
        "襄阳市第一人民医院入围全国公立医院高质量发展试点。"
        "枣阳市第一人民医院成为全市第二家县级三级医院。我市成为全省唯一一个市。"
    )
    got = _achievements(text)
    assert ("襄阳市中心医院", "国家区域医疗中心输出医院", None) in got
    assert ("襄阳市第一人民医院", "全国公立医院高质量发展试点", None) in got
    assert ("枣阳市第一人民医院", "全市第二家县级三级医院", None) in got
    assert len(got) == 3  # 成为全省唯一一个市 names nothing the trigger needs
    assert "第二家县级三级医院" not in names(analyse_text(text), "Institution")


def test_respectively_pairs_each_with_its_partner_and_a_bare_city_prefix_is_the_reports() -> None:
    facts = analyse_text(
        "哈尔滨市卫生健康委员会2023年工作总结\n"
        "哈尔滨医科大学附属第一医院、哈尔滨市第一医院分别与北京协和医院、"
        "首都医科大学附属北京天坛医院建立专科联盟。"
        "市第二医院分别与北京协和医院、北京天坛医院签订合作协议。"
        "市第一专科医院晋升为三级甲等专科医院。"
    )
    pairs = sorted(r.parties for r in facts.relations if r.kind == "Partnership")
    assert pairs == sorted(
        [
            ("org:北京协和医院", "org:哈尔滨医科大学附属第一医院"),
            ("org:哈尔滨市第一医院", "org:首都医科大学附属北京天坛医院"),
            ("org:北京协和医院", "org:哈尔滨市第二医院"),
            # 北京天坛医院 is the short form of the full name the report gives before it
            ("org:哈尔滨市第二医院", "org:首都医科大学附属北京天坛医院"),
        ]
    )
    assert "哈尔滨市第一专科医院" in names(facts, "Institution")


def test_a_subject_and_a_verb_before_yu_sign_the_partnership() -> None:
    facts = analyse_text(
        "鄂尔多斯市卫生健康委员会关于2022年工作情况的报告\n"
        "2022年，我市持续深化与北京大学人民医院的合作。"
        "市卫健委积极推进与内蒙古医科大学的合作。"
    )
    pairs = sorted(r.parties for r in facts.relations if r.kind == "Partnership")
    assert pairs == [
        ("org:内蒙古医科大学", "org:鄂尔多斯市卫生健康委员会"),
        ("org:北京大学人民医院", "place:150600"),
    ]
