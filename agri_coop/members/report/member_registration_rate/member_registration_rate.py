"""社员上线率: registered members against agricultural producers, by town and village.

Seed 000 §一 sets the target: 80% of the county's agricultural producers registered (上线) on
the platform. A member is registered when its state is Active; on a past `as_on_date` a member
counts as registered if it went Active on or before that date (members Active without a
date count as registered), and one that went Active later counts as pre-registered then.
Pre-registered and Suspended are today's states (there is no state history to look back on).

Rows: each town federation (indent 0) followed by its villages (indent 1), then a total row.
A town row and the total are computed from the rows shown, which are read through
`frappe.get_list`, so a town or village user's User Permission scopes the rows, the counts
and the totals alike. Disabled co-ops are left out.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, today

from agri_coop.constants.cooperatives import TOWN, VILLAGE
from agri_coop.security.boundary import allowed_cooperatives
from agri_coop.utils.lookups import validate_town_filter
from agri_coop.utils.messages import Msg, throw

TARGET_RATE = 80  # percent of agricultural producers registered on the platform (seed 000 §一)
BATCHES = ("First", "Second")
ACTIVE, PRE_REGISTERED, SUSPENDED = "Active", "Pre-registered", "Suspended"
COUNTS = ("producer_count", "registered", "pre_registered", "suspended")


def execute(filters=None):
	filters = validate_filters(filters)
	columns = get_columns()
	data, total = get_data(filters)
	chart = get_chart(data)
	report_summary = get_report_summary(total, filters)
	return columns, data, None, chart, report_summary


def validate_filters(filters) -> frappe._dict:
	filters = frappe._dict(filters or {})
	filters.as_on_date = getdate(filters.as_on_date or today())
	validate_town_filter(filters.town)
	if filters.batch and filters.batch not in BATCHES:
		throw("Field {0}: '{1}' is not a rollout batch", Msg("Rollout Batch"), filters.batch)
	return filters


def get_columns() -> list[dict]:
	return [
		{"label": _("Town / Village"), "fieldname": "region_name", "fieldtype": "Data", "width": 180},
		{
			"label": _("Cooperative"),
			"fieldname": "cooperative",
			"fieldtype": "Link",
			"options": "Cooperative",
			"width": 240,
		},
		{
			"label": _("Agricultural Producers"),
			"fieldname": "producer_count",
			"fieldtype": "Int",
			"width": 120,
		},
		{"label": _("Registered Members"), "fieldname": "registered", "fieldtype": "Int", "width": 120},
		{
			"label": _("Pre-registered Members"),
			"fieldname": "pre_registered",
			"fieldtype": "Int",
			"width": 120,
		},
		{"label": _("Suspended Members"), "fieldname": "suspended", "fieldtype": "Int", "width": 110},
		{
			"label": _("Registration Rate"),
			"fieldname": "registration_rate",
			"fieldtype": "Percent",
			"precision": 1,
			"width": 110,
		},
		{
			"label": _("Target"),
			"fieldname": "target_rate",
			"fieldtype": "Percent",
			"precision": 1,
			"width": 80,
		},
		{"label": _("Still Needed for Target"), "fieldname": "needed", "fieldtype": "Int", "width": 130},
		{"label": _("Target Met"), "fieldname": "target_met", "fieldtype": "Check", "width": 90},
	]


def get_data(filters) -> tuple[list[dict], dict | None]:
	towns, villages = get_cooperatives(filters)
	counts = get_member_counts([v.name for v in villages], filters.as_on_date)

	villages_of = {}
	for village in villages:
		villages_of.setdefault(village.town, []).append(village)

	data, shown_villages = [], []
	for town in towns:
		rows = [
			village_row(village, counts, parent=town.name, indent=1)
			for village in villages_of.pop(town.name, [])
		]
		town_row = summed_row(rows, region_name=town.region_name or town.name, cooperative=town.name)
		town_row["is_town"] = 1
		data.append(town_row)
		data.extend(rows)
		shown_villages.extend(rows)
	# Villages whose town the user may not see (a village user): top-level rows of their own.
	for village in villages:
		if village.town in villages_of:
			row = village_row(village, counts, parent=None, indent=0)
			data.append(row)
			shown_villages.append(row)

	if not data:
		return [], None
	total = summed_row(shown_villages, region_name=_("Total"), cooperative=None)
	total["is_total_row"] = 1
	data.append(total)
	return data, total


def get_cooperatives(filters):
	"""Towns and villages the user may see (User Permissions apply), in tree order."""
	conditions = {"cooperative_type": ["in", [TOWN, VILLAGE]], "disabled": 0}
	if filters.town:
		conditions["town"] = filters.town  # a town's `town` is itself
	cooperatives = frappe.get_list(
		"Cooperative",
		filters=conditions,
		fields=[
			"name",
			"region_name",
			"cooperative_type",
			"town",
			"producer_count",
			"town.batch as town_batch",
			"town.disabled as town_disabled",
		],
		order_by="`tabCooperative`.`lft` asc",
		limit_page_length=0,
	)
	cooperatives = [
		c
		for c in cooperatives
		if not cint(c.town_disabled) and (not filters.batch or c.town_batch == filters.batch)
	]
	towns = [c for c in cooperatives if c.cooperative_type == TOWN]
	villages = [c for c in cooperatives if c.cooperative_type == VILLAGE]
	return towns, villages


def get_member_counts(villages: list[str], as_on_date) -> dict[str, dict[str, int]]:
	"""{village: {state: members}} as on the date, read with the user's permissions."""
	counts = {village: {ACTIVE: 0, PRE_REGISTERED: 0, SUSPENDED: 0} for village in villages}
	if not villages:
		return counts
	for row in frappe.get_list(
		"Coop Member",
		filters={"cooperative": ["in", villages]},
		fields=["cooperative", "state", "count(name) as members"],
		group_by="cooperative, state",
		order_by="cooperative asc",
		limit_page_length=0,
	):
		if row.state in counts[row.cooperative]:
			counts[row.cooperative][row.state] += cint(row.members)
	# Active now but registered after the date: not yet registered on that date.
	for row in frappe.get_list(
		"Coop Member",
		filters={"cooperative": ["in", villages], "state": ACTIVE, "registered_on": [">", as_on_date]},
		fields=["cooperative", "count(name) as members"],
		group_by="cooperative",
		order_by="cooperative asc",
		limit_page_length=0,
	):
		counts[row.cooperative][ACTIVE] -= cint(row.members)
		counts[row.cooperative][PRE_REGISTERED] += cint(row.members)
	return counts


def village_row(village, counts, parent: str | None, indent: int) -> dict:
	members = counts[village.name]
	return with_rates(
		{
			"region_name": village.region_name or village.name,
			"cooperative": village.name,
			"parent_cooperative": parent,
			"indent": indent,
			"producer_count": cint(village.producer_count),
			"registered": members[ACTIVE],
			"pre_registered": members[PRE_REGISTERED],
			"suspended": members[SUSPENDED],
		}
	)


def summed_row(rows: list[dict], region_name: str, cooperative: str | None) -> dict:
	row = {"region_name": region_name, "cooperative": cooperative, "parent_cooperative": None, "indent": 0}
	row.update({key: sum(r[key] for r in rows) for key in COUNTS})
	row["bold"] = 1
	return with_rates(row)


def with_rates(row: dict) -> dict:
	producers, registered = row["producer_count"], row["registered"]
	target_count = target_members(producers)
	row.update(
		{
			"registration_rate": flt(registered * 100 / producers, 1) if producers else 0.0,
			"target_rate": flt(TARGET_RATE),
			"needed": max(target_count - registered, 0),
			"target_met": 1 if producers and registered >= target_count else 0,
		}
	)
	return row


def target_members(producers: int) -> int:
	"""ceil(80% × producers), in integers (0.8 × 35 is 28.000000000000004 in floats)."""
	return (TARGET_RATE * producers + 99) // 100


def get_chart(data: list[dict]) -> dict | None:
	"""Registration rate by town, or by village when the rows hold a single town (or none)."""
	if not data:
		return None
	towns = [r for r in data if r.get("is_town")]
	if len(towns) > 1:
		bars = towns
	else:
		bars = [r for r in data if not r.get("is_town") and not r.get("is_total_row")]
	if not bars:
		return None
	return {
		"data": {
			"labels": [r["region_name"] for r in bars],
			"datasets": [{"name": _("Registration Rate"), "values": [r["registration_rate"] for r in bars]}],
			"yMarkers": [
				{
					"label": _("Target {0}%").format(TARGET_RATE),
					"value": TARGET_RATE,
					"options": {"labelPos": "left"},
				}
			],
		},
		"type": "bar",
		"fieldtype": "Percent",
		"colors": ["#2490ef"],
		"barOptions": {"spaceRatio": 0.4},
	}


def get_report_summary(total: dict | None, filters) -> list[dict] | None:
	if not total:
		return None
	county_wide = allowed_cooperatives() is None and not filters.town and not filters.batch
	rate_label = _("County Registration Rate") if county_wide else _("Registration Rate")
	return [
		{"value": total["producer_count"], "label": _("Agricultural Producers"), "datatype": "Int"},
		{
			"value": total["registered"],
			"label": _("Registered Members"),
			"datatype": "Int",
			"indicator": "Blue",
		},
		{
			"value": total["registration_rate"],
			"label": rate_label,
			"datatype": "Percent",
			"indicator": "Green" if total["target_met"] else "Red",
		},
		{"value": TARGET_RATE, "label": _("Target"), "datatype": "Percent"},
		{
			"value": total["needed"],
			"label": _("Still Needed for Target"),
			"datatype": "Int",
			"indicator": "Green" if not total["needed"] else "Orange",
		},
	]
