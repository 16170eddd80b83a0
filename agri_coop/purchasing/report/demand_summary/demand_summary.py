"""需求汇总: the season's demand by item, town federation and village co-op.

Seed 000 §三(一)2: the village co-ops collect their demand, the town federations summarise
it within 7 working days and forward it to the county SMC, which negotiates with the
suppliers on the strength of the county's whole demand.

Rows (a tree): each item (indent 0; its total over the towns shown) followed by each town
federation's subtotal for it (indent 1) and the villages of that town (indent 2), then one
grand total row per unit of measure. Quantities are in the item's stock unit (a line entered
in another unit is converted on the survey). Only submitted surveys count (docstatus 1).

Surveys are read with `frappe.get_list`, so a town or village user's User Permission on
their co-op scopes the rows, the subtotals, the totals, the chart and the summary alike.
"""

import frappe
from frappe import _
from frappe.utils import flt, getdate, nowdate

from agri_coop.constants.cooperatives import VILLAGE
from agri_coop.purchasing.doctype.demand_survey.demand_survey import FORWARDED, compute_is_overdue
from agri_coop.utils.lookups import validate_town_filter
from agri_coop.utils.messages import Msg, throw

ITEM, TOWN_ROW, VILLAGE_ROW = 0, 1, 2  # indents


def execute(filters=None):
	filters = validate_filters(filters)
	columns = get_columns()
	surveys = get_surveys(filters)
	data, _totals = get_data(filters, surveys)
	chart = get_chart(data)
	report_summary = get_report_summary(filters, surveys, data)
	return columns, data, None, chart, report_summary


def validate_filters(filters) -> frappe._dict:
	filters = frappe._dict(filters or {})
	filters.season = " ".join((filters.season or "").split()) or latest_season()
	validate_town_filter(filters.town)
	if filters.item and not frappe.db.exists("Item", filters.item):
		throw("Field {0}: item {1} does not exist", Msg("Item"), filters.item)
	return filters


def latest_season() -> str | None:
	"""The season of the latest submitted survey the user may read."""
	seasons = get_seasons()
	return seasons[0] if seasons else None


@frappe.whitelist()
def get_seasons() -> list[str]:
	"""Seasons of the submitted surveys the user may read, latest first (for the filter)."""
	rows = frappe.get_list(
		"Demand Survey",
		filters={"docstatus": 1},
		fields=["season", "max(submitted_on) as last_submitted", "max(creation) as last_created"],
		group_by="season",
		order_by="last_submitted desc, last_created desc",
		limit_page_length=0,
	)
	return [row.season for row in rows]


def get_columns() -> list[dict]:
	return [
		# Item and UOM as plain text: query reports drop or refuse rows whose links the user may not read.
		{"label": _("Item"), "fieldname": "item_code", "fieldtype": "Data", "width": 150},
		{"label": _("Item Name"), "fieldname": "item_name", "fieldtype": "Data", "width": 150},
		{"label": _("Town / Village"), "fieldname": "region_name", "fieldtype": "Data", "width": 160},
		{
			"label": _("Cooperative"),
			"fieldname": "cooperative",
			"fieldtype": "Link",
			"options": "Cooperative",
			"width": 230,
		},
		{"label": _("Demand Qty"), "fieldname": "qty", "fieldtype": "Float", "precision": 2, "width": 110},
		{"label": _("UOM"), "fieldname": "uom", "fieldtype": "Data", "width": 70},
		{"label": _("Members Listed"), "fieldname": "members", "fieldtype": "Int", "width": 100},
		{
			"label": _("Demand Survey"),
			"fieldname": "survey",
			"fieldtype": "Link",
			"options": "Demand Survey",
			"width": 140,
		},
		{"label": _("Review State"), "fieldname": "review_state", "fieldtype": "Data", "width": 100},
		{"label": _("Review Overdue"), "fieldname": "is_overdue", "fieldtype": "Check", "width": 90},
	]


def survey_filters(filters) -> dict:
	conditions = {"docstatus": 1, "season": filters.season}
	if filters.town:
		conditions["town"] = filters.town
	return conditions


def get_surveys(filters) -> list[frappe._dict]:
	"""The season's submitted surveys the user may read (User Permissions apply)."""
	if not filters.season:
		return []
	surveys = frappe.get_list(
		"Demand Survey",
		filters=survey_filters(filters),
		fields=["name", "cooperative", "town", "village_name", "review_state", "due_date", "docstatus"],
		order_by="name asc",
		limit_page_length=0,
	)
	today = getdate(nowdate())
	for survey in surveys:
		survey.is_overdue = compute_is_overdue(survey, on_date=today)
	return surveys


def get_lines(filters, surveys) -> list[frappe._dict]:
	"""The surveys' demand lines, read through the same permission-checked query."""
	if not surveys:
		return []
	conditions = [["Demand Survey", key, "=", value] for key, value in survey_filters(filters).items()]
	if filters.item:
		conditions.append(["Demand Survey Item", "item_code", "=", filters.item])
	return frappe.get_list(
		"Demand Survey",
		filters=conditions,
		fields=[
			"name as survey",
			"`tabDemand Survey Item`.item_code as item_code",
			"`tabDemand Survey Item`.item_name as item_name",
			"`tabDemand Survey Item`.stock_uom as uom",
			"`tabDemand Survey Item`.stock_qty as qty",
			"`tabDemand Survey Item`.member as member",
		],
		order_by="`tabDemand Survey`.`name` asc",
		limit_page_length=0,
	)


def get_data(filters, surveys) -> tuple[list[dict], list[dict]]:
	survey_of = {s.name: s for s in surveys}
	lines = [line for line in get_lines(filters, surveys) if line.item_code and line.survey in survey_of]
	if not lines:
		return [], []
	coops = cooperative_info({s.cooperative for s in surveys} | {s.town for s in surveys if s.town})
	tree, items = group_lines(lines, survey_of)
	order = coop_order_key(coops)
	data = []
	for item_code in sorted(tree):
		data += item_rows(item_code, items[item_code], tree[item_code], survey_of, coops, order)
	total_rows = grand_total_rows(data)
	data.extend(total_rows)
	return data, total_rows


def group_lines(lines, survey_of) -> tuple[dict, dict]:
	"""(item -> town -> survey -> {qty, members}, item -> {item_name, uom}) of the lines."""
	tree: dict[str, dict[str, dict[str, dict]]] = {}
	items = {}
	for line in lines:
		survey = survey_of[line.survey]
		items.setdefault(line.item_code, frappe._dict(item_name=line.item_name, uom=line.uom))
		village = (
			tree.setdefault(line.item_code, {})
			.setdefault(survey.town or "", {})
			.setdefault(survey.name, {"qty": 0.0, "members": set()})
		)
		village["qty"] += flt(line.qty)
		if line.member:
			village["members"].add(line.member)
	return tree, items


def coop_order_key(coops):
	"""Sort key: co-ops in tree order, then those the user may not read, by name."""

	def coop_order(name):
		info = coops.get(name)
		return (0, info.lft, name) if info else (1, 0, name)

	return coop_order


def item_rows(item_code, item, towns, survey_of, coops, coop_order) -> list[dict]:
	"""The item's row, then each town's subtotal row followed by its village rows."""
	item_row = {
		"item_code": item_code,
		"item_name": item.item_name,
		"region_name": _("All Towns"),
		"cooperative": None,
		"qty": 0.0,
		"uom": item.uom,
		"members": 0,
		"indent": ITEM,
		"bold": 1,
		"is_item": 1,
	}
	rows = [item_row]
	for town in sorted(towns, key=coop_order):
		town_row = {
			"item_code": item_code,
			"item_name": item.item_name,
			"region_name": region_name(coops, town),
			# A village user may not read their town: its link would hide the subtotal row.
			"cooperative": town if town in coops else None,
			"qty": 0.0,
			"uom": item.uom,
			"members": 0,
			"indent": TOWN_ROW,
			"bold": 1,
			"is_town": 1,
		}
		rows.append(town_row)
		villages = towns[town]
		for survey_name in sorted(villages, key=lambda s: coop_order(survey_of[s].cooperative)):
			row = village_row(item_code, item, survey_of[survey_name], villages[survey_name], coops)
			rows.append(row)
			town_row["qty"] += row["qty"]
			town_row["members"] += row["members"]
		# the item adds the towns' unrounded sums; each is rounded once, at the end
		item_row["qty"] += town_row["qty"]
		item_row["members"] += town_row["members"]
		town_row["qty"] = flt(town_row["qty"], 3)
	item_row["qty"] = flt(item_row["qty"], 3)
	return rows


def village_row(item_code, item, survey, figures, coops) -> dict:
	return {
		"item_code": item_code,
		"item_name": item.item_name,
		"region_name": survey.village_name or region_name(coops, survey.cooperative),
		"cooperative": survey.cooperative,
		"qty": flt(figures["qty"], 3),
		"uom": item.uom,
		"members": len(figures["members"]),
		"survey": survey.name,
		"review_state": _(survey.review_state) if survey.review_state else None,
		"is_overdue": survey.is_overdue,
		"indent": VILLAGE_ROW,
	}


def grand_total_rows(data) -> list[dict]:
	"""One total row per unit of measure (quantities in different units are not added)."""
	totals = {}
	for row in data:
		if row.get("is_item"):
			totals[row["uom"]] = flt(totals.get(row["uom"], 0) + row["qty"], 3)
	return [
		{
			"item_code": None,
			"item_name": None,
			"region_name": _("Grand Total"),
			"cooperative": None,
			"qty": qty,
			"uom": uom,
			"members": None,
			"indent": ITEM,
			"bold": 1,
			"is_total_row": 1,
		}
		for uom, qty in sorted(totals.items(), key=lambda kv: kv[0] or "")
	]


def cooperative_info(names) -> dict[str, frappe._dict]:
	"""Region name and tree position of the co-ops the user may read."""
	names = [n for n in names if n]
	if not names:
		return {}
	return {
		c.name: c
		for c in frappe.get_list(
			"Cooperative",
			filters={"name": ["in", names]},
			fields=["name", "region_name", "lft"],
			limit_page_length=0,
		)
	}


def region_name(coops, name) -> str:
	info = coops.get(name)
	return (info.region_name if info else None) or name or "-"


def get_chart(data: list[dict]) -> dict | None:
	"""Demand by item; for a single item, by town (or by village when one town is shown)."""
	items = [r for r in data if r.get("is_item")]
	if not items:
		return None
	if len(items) > 1:
		bars = items
		labels = [f"{r['item_name'] or r['item_code']} ({r['uom']})" for r in bars]
	else:
		bars = [r for r in data if r.get("is_town")]
		if len(bars) == 1:
			bars = [r for r in data if r.get("indent") == VILLAGE_ROW]
		labels = [r["region_name"] for r in bars]
	return {
		"data": {
			"labels": labels,
			"datasets": [{"name": _("Demand Qty"), "values": [r["qty"] for r in bars]}],
		},
		"type": "bar",
		"fieldtype": "Float",
		"colors": ["#2490ef"],
		"barOptions": {"spaceRatio": 0.4},
	}


def get_report_summary(filters, surveys, data) -> list[dict] | None:
	if not filters.season:
		return None
	village_filters = {"cooperative_type": VILLAGE, "disabled": 0}
	if filters.town:
		village_filters["town"] = filters.town
	villages_in_scope = len(
		frappe.get_list("Cooperative", filters=village_filters, pluck="name", limit_page_length=0)
	)
	reporting = len({s.cooperative for s in surveys})
	forwarded = sum(1 for s in surveys if s.review_state == FORWARDED)
	overdue = sum(1 for s in surveys if s.is_overdue)
	return [
		{"value": filters.season, "label": _("Season"), "datatype": "Data"},
		{
			"value": reporting,
			"label": _("Villages Reporting"),
			"datatype": "Int",
			"indicator": "Blue",
		},
		{"value": villages_in_scope, "label": _("Villages in Scope"), "datatype": "Int"},
		{
			"value": forwarded,
			"label": _("Forwarded to County SMC"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{
			"value": overdue,
			"label": _("Overdue Reviews"),
			"datatype": "Int",
			"indicator": "Red" if overdue else "Green",
		},
		{
			"value": len([r for r in data if r.get("is_item")]),
			"label": _("Items"),
			"datatype": "Int",
		},
	]
