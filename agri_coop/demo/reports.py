"""Demo data of the leadership reports (the demo's last step, so that every campaign's items
are there): the market reference prices the campaigns' savings are measured against (dated,
Price List 市场参考价), the statistics office's input purchases
per town for 2023 (the group-purchase share's denominator), the county's logistics service
points (seed 003), and the weekly e-mail of the headline reports to the leadership office
(ERPNext's Auto Email Report). Idempotent: what is there is left alone.

The builders here (`create_market_price`, `create_input_purchase_volume`) are the tests'
factories too.
"""

import frappe

from agri_coop.demo import masters, traceability
from agri_coop.demo.builders import create_price_list, create_station
from agri_coop.demo.county import TOWNS, town_name, village_name
from agri_coop.reports.prices import MARKET_REFERENCE_PRICE_LIST

LEADER = "leader@dalate.demo"
# The reference prices held from the season's start until the 2024 spring price rise.
PRICE_CHANGE = "2024-04-01"
PRICE_RISE = 1.08
PESTICIDE_MARKET_PRICE = 24.0  # a bag of 10% imidacloprid at the county's shops, spring 2024
STATISTICS_SOURCE = "达拉特旗统计局《2023 年全旗农资采购情况统计》"
STATISTICS_DATE = "2024-01-20"
# town -> its 2023 input purchases (yuan), statistics office
INPUT_PURCHASES_2023 = {
	"树林召镇": 3_000_000,
	"吉格斯太镇": 2_600_000,
	"王爱召镇": 2_900_000,
	"昭君镇": 2_700_000,
	"白泥井镇": 3_200_000,
	"风水梁镇": 2_100_000,
	"展旦召苏木": 2_500_000,
	"恩格贝镇": 1_700_000,
	"中和西镇": 1_900_000,
}
LOGISTICS_POINTS = (
	("树林召镇电商物流服务站", town_name("树林召镇"), "2023-10-10"),
	("昭君镇电商物流服务站", town_name("昭君镇"), "2023-10-10"),
	("新民堡村物流服务点", village_name("树林召镇", "新民堡村"), "2023-10-20"),
	("林原村物流服务点", village_name("树林召镇", "林原村"), "2023-10-20"),
)
VILLAGE_ECOMMERCE_POINTS = (
	("新民堡村电商服务点", village_name("树林召镇", "新民堡村"), "2023-10-20"),
	("东海心村电商服务点", village_name("树林召镇", "东海心村"), "2023-10-20"),
)
# the headline reports mailed to the leadership office every Monday
WEEKLY_REPORTS = (
	"Member Registration Rate",
	"Organisation Build-out",
	"Campaign Summary",
	"Group-purchase Share",
	"Station Coverage",
)


def create_market_price(item_code: str, rate: float, valid_from: str, valid_upto: str | None = None):
	"""A dated Item Price of the reference price list (one per item and start date)."""
	create_price_list(MARKET_REFERENCE_PRICE_LIST, "CNY", buying=1, selling=0)
	existing = frappe.db.get_value(
		"Item Price",
		{"item_code": item_code, "price_list": MARKET_REFERENCE_PRICE_LIST, "valid_from": valid_from},
		"name",
	)
	if existing:
		return frappe.get_doc("Item Price", existing)
	return frappe.get_doc(
		{
			"doctype": "Item Price",
			"item_code": item_code,
			"price_list": MARKET_REFERENCE_PRICE_LIST,
			"uom": frappe.db.get_value("Item", item_code, "stock_uom"),
			"price_list_rate": rate,
			"valid_from": valid_from,
			"valid_upto": valid_upto,
		}
	).insert()


def create_input_purchase_volume(town: str, year: int, amount: float, **values):
	existing = frappe.db.get_value("Input Purchase Volume", {"town": town, "year": year}, "name")
	if existing:
		return frappe.get_doc("Input Purchase Volume", existing)
	return frappe.get_doc(
		{
			"doctype": "Input Purchase Volume",
			"town": town,
			"year": year,
			"amount": amount,
			"source": values.pop("source", STATISTICS_SOURCE),
			"source_date": values.pop("source_date", STATISTICS_DATE),
			**values,
		}
	).insert()


def create_weekly_email(report: str, user: str = LEADER):
	if frappe.db.exists("Auto Email Report", {"report": report, "user": user}):
		return frappe.get_doc("Auto Email Report", {"report": report, "user": user})
	return frappe.get_doc(
		{
			"doctype": "Auto Email Report",
			"report": report,
			"user": user,
			"enabled": 1,
			"frequency": "Weekly",
			"day_of_week": "Monday",
			"format": "XLSX",
			"email_to": user,
			"description": "领导小组办公室每周统购工作简报",
		}
	).insert()


def load_demo_reports():
	from frappe.utils import add_days

	for item_code, item in masters.DEMO_ITEMS.items():
		create_market_price(item_code, item["market_price"], "2023-08-01", add_days(PRICE_CHANGE, -1))
		create_market_price(item_code, round(item["market_price"] * PRICE_RISE, 2), PRICE_CHANGE)
	if frappe.db.exists("Item", traceability.IMIDACLOPRID):  # the plant-protection campaign's pesticide
		create_market_price(traceability.IMIDACLOPRID, PESTICIDE_MARKET_PRICE, "2024-01-01")
	for towns in TOWNS.values():
		for town in towns:
			create_input_purchase_volume(town_name(town), 2023, INPUT_PURCHASES_2023[town])
	for name, cooperative, certified_on in LOGISTICS_POINTS:
		create_station(name, cooperative, "Logistics Service Point", certified_on=certified_on)
	for name, cooperative, certified_on in VILLAGE_ECOMMERCE_POINTS:
		create_station(name, cooperative, "E-commerce Service Point", certified_on=certified_on)
	for report in WEEKLY_REPORTS:
		create_weekly_email(report)


def check_demo_reports() -> list[str]:
	"""What the leadership reports' demo data lacks (agri_coop_demo_checks)."""
	problems = []
	if not frappe.db.count("Item Price", {"price_list": MARKET_REFERENCE_PRICE_LIST}):
		problems.append(f"no prices in the price list {MARKET_REFERENCE_PRICE_LIST}")
	recorded = frappe.db.count("Input Purchase Volume", {"year": 2023})
	if recorded != len(INPUT_PURCHASES_2023):
		problems.append(f"input purchase volumes of 2023: {recorded} (expected {len(INPUT_PURCHASES_2023)})")
	for report in WEEKLY_REPORTS:
		if not frappe.db.exists("Auto Email Report", {"report": report, "user": LEADER, "enabled": 1}):
			problems.append(f"no weekly Auto Email Report of {report} to {LEADER}")
	return problems
