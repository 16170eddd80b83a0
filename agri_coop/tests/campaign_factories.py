"""Factories for campaign tests: items, whitelisted suppliers, an open campaign, orders, made
with the builders of agri_coop.demo.builders."""

from datetime import timedelta

import frappe
from frappe.utils import add_days, now_datetime, nowdate

from agri_coop.demo import builders
from agri_coop.demo.campaigns import STATION
from agri_coop.tests.utils import create_member

TEST_ITEM_GROUP = "测试化肥"
ITEMS = {"测试尿素": ("测试供应商甲", 100.0, 120.0), "测试地膜": ("测试供应商乙", 30.0, 36.5)}


def ensure_item(item_code: str, item_group: str = TEST_ITEM_GROUP) -> str:
	builders.create_item(item_code, builders.create_item_group(item_group))
	return item_code


def ensure_supplier(name: str, whitelisted_for: str | None = TEST_ITEM_GROUP, state: str = "Active") -> str:
	builders.create_supplier(name)
	if whitelisted_for and not frappe.db.exists("Supplier Whitelist", {"supplier": name}):
		builders.create_whitelist(
			name,
			[whitelisted_for],
			contract_number=f"HT-{name}",
			valid_from=add_days(nowdate(), -365),
			valid_to=add_days(nowdate(), 365),
			state=state,
		)
	return name


def create_campaign(title: str = "测试统购活动", items: dict | None = None, open_it: bool = True, **values):
	items = items or ITEMS
	for code, (supplier, _cost, _price) in items.items():
		ensure_item(code)
		ensure_supplier(supplier)
	now = now_datetime()
	fields = {
		"season": "测试春耕",
		"opens_on": now - timedelta(hours=1),
		"closes_on": now + timedelta(hours=2),
		"delivery_date": add_days(nowdate(), 7),
		**values,
	}
	doc = builders.create_campaign(title, items, STATION, **fields)
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
	return builders.create_order(campaign, cooperative, rows, submit)
