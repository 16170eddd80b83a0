"""What the leadership reports share: the towns and villages the user may see, and the
user's scope as a filter for queries that read ERPNext documents or child rows directly.

Towns and villages are read with `frappe.get_list` on Cooperative, so a town or village user's
User Permission (expanded by Frappe to the node's descendants) scopes every row, total,
chart and number card built on them. Queries that do not go through `frappe.get_list`
(grouped reads of child tables and ERPNext's documents) filter on `allowed_cooperatives()`
explicitly, the one scope of agri_coop.security.boundary.
"""

import frappe
from frappe.utils import cint

from agri_coop.constants.cooperatives import TOWN, VILLAGE
from agri_coop.security.boundary import allowed_cooperatives


def visible_cooperatives(town: str | None = None, batch: str | None = None) -> list[frappe._dict]:
	"""Enabled towns and villages the user may read, in tree order (towns before their villages)."""
	conditions = {"cooperative_type": ["in", [TOWN, VILLAGE]], "disabled": 0}
	if town:
		conditions["town"] = town  # a town's `town` is itself
	rows = frappe.get_list(
		"Cooperative",
		filters=conditions,
		fields=[
			"name",
			"region_name",
			"cooperative_type",
			"town",
			"producer_count",
			"batch",
			"approval_state",
			"approved_on",
			"registered_on",
			"lft",
			"town.batch as town_batch",
			"town.disabled as town_disabled",
		],
		order_by="`tabCooperative`.`lft` asc",
		limit_page_length=0,
	)
	return [
		row
		for row in rows
		if not cint(row.town_disabled) and (not batch or (row.town_batch or row.batch) == batch)
	]


def split_levels(cooperatives) -> tuple[list, list]:
	towns = [c for c in cooperatives if c.cooperative_type == TOWN]
	villages = [c for c in cooperatives if c.cooperative_type == VILLAGE]
	return towns, villages


def scope_filter(field, names=None):
	"""A query-builder condition keeping rows of the user's co-ops (and of `names`, when
	given), or None when nothing restricts them."""
	allowed = allowed_cooperatives()
	if allowed is None and names is None:
		return None
	keep = set(allowed) if allowed is not None else set(names)
	if allowed is not None and names is not None:
		keep &= set(names)
	return field.isin(sorted(keep) or [""])


def is_county_wide() -> bool:
	return allowed_cooperatives() is None


def region(row) -> str:
	return row.region_name or row.name
