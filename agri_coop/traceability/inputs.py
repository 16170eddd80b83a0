"""Farm-input categories (seed 001 §二 9 药肥双控): which items are pesticides, restricted-use
pesticides, fertilisers or seeds, and which are batch-tracked through ERPNext's own Batch.

The category is the Item's own, or else its Item Group's (nearest group up the tree that
has one). Pesticides are always batch- and expiry-tracked; other categories when the item
says so. One query answers any number of items (`input_rules`)."""

import frappe
from frappe.query_builder import DocType

from agri_coop.utils.messages import Msg, throw

PESTICIDE = "Pesticide"
RESTRICTED_PESTICIDE = "Restricted-use Pesticide"
FERTILISER = "Fertiliser"
SEED = "Seed"
PESTICIDES = (PESTICIDE, RESTRICTED_PESTICIDE)
# shelf life given to a pesticide that has none (ERPNext sets a batch's expiry from it)
DEFAULT_PESTICIDE_SHELF_LIFE_DAYS = 730
BATCH_NUMBER_SERIES = "PC-.YYYY.-.#####"


class InputRuleError(frappe.ValidationError):
	pass


def group_category(item_group: str | None) -> str | None:
	"""The category of the nearest Item Group up the tree that has one."""
	if not item_group:
		return None
	Group = DocType("Item Group")
	lft, rgt = frappe.db.get_value("Item Group", item_group, ["lft", "rgt"]) or (None, None)
	if lft is None:
		return None
	row = (
		frappe.qb.from_(Group)
		.select(Group.agri_coop_input_category)
		.where((Group.lft <= lft) & (Group.rgt >= rgt) & (Group.agri_coop_input_category.isnotnull()))
		.where(Group.agri_coop_input_category != "")
		.orderby(Group.lft, order=frappe.qb.desc)
		.limit(1)
		.run()
	)
	return row[0][0] if row else None


def apply_item_rules(doc, method=None):
	"""Item.validate: the category from the group when the item has none; pesticides carry a
	registration number and are batch- and expiry-tracked in ERPNext's stock ledger."""
	category = doc.get("agri_coop_input_category") or group_category(doc.item_group)
	if category and not doc.get("agri_coop_input_category"):
		doc.agri_coop_input_category = category
	if category in PESTICIDES:
		if not (doc.get("agri_coop_registration_no") or "").strip():
			throw(
				"Item {0}: a pesticide needs its registration number (农药登记证号)",
				doc.item_code or doc.item_name,
				exc=InputRuleError,
			)
		doc.agri_coop_requires_batch = 1
	if doc.get("agri_coop_requires_batch"):
		if not doc.is_stock_item:
			throw("Item {0}: a batch-tracked input must be a stock item", doc.item_code, exc=InputRuleError)
		doc.has_batch_no = 1
		doc.has_expiry_date = 1
		# a receipt without a typed batch still gets one (ERPNext names it from the series)
		doc.create_new_batch = 1
		doc.batch_number_series = doc.batch_number_series or BATCH_NUMBER_SERIES
		if not doc.shelf_life_in_days:
			doc.shelf_life_in_days = DEFAULT_PESTICIDE_SHELF_LIFE_DAYS


def input_rules(item_codes) -> dict:
	"""item_code -> its category, registration, producer and batch flag, for many items at once."""
	codes = sorted({c for c in item_codes if c})
	if not codes:
		return {}
	return {
		row.name: row
		for row in frappe.get_all(
			"Item",
			{"name": ("in", codes)},
			[
				"name",
				"item_name",
				"stock_uom",
				"agri_coop_input_category as category",
				"agri_coop_registration_no as registration_no",
				"agri_coop_producer as producer",
				"agri_coop_producer_licence as producer_licence",
				"has_batch_no",
				"agri_coop_requires_batch as traced",
			],
		)
	}


def is_pesticide(rule) -> bool:
	return bool(rule) and rule.category in PESTICIDES


CATEGORY_LABELS = {c: Msg(c) for c in (PESTICIDE, RESTRICTED_PESTICIDE, FERTILISER, SEED, "Other")}
