"""Partnership constructions of the genre, one test per family, on invented sentences.

Each case gives a short report (a title line naming its place, then sentences) and the
partner sets (by name; CITY is the report's own place) with the kind that must be found,
and, where it matters, the sets that must not be.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kg.document import Document, Mention, Sentence
from kg.extract.partnerships import extract_partnerships
from tests.conftest import analyse_text


def _found(text: str) -> list[tuple[frozenset[str], str]]:
    from kg.gazetteer import load_gazetteer

    facts = analyse_text(text)
    by_key = {f"place:{k}": d.name for k, d in load_gazetteer().by_key.items()}
    by_key.update({m.key: m.name for m in facts.mentions})
    if facts.city:
        by_key[f"place:{facts.city}"] = "CITY"
    return [
        (frozenset(by_key.get(p, p.split(":", 1)[1]) for p in r.parties), r.subtype)
        for r in facts.relations
        if r.kind == "Partnership"
    ]


def _sets(text: str) -> set[frozenset[str]]:
    return {s for s, _ in _found(text)}


CASES = [
    # A与B签署/签订…协议
    (
        "绵阳市卫生健康委员会2024年工作总结\n3月5日，绵阳市中心医院与四川大学华西医院签署紧密型专科联盟协议。",
        [({"绵阳市中心医院", "四川大学华西医院"}, "agreement")],
    ),
    # A与B、C签订…: each listed body signs with A
    (
        "芜湖市卫生健康委员会2023年工作总结\n芜湖市第二人民医院与安徽医科大学、皖南医学院签订合作协议。",
        [
            ({"芜湖市第二人民医院", "安徽医科大学"}, "agreement"),
            ({"芜湖市第二人民医院", "皖南医学院"}, "agreement"),
        ],
    ),
    # A与B、C三方签约: a joint agreement, each with each
    (
        "湖州市卫生健康委员会2023年工作总结\n湖州市中心医院与浙江大学医学院附属第一医院、湖州师范学院三方签订合作协议。",
        [
            ({"湖州市中心医院", "浙江大学医学院附属第一医院"}, "agreement"),
            ({"湖州市中心医院", "湖州师范学院"}, "agreement"),
            ({"浙江大学医学院附属第一医院", "湖州师范学院"}, "agreement"),
        ],
    ),
    # 引进X、Y等N家医院合作共建: the report's place with each
    (
        "南充市卫生健康委员会2023年工作总结\n我市引进四川省人民医院、重庆医科大学附属第二医院等2家三甲医院合作共建专科中心。",
        [
            ({"CITY", "四川省人民医院"}, "coConstruction"),
            ({"CITY", "重庆医科大学附属第二医院"}, "coConstruction"),
        ],
    ),
    # A对口支援B; A“组团式”帮扶B
    (
        "林芝市卫生健康委员会2022年工作总结\n广东省人民医院对口支援林芝市人民医院。"
        "福建医科大学附属协和医院“组团式”帮扶昌都市人民医院。",
        [
            ({"广东省人民医院", "林芝市人民医院"}, "support"),
            ({"福建医科大学附属协和医院", "昌都市人民医院"}, "support"),
        ],
    ),
    # A选派专家团队帮扶B, A援建B: who is sent stands between the party and its verb
    (
        "喀什地区卫生健康委员会2022年工作总结\n深圳市人民医院选派专家团队帮扶喀什地区第一人民医院。"
        "上海市第一人民医院援建莎车县人民医院。",
        [
            ({"深圳市人民医院", "喀什地区第一人民医院"}, "support"),
            ({"上海市第一人民医院", "莎车县人民医院"}, "support"),
        ],
    ),
    # 分别将A1、A2与B1、B2结对: the i-th with the i-th
    (
        "赣州市卫生健康委员会2023年工作总结\n分别将赣州市人民医院、赣州市第五人民医院与瑞金市人民医院、"
        "于都县人民医院结对帮扶。",
        [
            ({"赣州市人民医院", "瑞金市人民医院"}, "support"),
            ({"赣州市第五人民医院", "于都县人民医院"}, "support"),
        ],
    ),
    # B成为A的附属医院; A是B、C等的教学医院 (医院 = the report's own hospital)
    (
        "岳阳市中心医院2023年简介\n岳阳市中心医院成为中南大学的附属医院。医院是湖南师范大学、湘南学院等的教学医院。",
        [
            ({"岳阳市中心医院", "中南大学"}, "cooperation"),
            ({"岳阳市中心医院", "湖南师范大学"}, "cooperation"),
            ({"岳阳市中心医院", "湘南学院"}, "cooperation"),
        ],
    ),
    # …深入合作，全面托管B: a direct verb takes the subject of the clause before
    (
        "苏州市卫生健康委员会2021年工作总结\n苏州大学附属第一医院近日与吴中区政府深入合作，全面托管吴中区妇幼保健院。",
        [({"苏州大学附属第一医院", "吴中区妇幼保健院"}, "trusteeship")],
    ),
    # A托管B; A全面托管的…——B
    (
        "太原市卫生健康委员会2023年工作总结\n由太原市人民政府投资、北京大学第一医院全面托管的三级综合医院——太原市滨河医院开业。",
        [({"北京大学第一医院", "太原市滨河医院"}, "trusteeship")],
    ),
    # 加入A牵头的联盟: membership, A leads
    (
        "常德市卫生健康委员会2023年工作总结\n常德市第一人民医院加入湘雅医院牵头的专科联盟。",
        [({"常德市第一人民医院", "湘雅医院"}, "membership")],
    ),
    # A正式加入B专科联盟: the body the alliance is named after leads it
    (
        "雅安市卫生健康委员会2023年工作总结\n雅安市人民医院正式加入四川大学华西医院专科联盟。",
        [({"雅安市人民医院", "四川大学华西医院"}, "membership")],
    ),
    # 由A牵头，联合B、C成立…联盟: A is the agent of the clauses after
    (
        "绍兴市卫生健康委员会2023年工作总结\n由绍兴市人民医院牵头，联合诸暨市人民医院、嵊州市人民医院成立胸痛专科联盟。",
        [
            ({"绍兴市人民医院", "诸暨市人民医院"}, "cooperation"),
            ({"绍兴市人民医院", "嵊州市人民医院"}, "cooperation"),
        ],
    ),
    # 市政府 (bare) is the report's place; a named government is the government
    (
        "岳阳市卫生健康委员会2023年工作总结\n市政府与中南大学签订合作协议。"
        "郴州市人民政府与南华大学签署战略合作协议。",
        [
            ({"CITY", "中南大学"}, "agreement"),
            ({"郴州市人民政府", "南华大学"}, "agreement"),
        ],
    ),
    # the omitted subject of a clause is the subject of the clause before
    (
        "宜宾市卫生健康委员会2023年工作总结\n近年来，宜宾市深度融入成渝发展，坚持人民健康优先，"
        "先后与四川大学华西医院、重庆医科大学附属第一医院等10多家医院建立专科联盟。",
        [
            ({"CITY", "四川大学华西医院"}, "cooperation"),
            ({"CITY", "重庆医科大学附属第一医院"}, "cooperation"),
        ],
    ),
    # 在A的支持下，B…; B在A的指导帮助下
    (
        "泸州市卫生健康委员会2023年工作总结\n在西南医科大学附属医院的大力支持下，泸县人民医院晋升为三级医院。"
        "合江县人民医院在四川省人民医院的指导帮助下，建成胸痛中心。",
        [
            ({"西南医科大学附属医院", "泸县人民医院"}, "support"),
            ({"四川省人民医院", "合江县人民医院"}, "support"),
        ],
    ),
    # B得到A的大力支持: A supports B
    (
        "临夏州卫生健康委员会2023年工作总结\n临夏州人民医院得到厦门大学附属第一医院的大力支持，建成卒中中心。",
        [({"厦门大学附属第一医院", "临夏州人民医院"}, "support")],
    ),
    # A…赴B开展对口支援: the sender and the place or body it goes to
    (
        "林芝市卫生健康委员会2022年工作总结\n广东举全省之力，遴选骨干医生，赴林芝市人民医院开展对口支援工作。",
        [({"广东省", "林芝市人民医院"}, "support")],
    ),
    # a titled signatory signs for their body: 院长甲 stands for the hospital
    (
        "玉溪市卫生健康委员会2023年工作总结\n玉溪市人民医院院长赵明远与昆明医科大学副校长钱志刚签订合作协议。",
        [({"玉溪市人民医院", "昆明医科大学"}, "agreement")],
    ),
    # 甲与乙代表A和B签订: the bodies the signatories stand for
    (
        "通化市卫生健康委员会2022年工作总结\n随后，张立新与周海波代表梅河口市人民政府和吉林大学第二医院签订合作协议。",
        [({"梅河口市人民政府", "吉林大学第二医院"}, "agreement")],
    ),
    # an existing hospital co-built is the partner of its builder
    (
        "吉安市卫生健康委员会2023年工作总结\n吉安市人民政府与南昌大学第一附属医院合作共建吉安市中心人民医院。",
        [
            ({"吉安市人民政府", "南昌大学第一附属医院"}, "coConstruction"),
            ({"南昌大学第一附属医院", "吉安市中心人民医院"}, "coConstruction"),
        ],
    ),
    # A对B进行帮扶, A为B提供支持: the clause's subject helps B
    (
        "清远市卫生健康局2023年工作总结\n广州医科大学附属第一医院将在学科建设等方面对清远市人民医院进行全面帮扶。"
        "佛山市第一人民医院为连山县人民医院提供技术支持。",
        [
            ({"广州医科大学附属第一医院", "清远市人民医院"}, "support"),
            ({"佛山市第一人民医院", "连山县人民医院"}, "support"),
        ],
    ),
    # 以A为龙头，B、C积极参与: members with their leader
    (
        "宜宾市卫生健康委员会2023年工作总结\n专科联盟以四川大学华西医院为龙头，宜宾市第一人民医院、"
        "宜宾市第二人民医院积极参与。",
        [
            ({"四川大学华西医院", "宜宾市第一人民医院"}, "membership"),
            ({"四川大学华西医院", "宜宾市第二人民医院"}, "membership"),
        ],
    ),
    # A、B与C签订: each on the left signs with C
    (
        "九江市卫生健康委员会2023年工作总结\n九江市第一人民医院、九江市中医医院与江西中医药大学签订合作协议。",
        [
            ({"九江市第一人民医院", "江西中医药大学"}, "agreement"),
            ({"九江市中医医院", "江西中医药大学"}, "agreement"),
        ],
    ),
    # B由A托管: A runs B
    (
        "襄阳市卫生健康委员会2023年工作总结\n襄阳市东津医院由武汉大学人民医院全面托管。",
        [({"武汉大学人民医院", "襄阳市东津医院"}, "trusteeship")],
    ),
    # A是B的对口帮扶单位 (a role without 医院)
    (
        "黔南州卫生健康局2023年工作总结\n荔波县人民医院是宁波市第一医院的对口帮扶单位。",
        [({"荔波县人民医院", "宁波市第一医院"}, "support")],
    ),
    # 《甲医院乙市人民政府…合作框架协议》: the bodies opening an agreement's title sign it
    (
        "湖州市卫生健康委员会2023年工作总结\n湖州市人民政府与浙江大学举行签约仪式，浙江大学医学院附属邵逸夫医院"
        "有关负责人出席。随后双方签订了《浙江大学医学院附属邵逸夫医院湖州市人民政府紧密型医联体合作框架协议》。",
        [({"浙江大学医学院附属邵逸夫医院", "湖州市人民政府"}, "agreement")],
    ),
    # 甲、乙、丙三方签订: bodies opening a clause sign together, each with each
    (
        "开封市卫生健康委员会2023年工作总结\n开封市中心医院、开封市第二人民医院、河南大学三方签订合作协议。",
        [
            ({"开封市中心医院", "开封市第二人民医院"}, "agreement"),
            ({"开封市中心医院", "河南大学"}, "agreement"),
            ({"开封市第二人民医院", "河南大学"}, "agreement"),
        ],
    ),
    # 是A的紧密型医联体成员单位: modifiers between 的 and the role
    (
        "安顺市卫生健康局2023年工作总结\n普定县人民医院是贵州省人民医院的紧密型医联体成员单位。",
        [({"普定县人民医院", "贵州省人民医院"}, "membership")],
    ),
    # A与B结为友好医院
    (
        "三明市卫生健康委员会2023年工作总结\n三明市第一医院与福建医科大学附属协和医院结为友好医院。",
        [({"三明市第一医院", "福建医科大学附属协和医院"}, "cooperation")],
    ),
    # lists with a bracket after a name, a list ending its clause, a long gap before 与
    (
        "汕头市卫生健康局2023年工作总结\n汕头市中心医院在学科建设、人才培养等方面与中山大学附属第一医院（中山一院）、"
        "南方医科大学南方医院等5家医院，建立了紧密合作关系。",
        [
            ({"汕头市中心医院", "中山大学附属第一医院"}, "cooperation"),
            ({"汕头市中心医院", "南方医科大学南方医院"}, "cooperation"),
        ],
    ),
    # 是某大学教学医院 read as one name: the body before the role is the partner
    (
        "遂宁市卫生健康委员会2023年工作总结\n川北医学院举办学术年会。遂宁市中心医院是川北医学院教学医院。",
        [({"遂宁市中心医院", "川北医学院"}, "cooperation")],
    ),
    # 签约仪式暨甲医院某地医院揭牌: the parent and the branch it opens
    (
        "延吉市卫生健康局2022年工作总结\n6月8日，中国医科大学附属第一医院与延吉市人民政府举行合作签约仪式"
        "暨中国医科大学附属第一医院延吉医院揭牌仪式。",
        [
            ({"中国医科大学附属第一医院", "延吉市人民政府"}, "agreement"),
            ({"中国医科大学附属第一医院", "中国医科大学附属第一医院延吉医院"}, "support"),
        ],
    ),
    # 甲医院医联体签约: the group named by its member is that member
    (
        "宿迁市卫生健康委员会2024年工作总结\n江苏省人民医院与沭阳县人民医院医联体签约仪式举行。",
        [({"江苏省人民医院", "沭阳县人民医院"}, "agreement")],
    ),
    # 甲医院医共体…：N家…：乙、丙: a counted list of members joins the group's leader
    (
        "婺源县卫生健康委员会2023年工作总结\n婺源县人民医院医共体采用“1+3”模式：即1家牵头医院，"
        "婺源县人民医院；3家乡镇卫生院：紫阳镇卫生院、清华镇中心卫生院、江湾镇卫生院。",
        [
            ({"婺源县人民医院", "紫阳镇卫生院"}, "membership"),
            ({"婺源县人民医院", "清华镇中心卫生院"}, "membership"),
            ({"婺源县人民医院", "江湾镇卫生院"}, "membership"),
        ],
    ),
    # 由甲医院牵头，成员单位包括乙、丙
    (
        "泰和县卫生健康委员会2023年工作总结\n泰和县医疗集团由泰和县人民医院牵头，成员单位包括泰和县中医院、"
        "泰和县妇幼保健院、澄江镇卫生院。",
        [
            ({"泰和县人民医院", "泰和县中医院"}, "membership"),
            ({"泰和县人民医院", "澄江镇卫生院"}, "membership"),
        ],
    ),
    # 与B结成医联体，成立“甲医院某地分院”: the branch's parent is the omitted subject
    (
        "赣州市卫生健康委员会2023年工作总结\n2022年3月，在全市首次进行紧密型医联体尝试，与于都县人民医院"
        "结成紧密型医联体，成立“赣州市人民医院于都分院”。",
        [({"赣州市人民医院", "于都县人民医院"}, "cooperation")],
    ),
    # 派驻专家团队到B坐诊: the people named first, the body after 到
    (
        "抚州市卫生健康委员会2023年工作总结\n江西省人民医院定期派驻专家团队到南城县人民医院坐诊。",
        [({"江西省人民医院", "南城县人民医院"}, "support")],
    ),
    # A专家团队入驻B
    (
        "抚州市卫生健康委员会2023年工作总结\n江西省人民医院专家团队入驻南城县人民医院。",
        [({"江西省人民医院", "南城县人民医院"}, "support")],
    ),
    # A在B设立专家工作站
    (
        "抚州市卫生健康委员会2023年工作总结\n江西省人民医院在南城县人民医院设立专家工作站。",
        [({"江西省人民医院", "南城县人民医院"}, "support")],
    ),
    # 加入A胸痛专科联盟: a field between the leader's name and its group
    (
        "抚州市卫生健康委员会2023年工作总结\n南城县人民医院加入江西省人民医院胸痛专科联盟。",
        [({"江西省人民医院", "南城县人民医院"}, "membership")],
    ),
    # B是A的受援医院; A与B缔结友好医院; B接受A的帮扶
    (
        "抚州市卫生健康委员会2023年工作总结\n南城县人民医院是江西省人民医院的受援医院。"
        "黎川县人民医院与江西省肿瘤医院缔结友好医院。广昌县人民医院接受江西省儿童医院的帮扶。",
        [
            ({"江西省人民医院", "南城县人民医院"}, "support"),
            ({"江西省肿瘤医院", "黎川县人民医院"}, "cooperation"),
            ({"江西省儿童医院", "广昌县人民医院"}, "support"),
        ],
    ),
    # A牵手B; A与B再携手: the conjunction is the verb
    (
        "抚州市卫生健康委员会2023年工作总结\n南城县人民医院牵手江西省人民医院。"
        "黎川县与江西省肿瘤医院再携手。",
        [
            ({"江西省人民医院", "南城县人民医院"}, "cooperation"),
            ({"江西省肿瘤医院", "黎川县"}, "cooperation"),
        ],
    ),
    # 成为A紧密型医联体成员单位: modifiers without 的 before the role
    (
        "抚州市卫生健康委员会2023年工作总结\n南城县人民医院成为江西省人民医院紧密型医联体成员单位。",
        [({"江西省人民医院", "南城县人民医院"}, "membership")],
    ),
    # 某医院院长张三说：“此次与B合作…”: the titled speaker's body is the omitted subject
    (
        "抚州市卫生健康委员会2023年工作总结\n南城县人民医院院长林志远说：“此次与江西省人民医院建立医联体"
        "协作关系，是医院发展的新起点。”",
        [({"江西省人民医院", "南城县人民医院"}, "cooperation")],
    ),
    # A的协作医院有B、C; 某联盟成员单位包括B、C: a role's or an alliance's list of members
    (
        "抚州市卫生健康委员会2023年工作总结\n江西省人民医院的协作医院有南城县人民医院、黎川县人民医院。"
        "江西省胸痛专科联盟成员单位包括广昌县人民医院、资溪县人民医院等20家医院。",
        [
            ({"江西省人民医院", "南城县人民医院"}, "cooperation"),
            ({"江西省人民医院", "黎川县人民医院"}, "cooperation"),
            ({"江西省胸痛专科联盟", "广昌县人民医院"}, "membership"),
            ({"江西省胸痛专科联盟", "资溪县人民医院"}, "membership"),
        ],
    ),
    # 甲、乙等5家省级医院与丙结对: the left list closed by a count
    (
        "抚州市卫生健康委员会2023年工作总结\n江西省人民医院、江西省肿瘤医院等5家省级医院与南城县人民医院"
        "结成帮扶对子。",
        [
            ({"江西省人民医院", "南城县人民医院"}, "support"),
            ({"江西省肿瘤医院", "南城县人民医院"}, "support"),
        ],
    ),
    # B被授予A协作医院
    (
        "抚州市卫生健康委员会2023年工作总结\n南城县人民医院被授予江西省人民医院协作医院。",
        [({"江西省人民医院", "南城县人民医院"}, "cooperation")],
    ),
    # 甲医院书记张三、乙医院院长李四代表双方签约: titled signatories sign for their bodies
    (
        "抚州市卫生健康委员会2023年工作总结\n江西省人民医院党委书记陈立新、南城县人民医院院长周文斌"
        "代表双方签约。",
        [({"江西省人民医院", "南城县人民医院"}, "agreement")],
    ),
    # A给予B大力支持
    (
        "抚州市卫生健康委员会2023年工作总结\n江西省人民医院将在学科建设等方面给予南城县人民医院大力支持。",
        [({"江西省人民医院", "南城县人民医院"}, "support")],
    ),
    # B…由A负责管理、运营: A runs B
    (
        "泰和县卫生健康委员会2023年工作总结\n泰和县中医院新院区建成后，由泰和县人民医院负责管理、运营和发展。",
        [({"泰和县人民医院", "泰和县中医院"}, "trusteeship")],
    ),
    # B…，委托A全面运营管理: A runs B
    (
        "海口市卫生健康委员会2023年工作总结\n海口市第五人民医院隶属于海口市卫生健康委员会，"
        "委托浙江大学医学院附属第二医院全面运营管理。",
        [({"海口市第五人民医院", "浙江大学医学院附属第二医院"}, "trusteeship")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_construction(text: str, expected: list[tuple[set[str], str]]) -> None:
    found = _found(text)
    for parties, kind in expected:
        assert (frozenset(parties), kind) in found, found


def test_a_counted_list_without_a_group_leader_makes_no_members() -> None:
    got = _sets(
        "泰和县卫生健康委员会2023年工作总结\n本次会议邀请了3家医院：泰和县中医院、泰和县妇幼保健院、"
        "泰和县人民医院。"
    )
    assert not got


def test_a_body_entrusted_to_its_own_short_form_is_no_partner() -> None:
    got = _sets(
        "海口市卫生健康委员会2023年工作总结\n浙江大学医学院附属第二医院海口院区开诊。"
        "医院隶属于海口市卫生健康委员会，委托浙大二院全面运营管理。"
    )
    assert not any(len(s) < 2 for s in got)
    assert frozenset({"浙江大学医学院附属第二医院", "浙大二院"}) not in got


def test_a_station_set_up_by_an_agency_is_administration() -> None:
    got = _sets(
        "抚州市卫生健康委员会2023年工作总结\n抚州市卫生健康委员会在南城县人民医院设立健康管理工作站。"
    )
    assert not got


def test_a_conjunction_before_another_verb_does_not_set_the_kind() -> None:
    found = _found(
        "抚州市卫生健康委员会2023年工作总结\n南城县人民医院与江西省人民医院携手共建胸痛中心。"
    )
    assert (frozenset({"南城县人民医院", "江西省人民医院"}), "coConstruction") in found


def test_training_and_visits_are_not_partnerships_between_their_hosts() -> None:
    got = _sets(
        "湛江市卫生健康委员会2023年工作总结\n中山大学附属第一医院专家到湛江中心人民医院参观交流。"
        "国家卫生健康委和人力资源社会保障部启动医疗人才培训工作以来，广州市选派专家赴湛江坐诊。"
    )
    assert frozenset({"国家卫生健康委员会", "人力资源和社会保障部"}) not in got


def test_a_trigger_in_another_clause_does_not_pair_co_issuers() -> None:
    got = _sets(
        "拉萨市卫生健康委员会2021年工作总结\n"
        "自2016年起，中组部和人社部启动人才援藏工作以来，北京举全市之力，赴拉萨市人民医院开展对口支援。"
    )
    assert not any("人力资源和社会保障部" in s for s in got), got
    assert frozenset({"北京市", "拉萨市人民医院"}) in got


def test_agencies_acting_together_are_not_partners() -> None:
    got = _sets(
        "贵阳市卫生健康局2023年工作总结\n贵阳市卫生健康局和贵阳市医疗保障局联合开展专项检查。"
    )
    assert not got


def test_a_government_guiding_a_place_is_not_a_partner() -> None:
    got = _sets(
        "南阳市卫生健康委员会2023年工作总结\n在省卫健委的精心指导下，全市卫生健康系统主动融入大局。"
    )
    assert not got


def test_a_trusteeship_takes_a_body_not_a_place_heading_a_broken_name() -> None:
    got = _sets("南京市卫生健康委员会2021年\n东南大学附属中大医院托管溧水区妇幼保吧")
    assert not got


def test_a_conjunction_character_inside_a_name_joins_nothing() -> None:
    got = _sets(
        "长治市卫生健康委员会2023年工作总结\n长治医学院附属和平医院与北京大学第一医院签订合作协议。"
    )
    assert got == {frozenset({"长治医学院附属和平医院", "北京大学第一医院"})}, got


def test_parallel_clauses_of_one_verb_stay_apart() -> None:
    got = _sets(
        "长治市卫生健康委员会2023年工作总结\n"
        "推进长治医学院附属和平医院托管上党区医疗集团、市三院托管襄垣县医疗集团建设。"
    )
    assert frozenset({"长治医学院附属和平医院", "长治市第三人民医院"}) not in got


def test_short_forms_of_a_named_university_and_its_hospitals_are_parties() -> None:
    found = _found(
        "盐城市卫生健康委员会2023年工作总结\n盐城市政府与上海市第六人民医院签约。"
        "近年来，盐城市深度融入长三角，先后与上海六院、上海九院等20多家医院成立名医工作室。"
    )
    assert (frozenset({"CITY", "上海市第六人民医院"}), "cooperation") in found, found
    assert (frozenset({"CITY", "上海九院"}), "cooperation") in found, found


def test_a_districts_agency_named_once_in_full_is_its_bare_short_form() -> None:
    found = _found(
        "厦门市思明区卫生健康局2024年工作答复\n思明区卫生健康局关于建议的答复。"
        "区卫生健康局高度重视校地合作，近年来，与厦门医学院开展健康领域合作。"
    )
    assert (frozenset({"思明区卫生健康局", "厦门医学院"}), "cooperation") in found, found


def test_a_long_sentence_without_punctuation_stays_linear() -> None:
    """20 000 mentions in one sentence: every look-up is bounded, none scans them all."""
    unit = "甲市人民医院与乙县医院合作"
    n = 10_000
    text = unit * n
    mentions = []
    for i in range(n):
        base = i * len(unit)
        mentions.append(
            Mention("Institution", "Hospital", f"org:A{i}", f"A{i}", "甲市人民医院", base, base + 6)
        )
        mentions.append(
            Mention(
                "Institution", "Hospital", f"org:B{i}", f"B{i}", "乙县医院", base + 7, base + 11
            )
        )
    doc = Document(path=Path("long.txt"), name="long.txt", sha256="0", encoding="utf-8", raw=text)
    doc.text = text
    doc.mentions = mentions
    t0 = time.perf_counter()
    rels = extract_partnerships(doc, Sentence(0, 0, len(text)), mentions, None)
    assert time.perf_counter() - t0 < 10
    assert len(rels) >= n
