"""Record builders, written once: the demo (`agri_coop.demo`), the tests (directly and through
`agri_coop.tests.campaign_factories`) and the benchmarks all make their co-ops, purchasing
departments, service stations, items, suppliers, whitelist entries, campaigns and orders here.

The builders of masters (all but campaigns and orders) are
idempotent: what exists already (by name, supplier name, contract number) is given back as it
is. A campaign or an order is a new document on every call (the caller decides whether one is
there already). Records are inserted as the session user, with that user's permission checks:
the demo runs as Administrator (the command, `before_tests`); a test that sets another user
gets what that user may do.
"""

import frappe
from frappe.utils.nestedset import get_root_of

from agri_coop.organisation.doctype.service_station.service_station import SMC_SERVICE_STATION
from agri_coop.utils.lookups import county_company

# -- co-ops and stations


def create_cooperative(name: str, cooperative_type: str, parent: str | None, **values):
	"""A Cooperative under `parent` (its region name is its name unless told)."""
	if frappe.db.exists("Cooperative", name):
		return frappe.get_doc("Cooperative", name)
	return frappe.get_doc(
		{
			"doctype": "Cooperative",
			"cooperative_name": name,
			"region_name": values.pop("region_name", name),
			"cooperative_type": cooperative_type,
			"parent_cooperative": parent,
			**values,
		}
	).insert()


def create_department(cooperative: str, head: str, head_mobile: str, staff: list[dict], **values):
	"""The co-op's Purchasing Department, made when it has none."""
	name = frappe.db.get_value("Purchasing Department", {"cooperative": cooperative}, "name")
	if name:
		return frappe.get_doc("Purchasing Department", name)
	return frappe.get_doc(
		{
			"doctype": "Purchasing Department",
			"cooperative": cooperative,
			"head": head,
			"head_mobile": head_mobile,
			"staff": staff,
			**values,
		}
	).insert()


def create_station(station_name: str, cooperative: str, station_type: str = SMC_SERVICE_STATION, **values):
	if frappe.db.exists("Service Station", station_name):
		return frappe.get_doc("Service Station", station_name)
	return frappe.get_doc(
		{
			"doctype": "Service Station",
			"station_name": station_name,
			"station_type": station_type,
			"cooperative": cooperative,
			**values,
		}
	).insert()


# -- purchasing masters


def create_uom(name: str, whole: int = 0) -> str:
	if not frappe.db.exists("UOM", name):
		frappe.get_doc({"doctype": "UOM", "uom_name": name, "must_be_whole_number": whole}).insert()
	return name


def create_item_group(name: str, parent: str | None = None, is_group: int = 0) -> str:
	"""An Item Group under `parent` (default: the tree's root)."""
	if not frappe.db.exists("Item Group", name):
		frappe.get_doc(
			{
				"doctype": "Item Group",
				"item_group_name": name,
				"parent_item_group": parent or get_root_of("Item Group"),
				"is_group": is_group,
			}
		).insert()
	return name


def create_item(item_code: str, item_group: str, stock_uom: str = "Nos", **values):
	"""A stock item; `uoms={"吨": 20}` adds units with their conversion to the stock unit."""
	if frappe.db.exists("Item", item_code):
		return frappe.get_doc("Item", item_code)
	uoms = values.pop("uoms", None) or {}
	for uom in (stock_uom, *uoms):
		create_uom(uom)
	return frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": item_code,
			"item_name": values.pop("item_name", item_code),
			"item_group": item_group,
			"stock_uom": stock_uom,
			"is_stock_item": 1,
			"uoms": [{"uom": stock_uom, "conversion_factor": 1}]
			+ [{"uom": uom, "conversion_factor": factor} for uom, factor in uoms.items()],
			**values,
		}
	).insert()


def create_price_list(name: str, currency: str, buying: int = 1, selling: int = 0) -> str:
	if not frappe.db.exists("Price List", name):
		frappe.get_doc(
			{
				"doctype": "Price List",
				"price_list_name": name,
				"currency": currency,
				"buying": buying,
				"selling": selling,
				"enabled": 1,
			}
		).insert()
	return name


def create_item_price(item_code: str, price_list: str, rate: float, uom: str, **values):
	"""The item's price in `price_list`, unless it has one there already."""
	if not frappe.db.exists("Item Price", {"item_code": item_code, "price_list": price_list}):
		frappe.get_doc(
			{
				"doctype": "Item Price",
				"item_code": item_code,
				"price_list": price_list,
				"uom": uom,
				"price_list_rate": rate,
				**values,
			}
		).insert()


def create_supplier_group(name: str) -> str:
	"""A (leaf) Supplier Group under the tree's root."""
	if not frappe.db.exists("Supplier Group", name):
		frappe.get_doc(
			{
				"doctype": "Supplier Group",
				"supplier_group_name": name,
				"parent_supplier_group": get_root_of("Supplier Group"),
				"is_group": 0,
			}
		).insert()
	return name


def create_supplier(supplier_name: str, supplier_group: str | None = None, **values) -> str:
	"""The Supplier of that name (default group: the first leaf group of the tree)."""
	name = frappe.db.get_value("Supplier", {"supplier_name": supplier_name}, "name")
	if name:
		return name
	group = supplier_group or frappe.db.get_value(
		"Supplier Group", {"is_group": 0}, "name", order_by="lft asc"
	)
	return (
		frappe.get_doc(
			{"doctype": "Supplier", "supplier_name": supplier_name, "supplier_group": group, **values}
		)
		.insert()
		.name
	)


def create_whitelist(supplier: str, item_groups, **values):
	"""A Supplier Whitelist entry (valid in 2024 unless told); the same contract number gives
	back the existing entry."""
	contract = values.pop("contract_number", None) or f"测试合同-{supplier}-{'-'.join(item_groups)}"
	existing = frappe.db.get_value("Supplier Whitelist", {"contract_number": contract}, "name")
	if existing:
		return frappe.get_doc("Supplier Whitelist", existing)
	return frappe.get_doc(
		{
			"doctype": "Supplier Whitelist",
			"supplier": supplier,
			"item_groups": [{"item_group": group} for group in item_groups],
			"contract_number": contract,
			"valid_from": values.pop("valid_from", "2024-01-01"),
			"valid_to": values.pop("valid_to", "2024-12-31"),
			"state": values.pop("state", "Active"),
			**values,
		}
	).insert()


# -- campaigns and orders


def create_campaign(title: str, items: dict, station: str, **values):
	"""A Draft Purchase Campaign of the county company (unless `company` is given).

	items: item_code -> (supplier, purchase rate, uniform sale price), delivered by `station`;
	values: the campaign's other fields (season, opens_on, closes_on, delivery_date, ...)."""
	return frappe.get_doc(
		{
			"doctype": "Purchase Campaign",
			"campaign_title": title,
			"company": values.pop("company", None) or county_company(),
			"items": [
				{
					"item_code": code,
					"supplier": supplier,
					"purchase_rate": cost,
					"sale_price": price,
					"min_qty": 1,
					"delivering_station": station,
				}
				for code, (supplier, cost, price) in items.items()
			],
			**values,
		}
	).insert()


def create_order(campaign: str, cooperative: str, lines: list[dict], submit: bool = True):
	"""A Campaign Order of a village co-op; lines: dicts of member, item_code, qty (and rate,
	payment_mode)."""
	doc = frappe.get_doc(
		{"doctype": "Campaign Order", "campaign": campaign, "cooperative": cooperative, "lines": lines}
	).insert()
	if submit:
		doc.submit()
	return doc
