"""The supplier whitelist rule (白名单), written once.

Seed 000 §五(二)/(五): the county SMC evaluates, contracts and manages a whitelist of
suppliers, and holds them to it. A supplier may supply an item on a date when it has a
Supplier Whitelist entry that is
- Active (not Suspended, not Removed),
- valid on that date (valid_from <= date <= valid_to), and
- whitelisted for the item's Item Group or for one of that group's ancestors in the Item
  Group tree (an entry for 化肥 covers 复合肥 under 化肥).

Campaign items and Purchase Orders made for a campaign use `assert_whitelisted`; anything
that only wants to know uses `is_whitelisted`. Both read the whitelist whatever the
current user may see: the rule holds for everyone.
"""

import frappe
from frappe.utils import getdate

from agri_coop.utils.messages import Msg, throw

ACTIVE, SUSPENDED, REMOVED = "Active", "Suspended", "Removed"
WHITELIST_STATES = (ACTIVE, SUSPENDED, REMOVED)

# Why a supplier is not admitted (the first reason that applies, most specific first).
NO_ENTRY = "no entry"
WRONG_GROUP = "wrong group"
SUSPENDED_ENTRY = "suspended"
REMOVED_ENTRY = "removed"
NOT_YET_VALID = "not yet valid"
EXPIRED = "expired"


class SupplierNotWhitelistedError(frappe.ValidationError):
	pass


def is_whitelisted(supplier: str, item_code: str, on_date) -> bool:
	"""Whether `supplier` may supply `item_code` on `on_date`."""
	return check_whitelist(supplier, item_code, on_date)[0] is None


def assert_whitelisted(supplier: str, item_code: str, on_date, row_label=None) -> str:
	"""Raise SupplierNotWhitelistedError unless `supplier` may supply `item_code` on `on_date`.

	The error names the supplier, the item, the date and (if given) the row, and says why.
	Returns the name of the whitelist entry that admits the supplier.
	"""
	reason, entry = check_whitelist(supplier, item_code, on_date)
	if reason is None:
		return entry
	on_date = getdate(on_date) if on_date else None
	item_name = frappe.db.get_value("Item", item_code, "item_name")
	item = f"{item_code} ({item_name})" if item_name and item_name != item_code else item_code
	if row_label not in (None, ""):
		throw(
			"Row {0}: supplier {1} may not supply {2} on {3}: {4}",
			row_label,
			supplier or "-",
			item,
			on_date or "-",
			explain(reason, entry, supplier, item_code),
			exc=SupplierNotWhitelistedError,
		)
	throw(
		"Supplier {0} may not supply {1} on {2}: {3}",
		supplier or "-",
		item,
		on_date or "-",
		explain(reason, entry, supplier, item_code),
		exc=SupplierNotWhitelistedError,
	)


def check_whitelist(supplier: str, item_code: str, on_date) -> tuple[str | None, dict | str | None]:
	"""(None, entry name) when admitted, else (reason, the entry the reason is about)."""
	if not supplier or not item_code or not on_date:
		return NO_ENTRY, None
	on_date = getdate(on_date)
	entries = whitelist_entries(supplier)
	if not entries:
		return NO_ENTRY, None
	groups = item_group_lineage(item_code)
	covering = [e for e in entries if groups & set(e.item_groups)]
	if not covering:
		return WRONG_GROUP, None

	def valid(entry):
		return entry.valid_from <= on_date <= entry.valid_to

	for entry in covering:
		if entry.state == ACTIVE and valid(entry):
			return None, entry.name
	# Not admitted: say the most telling reason, a state that applies on the date first.
	for state, reason in ((SUSPENDED, SUSPENDED_ENTRY), (REMOVED, REMOVED_ENTRY)):
		for entry in covering:
			if entry.state == state and valid(entry):
				return reason, entry
	active = [e for e in covering if e.state == ACTIVE]
	if active:
		later = [e for e in active if e.valid_from > on_date]
		if later:
			return NOT_YET_VALID, min(later, key=lambda e: e.valid_from)
		return EXPIRED, max(active, key=lambda e: e.valid_to)
	entry = max(covering, key=lambda e: e.valid_to)
	return (SUSPENDED_ENTRY if entry.state == SUSPENDED else REMOVED_ENTRY), entry


def explain(reason: str, entry, supplier: str, item_code: str) -> Msg:
	if reason == NO_ENTRY:
		return Msg("the supplier has no entry in the supplier whitelist")
	if reason == WRONG_GROUP:
		item_group = frappe.db.get_value("Item", item_code, "item_group") or "-"
		whitelisted = sorted({g for e in whitelist_entries(supplier) for g in e.item_groups})
		return Msg(
			"its whitelist entries cover {0}, not the item group {1}", "、".join(whitelisted), item_group
		)
	if reason == SUSPENDED_ENTRY:
		return Msg("its whitelist entry {0} is suspended", entry.name)
	if reason == REMOVED_ENTRY:
		return Msg("its whitelist entry {0} has been removed", entry.name)
	if reason == NOT_YET_VALID:
		return Msg(
			"its whitelist entry {0} is not valid yet (valid {1} to {2})",
			entry.name,
			entry.valid_from,
			entry.valid_to,
		)
	return Msg("its whitelist entry {0} expired on {1}", entry.name, entry.valid_to)


def whitelist_entries(supplier: str) -> list[frappe._dict]:
	"""Every whitelist entry of the supplier with its item groups (whatever the user may read)."""
	Whitelist = frappe.qb.DocType("Supplier Whitelist")
	Group = frappe.qb.DocType("Supplier Whitelist Item Group")
	rows = (
		frappe.qb.from_(Whitelist)
		.left_join(Group)
		.on((Group.parent == Whitelist.name) & (Group.parenttype == "Supplier Whitelist"))
		.select(
			Whitelist.name,
			Whitelist.state,
			Whitelist.valid_from,
			Whitelist.valid_to,
			Group.item_group,
		)
		.where(Whitelist.supplier == supplier)
		.orderby(Whitelist.valid_from)
		.orderby(Whitelist.name)
		.run(as_dict=True)
	)
	entries: dict[str, frappe._dict] = {}
	for row in rows:
		entry = entries.setdefault(
			row.name,
			frappe._dict(
				name=row.name,
				state=row.state,
				valid_from=getdate(row.valid_from),
				valid_to=getdate(row.valid_to),
				item_groups=[],
			),
		)
		if row.item_group:
			entry.item_groups.append(row.item_group)
	return list(entries.values())


def item_group_lineage(item_code: str) -> set[str]:
	"""The item's Item Group and all its ancestors in the Item Group tree."""
	item_group = frappe.db.get_value("Item", item_code, "item_group")
	if not item_group:
		return set()
	bounds = frappe.db.get_value("Item Group", item_group, ["lft", "rgt"], as_dict=True)
	if not bounds:
		return {item_group}
	ancestors = frappe.get_all(
		"Item Group",
		filters={"lft": ["<=", bounds.lft], "rgt": [">=", bounds.rgt]},
		pluck="name",
	)
	return {item_group, *ancestors}


def validate_purchase_order(doc, method=None):
	"""Purchase Order.validate: one made for a campaign (`agri_coop_campaign` set) buys only
	from suppliers actively whitelisted for each item on its date; other orders are left alone."""
	if not doc.get("agri_coop_campaign"):
		return
	if not doc.get("supplier"):
		throw(
			"Field {0} is required on a purchase order for campaign {1}",
			Msg("Supplier"),
			doc.get("agri_coop_campaign"),
			exc=SupplierNotWhitelistedError,
		)
	admitted = set()  # a consolidated order often has several rows of the same item
	for row in doc.get("items") or []:
		if not row.get("item_code") or row.item_code in admitted:
			continue
		assert_whitelisted(doc.supplier, row.item_code, doc.transaction_date, row_label=row.idx)
		admitted.add(row.item_code)
