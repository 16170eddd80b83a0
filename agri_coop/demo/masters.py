"""Demo purchasing masters: farm-input items, suppliers and their whitelist, and the demand
surveys of the 2024 spring fertiliser season (2024 春耕备肥), seed 000 §三(一)2, §三(五), §五(二).

- Item Groups: 农资 (under the root) with 化肥 (氮肥, 磷肥, 复合肥), 农膜 and 种子.
- Items (stock items, in 袋 or 吨; fertiliser bags are 50 kg, so 1 吨 = 20 袋) with a reference
  market price in the buying Price List 市场价 (`MARKET_PRICE_LIST`): campaign prices are
  compared against it.
- Suppliers in the supplier group 农资供应商: four whitelisted by the county SMC (valid
  2023-01-01 .. 2026-12-31), 湖北宜化集团 suspended for 复合肥 after a failed quality check
  (whitelisted for 氮肥 only), and 某某农资商贸公司, not whitelisted at all. No supplier is
  whitelisted for 种子.
- Demand surveys for 2024 春耕备肥 of four villages of 树林召镇 and three of 昭君镇: most
  forwarded to the county SMC in September 2023, 东海心村 reviewed but never forwarded (overdue),
  五股地村 and 柴磴村 submitted today (waiting for review), 和胜村 still a draft.

`load_demo_purchasing_masters()` is idempotent: what is there already is left alone.
The constants below are for campaign code, demos and tests.
"""

import frappe
from frappe.utils import getdate, nowdate

from agri_coop.demo.builders import (
	create_item,
	create_item_group,
	create_item_price,
	create_price_list,
	create_supplier,
	create_supplier_group,
	create_uom,
	create_whitelist,
)
from agri_coop.demo.county import COUNTY_SMC, DEMO_TOWN_USER, village_name
from agri_coop.purchasing.doctype.demand_survey.demand_survey import (
	DUE_WORKING_DAYS,
	add_working_days,
	compute_is_overdue,
)
from agri_coop.utils.lookups import county_company

MARKET_PRICE_LIST = "市场价"
MARKET_PRICE_FROM = "2023-09-01"
SUPPLIER_GROUP = "农资供应商"
DEMO_SEASON = "2024 春耕备肥"
BAG, TON = "袋", "吨"
BAGS_PER_TON = 20  # 50 kg fertiliser bags

# Item Group tree under the root: name -> (parent, is_group); parents first.
FARM_INPUTS, FERTILISER = "农资", "化肥"
NITROGEN, PHOSPHATE, COMPOUND, FILM, SEED = "氮肥", "磷肥", "复合肥", "农膜", "种子"
DEMO_ITEM_GROUPS = {
	FARM_INPUTS: (None, 1),
	FERTILISER: (FARM_INPUTS, 1),
	NITROGEN: (FERTILISER, 0),
	PHOSPHATE: (FERTILISER, 0),
	COMPOUND: (FERTILISER, 0),
	FILM: (FARM_INPUTS, 0),
	SEED: (FARM_INPUTS, 0),
}

UREA = "尿素-46"
DAP = "磷酸二铵-64"
NPK = "复合肥-15-15-15"
SOP_NPK = "硫酸钾复合肥"
MULCH_FILM = "地膜-0.01mm"
CORN_SEED = "玉米种子"
# item_code -> its master data; market_price is per stock unit (yuan).
DEMO_ITEMS = {
	UREA: {"item_name": "尿素 46%", "item_group": NITROGEN, "stock_uom": BAG, "market_price": 125.0},
	DAP: {"item_name": "磷酸二铵 64%", "item_group": PHOSPHATE, "stock_uom": BAG, "market_price": 195.0},
	NPK: {"item_name": "复合肥 15-15-15", "item_group": COMPOUND, "stock_uom": BAG, "market_price": 150.0},
	SOP_NPK: {"item_name": "硫酸钾复合肥", "item_group": COMPOUND, "stock_uom": BAG, "market_price": 170.0},
	MULCH_FILM: {"item_name": "地膜 0.01mm", "item_group": FILM, "stock_uom": TON, "market_price": 13500.0},
	CORN_SEED: {"item_name": "玉米种子", "item_group": SEED, "stock_uom": BAG, "market_price": 160.0},
}

SINOCHEM = "中化化肥有限公司"
YUNTIANHUA = "云天化股份有限公司"
HUBEI_YIHUA = "湖北宜化集团"
TIANRUN_FILM = "内蒙古天润农膜有限公司"
UNLISTED_DEALER = "某某农资商贸公司"
WHITELISTED_SUPPLIERS = [SINOCHEM, YUNTIANHUA, HUBEI_YIHUA, TIANRUN_FILM]
NOT_WHITELISTED_SUPPLIER = UNLISTED_DEALER
DEMO_SUPPLIERS = [*WHITELISTED_SUPPLIERS, UNLISTED_DEALER]

WHITELIST_FROM, WHITELIST_TO = "2023-01-01", "2030-12-31"
# (supplier, item groups, contract number, state, score, quality notes)
DEMO_WHITELIST = (
	(SINOCHEM, [FERTILISER], "DLTGX-BMD-2023-001", "Active", 92, "资质齐全，2023 年 8 月抽检养分含量合格。"),
	(YUNTIANHUA, [PHOSPHATE, COMPOUND], "DLTGX-BMD-2023-002", "Active", 88, "磷肥产能稳定，供货及时。"),
	(HUBEI_YIHUA, [NITROGEN], "DLTGX-BMD-2023-003", "Active", 85, "尿素供货稳定。"),
	(
		HUBEI_YIHUA,
		[COMPOUND],
		"DLTGX-BMD-2023-004",
		"Suspended",
		58,
		"2023 年 10 月抽检复合肥总养分低于标称值，暂停复合肥供货资格，整改后复评。",
	),
	(TIANRUN_FILM, [FILM], "DLTGX-BMD-2023-005", "Active", 90, "地膜厚度、拉伸强度符合 GB 13735。"),
)

# Demand of the demo season: (town, village) -> lines (item, qty, uom), and how far it got.
SUBMITTED_ON = "2023-09-11"
DEMO_SURVEYS = (
	(
		("树林召镇", "新民堡村"),
		"Forwarded",
		[(UREA, 320, BAG), (DAP, 180, BAG), (NPK, 260, BAG), (MULCH_FILM, 1.5, TON)],
	),
	(("树林召镇", "林原村"), "Forwarded", [(UREA, 10, TON), (NPK, 150, BAG), (CORN_SEED, 90, BAG)]),
	(("树林召镇", "东海心村"), "Reviewed", [(UREA, 240, BAG), (SOP_NPK, 120, BAG), (MULCH_FILM, 1.2, TON)]),
	(("树林召镇", "五股地村"), "Submitted", [(UREA, 150, BAG), (DAP, 90, BAG)]),
	(
		("昭君镇", "昭君坟村"),
		"Forwarded",
		[(UREA, 280, BAG), (DAP, 200, BAG), (SOP_NPK, 160, BAG), (MULCH_FILM, 2, TON)],
	),
	(("昭君镇", "柴磴村"), "Submitted", [(NPK, 140, BAG), (CORN_SEED, 60, BAG)]),
	(("昭君镇", "和胜村"), "Draft", [(UREA, 200, BAG), (NPK, 100, BAG)]),
)
MEMBER_LINES_PER_SURVEY = 2  # the first lines name one of the village's members, when it has any


def load_demo_purchasing_masters():
	ensure_uoms()
	ensure_item_groups()
	ensure_price_list()
	for item_code, values in DEMO_ITEMS.items():
		ensure_item(item_code, **values)
	group = create_supplier_group(SUPPLIER_GROUP)
	for supplier in DEMO_SUPPLIERS:
		create_supplier(supplier, group, supplier_type="Company", country="China")
	for supplier, item_groups, contract, state, score, notes in DEMO_WHITELIST:
		ensure_whitelist(supplier, item_groups, contract, state, score, notes)
	for (town, village), review_state, lines in DEMO_SURVEYS:
		ensure_survey(town, village, review_state, lines)


def get_market_price(item_code: str, uom: str | None = None) -> float | None:
	"""The item's reference market price (Price List 市场价) per `uom` (default: stock unit)."""
	filters = {"price_list": MARKET_PRICE_LIST, "item_code": item_code}
	if uom:
		filters["uom"] = uom
	return frappe.db.get_value("Item Price", filters, "price_list_rate", order_by="valid_from desc")


# -- masters


def ensure_uoms():
	for uom, whole in ((BAG, 1), (TON, 0)):
		create_uom(uom, whole)


def ensure_item_groups():
	for name, (parent, is_group) in DEMO_ITEM_GROUPS.items():
		create_item_group(name, parent, is_group)


def ensure_price_list():
	currency = frappe.db.get_value("Company", company(), "default_currency") or "CNY"
	create_price_list(MARKET_PRICE_LIST, currency)


def company() -> str:
	return county_company() or COUNTY_SMC


def ensure_item(item_code, item_name, item_group, stock_uom, market_price):
	create_item(
		item_code,
		item_group,
		stock_uom,
		item_name=item_name,
		description=item_name,
		is_purchase_item=1,
		is_sales_item=1,
		include_item_in_manufacturing=0,
		uoms={TON: BAGS_PER_TON} if stock_uom == BAG and item_group != SEED else None,
	)
	create_item_price(
		item_code,
		MARKET_PRICE_LIST,
		market_price,
		stock_uom,
		valid_from=MARKET_PRICE_FROM,
		note="旗内农资市场零售参考价",
	)


def ensure_whitelist(supplier_name, item_groups, contract, state, score, notes):
	evaluator = "smc@dalate.demo" if frappe.db.exists("User", "smc@dalate.demo") else None
	create_whitelist(
		frappe.db.get_value("Supplier", {"supplier_name": supplier_name}, "name"),
		item_groups,
		contract_number=contract,
		valid_from=WHITELIST_FROM,
		valid_to=WHITELIST_TO,
		state=state,
		evaluation_score=score,
		evaluated_on="2023-08-28",
		evaluator=evaluator,
		quality_notes=notes,
	)


# -- demand surveys


def ensure_survey(town: str, village: str, review_state: str, lines):
	cooperative = village_name(town, village)
	if not frappe.db.exists("Cooperative", cooperative):
		return
	if frappe.db.exists(
		"Demand Survey", {"cooperative": cooperative, "season": DEMO_SEASON, "docstatus": ("<", 2)}
	):
		return
	members = frappe.get_all(
		"Coop Member", {"cooperative": cooperative}, pluck="name", order_by="name asc", limit=1
	)
	items = []
	for index, (item_code, qty, uom) in enumerate(lines):
		member = members[0] if members and index < MEMBER_LINES_PER_SURVEY else None
		items.append(
			{
				"item_code": item_code,
				"qty": qty,
				"uom": uom,
				"member": member,
				"remarks": "社员填报" if member else "村统购部汇总",
			}
		)
	survey = frappe.get_doc(
		{
			"doctype": "Demand Survey",
			"cooperative": cooperative,
			"season": DEMO_SEASON,
			"survey_date": "2023-09-08",
			"items": items,
		}
	)
	survey.insert(ignore_permissions=True)
	if review_state == "Draft":
		return
	survey.submit()
	if review_state == "Submitted":
		return  # submitted today: waiting for the town federation, not overdue yet

	# Submitted during the campaign's preparation in September 2023.
	submitted_on = getdate(SUBMITTED_ON)
	survey.review(remarks="已核对")
	if review_state == "Forwarded":
		survey.forward(remarks="已汇总报送旗供销社")
	values = {
		"submitted_on": submitted_on,
		"due_date": add_working_days(submitted_on, DUE_WORKING_DAYS),
		"reviewed_on": getdate("2023-09-13"),
		"reviewed_by": DEMO_TOWN_USER[0] if town == "树林召镇" else "smc@dalate.demo",
	}
	if review_state == "Forwarded":
		values["forwarded_on"] = getdate("2023-09-15")
	values["is_overdue"] = compute_is_overdue(
		{"docstatus": 1, "review_state": review_state, "due_date": values["due_date"]}, getdate(nowdate())
	)
	frappe.db.set_value("Demand Survey", survey.name, values, update_modified=False)
