"""Realistic onboarding sheets (社员上线信息采集表): the template's columns, valid resident ID
numbers and credit codes, Chinese names, mobiles, and a share of rows with one realistic
mistake. Used by the demo members, and by the benchmarks (`benchmarks/`)."""

import random
from datetime import date, timedelta

from agri_coop.members.member_rules import MEMBER_TYPE_ZH
from agri_coop.members.onboarding import COLUMNS
from agri_coop.utils.resident_id import make_resident_id
from agri_coop.utils.uscc import make_uscc

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国建军志强海燕春梅文斌宝山金花德胜福财满仓"
CROPS = ("玉米", "小麦", "向日葵", "马铃薯", "水稻", "甜菜", "肉羊", "肉牛", "生猪", "蔬菜")
ORGANISATIONS = {MEMBER_TYPE_ZH["Farmers' Co-op"], MEMBER_TYPE_ZH["Enterprise"]}


def generate_rows(count: int, villages, seed: int = 7, bad_share: float = 0.01) -> list[list]:
	"""Header + `count` rows; about bad_share of them carry one mistake of a realistic kind."""
	rng = random.Random(seed)
	types = list(MEMBER_TYPE_ZH.values())
	rows = [[header for header, _, _ in COLUMNS]]
	used = set()
	for serial in range(1, count + 1):
		town, village, _ = villages[serial % len(villages)]
		while True:
			birth = date(1945, 1, 1) + timedelta(days=rng.randrange(0, 365 * 60))
			id_number = make_resident_id("150621", birth, rng.randrange(0, 1000))
			if id_number not in used:
				used.add(id_number)
				break
		name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
		member_type = types[0] if rng.random() < 0.9 else rng.choice(types)
		if member_type in ORGANISATIONS:  # co-ops and enterprises carry a credit code
			id_number = make_uscc(f"93150621MA{serial:07d}")
			name = f"{village}{rng.choice(CROPS)}{member_type}"
		mobile = f"1{rng.choice('3456789')}{rng.randrange(0, 10**9):09d}"
		row = [
			serial,
			town,
			village,
			member_type,
			name,
			id_number,
			mobile,
			round(rng.uniform(2, 300), 1),
			rng.choice(CROPS),
		]
		if rng.random() < bad_share:
			kind = rng.randrange(5)
			if kind == 0:
				row[5] = id_number[:17] + ("0" if id_number[17] != "0" else "1")  # wrong check digit
			elif kind == 1:
				row[6] = mobile[:10]
			elif kind == 2:
				row[2] = "不存在村"
			elif kind == 3:
				row[7] = -5
			else:
				row[5] = rows[-1][5] if len(rows) > 1 else row[5]  # duplicate of the previous row
		rows.append(row)
	return rows
