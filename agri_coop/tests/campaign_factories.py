"""Factories for campaign tests: items, whitelisted suppliers, an open campaign, orders."""

from datetime import timedelta

import frappe
from frappe.utils import add_days, now_datetime, nowdate

from agri_coop.tests.utils import create_member

TEST_ITEM_GROUP = "测试化肥"
STATION = "树林召镇供销合作服务站"
ITEMS = {"测试尿素": ("测试供应商甲", 100.0, 120.0), "测试地膜": ("测试供应商乙", 30.0, 36.5)}


def company() -> str:
	return frappe.db.get_value("Cooperative", {"cooperative_type": "County SMC"}, "company")


def ensure_item(item_code: str, item_group: str = TEST_ITEM_GROUP) -> str:
	if not frappe.db.exists("Item Group", item_group):
		frappe.get_doc({"doctype": "Item Group", "item_group_name": item_group,
			"parent_item_group": "All Item Groups"}).insert()  # fmt: skip
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc({"doctype": "Item", "item_code": item_code, "item_name": item_code, "item_group": item_group,
			"stock_uom": "Nos", "is_stock_item": 1}).insert()  # fmt: skip
	return item_code


def ensure_supplier(name: str, whitelisted_for: str | None = TEST_ITEM_GROUP, state: str = "Active") -> str:
	if not frappe.db.exists("Supplier", name):
		frappe.get_doc({"doctype": "Supplier", "supplier_name": name, "supplier_group": frappe.db.get_value(
			"Supplier Group", {"is_group": 0}, "name")}).insert()  # fmt: skip
	if whitelisted_for and not frappe.db.exists("Supplier Whitelist", {"supplier": name}):
		frappe.get_doc({"doctype": "Supplier Whitelist", "supplier": name, "contract_number": f"HT-{name}",
			"valid_from": add_days(nowdate(), -365), "valid_to": add_days(nowdate(), 365), "state": state,
			"item_groups": [{"item_group": whitelisted_for}]}).insert()  # fmt: skip
	return name


def create_campaign(title: str = "测试统购活动", items: dict | None = None, open_it: bool = True, **values):
	items = items or ITEMS
	now = now_datetime()
	doc = frappe.get_doc(
		{
			"doctype": "Purchase Campaign",
			"campaign_title": title,
			"season": "测试春耕",
			"company": company(),
			"opens_on": now - timedelta(hours=1),
			"closes_on": now + timedelta(hours=2),
			"delivery_date": add_days(nowdate(), 7),
			"items": [
				{
					"item_code": ensure_item(code),
					"supplier": ensure_supplier(supplier),
					"purchase_rate": cost,
					"sale_price": price,
					"min_qty": 1,
					"delivering_station": STATION,
				}
				for code, (supplier, cost, price) in items.items()
			],
			**values,
		}
	).insert()
	if open_it:
		doc.open_campaign()
	return doc


def create_order(campaign: str, cooperative: str, lines: list[tuple], submit: bool = True):
	"""lines: (member name or None for a new member of the village, item_code, qty[, rate])"""
	rows = []
	for line in lines:
		member, item_code, qty, *rate = line
		member = member or create_member(cooperative, state="Active").name
		rows.append({"member": member, "item_code": item_code, "qty": qty, "rate": rate[0] if rate else None})
	doc = frappe.get_doc({"doctype": "Campaign Order", "campaign": campaign, "cooperative": cooperative,
		"lines": rows}).insert()  # fmt: skip
	if submit:
		doc.submit()
	return doc
