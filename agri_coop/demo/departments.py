"""Demo purchasing departments and service stations of the demo county (seed 000 §二(一)2, §三).

Every town federation and village co-op has its purchasing department (统购部). The first
batch's were established and certified (挂牌) by 2023-09-08, which made them the county
SMC's 供销合作服务站 with their warehouses; the second batch's were established before its
trial run (2023-09-18) and wait for certification. Two towns also run an e-commerce point.
Running it again changes nothing.
"""

from agri_coop.demo.builders import create_department, create_station
from agri_coop.demo.county import DEMO_TOWN_USER, DEMO_VILLAGE_USER, TOWNS, VILLAGES, town_name, village_name

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN_NAMES = ("建国", "海军", "秀英", "志强", "玉兰", "永平", "春梅", "文军", "桂芳", "俊峰", "红霞", "德胜")
DATES = {
	"First": {"established_on": "2023-09-05", "certified_on": "2023-09-08"},
	"Second": {"established_on": "2023-09-16", "certified_on": None},
}
# Named demo users who work in a department.
DEMO_STAFF = {
	town_name("树林召镇"): DEMO_TOWN_USER,
	village_name("树林召镇", "新民堡村"): DEMO_VILLAGE_USER,
}
ECOMMERCE_POINTS = (
	("树林召镇电商服务站点", town_name("树林召镇"), "树林召镇镇区", "农资网上订购、农产品网销、快递收发"),
	("昭君镇电商服务站点", town_name("昭君镇"), "昭君镇镇区", "农资网上订购、农产品网销、快递收发"),
)


def load_demo_departments():
	serial = 0
	for batch, towns in TOWNS.items():
		for town in towns:
			coops = [(town_name(town), True)]
			coops += [(village_name(town, village), False) for village, _producers in VILLAGES[town]]
			for cooperative, is_town in coops:
				serial += 1
				department = ensure_department(cooperative, is_town, serial)
				if department.state == "Set Up":
					department.establish(DATES[batch]["established_on"])
				if department.state == "Established" and DATES[batch]["certified_on"]:
					department.certify(DATES[batch]["certified_on"])
	for station_name, cooperative, address, services in ECOMMERCE_POINTS:
		ensure_station(station_name, "E-commerce Service Point", cooperative, address, services, "2023-09-08")


def person(serial: int, offset: int = 0) -> str:
	return SURNAMES[(serial + offset) % len(SURNAMES)] + GIVEN_NAMES[(serial * 7 + offset) % len(GIVEN_NAMES)]


def mobile(serial: int, offset: int = 0) -> str:
	return f"1394770{serial:02d}{offset:02d}"


def ensure_department(cooperative: str, is_town: bool, serial: int):
	staff = [
		{"staff_name": person(serial, 1), "post": "统购专员", "mobile": mobile(serial, 1)},
		{"staff_name": person(serial, 2), "post": "财务会计" if is_town else "老年社员技术辅导员"},
	]
	if serial % 3 == 0:
		staff.pop()
	if cooperative in DEMO_STAFF:
		staff[0]["user"] = DEMO_STAFF[cooperative][0]
	return create_department(cooperative, person(serial), mobile(serial), staff)


def ensure_station(station_name, station_type, cooperative, address, services, certified_on):
	return create_station(
		station_name, cooperative, station_type, address=address, services=services, certified_on=certified_on
	)
