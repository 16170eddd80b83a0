"""统购占比 (Group-purchase Share): the campaigns' purchases against the county's total input
purchases, per year and town, against the target of seed 000 §一 (10% by the end of 2023).

- Campaign purchases: submitted Campaign Orders (value at the uniform price), by the year
  of their order date and the village's town.
- The denominator, both parts shown: the town's recorded input purchases of the year
  (Input Purchase Volume: the statistics office's figure, with its source and date) plus the
  farm inputs the town's co-ops and members bought through ERPNext outside campaigns
  (submitted Sales Invoices of their Customers not tagged with a campaign).

Rows: each year (indent 0), its towns (indent 1), a total row. Read in the user's scope
(agri_coop.reports.scope): a town user sees its town; a village user sees its own
purchases but no town's denominator (that figure is the town's), hence no share.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Extract, Sum
from frappe.utils import cint, flt

from agri_coop.constants.cooperatives import TOWN
from agri_coop.reports.scope import region, scope_filter, visible_cooperatives
from agri_coop.utils.lookups import validate_town_filter
from agri_coop.utils.messages import Msg, throw

TARGET_SHARE = 10  # percent of the county's input purchases (seed 000 §一)
TARGET_YEAR = 2023
AMOUNTS = ("campaign_value", "recorded_value", "outside_value", "total_value")


def execute(filters=None):
	filters = validate_filters(filters)
	data, total = get_data(filters)
	return get_columns(), data, None, get_chart(data), get_report_summary(total, filters)


def validate_filters(filters) -> frappe._dict:
	filters = frappe._dict(filters or {})
	if filters.year:
		filters.year = cint(filters.year)
		if not 2000 <= filters.year <= 2100:
			throw("Field {0}: {1} is not a year", Msg("Year"), filters.year)
	validate_town_filter(filters.town)
	return filters


def get_columns() -> list[dict]:
	return [
		{"label": _("Year"), "fieldname": "year", "fieldtype": "Data", "width": 70},
		{"label": _("Town / Village"), "fieldname": "region_name", "fieldtype": "Data", "width": 160},
		{
			"label": _("Campaign Purchases"),
			"fieldname": "campaign_value",
			"fieldtype": "Currency",
			"width": 130,
		},
		{
			"label": _("Input Purchases (Statistics Office)"),
			"fieldname": "recorded_value",
			"fieldtype": "Currency",
			"width": 150,
		},
		{
			"label": _("ERPNext Purchases Outside Campaigns"),
			"fieldname": "outside_value",
			"fieldtype": "Currency",
			"width": 150,
		},
		{
			"label": _("Total Input Purchases"),
			"fieldname": "total_value",
			"fieldtype": "Currency",
			"width": 140,
		},
		{
			"label": _("Group-purchase Share"),
			"fieldname": "share",
			"fieldtype": "Percent",
			"precision": 2,
			"width": 110,
		},
		{"label": _("Target"), "fieldname": "target_share", "fieldtype": "Percent", "width": 70},
		{"label": _("Still Needed for Target"), "fieldname": "needed", "fieldtype": "Currency", "width": 130},
		{"label": _("Target Met"), "fieldname": "target_met", "fieldtype": "Check", "width": 80},
		{"label": _("Source"), "fieldname": "source", "fieldtype": "Data", "width": 180},
		{"label": _("Source Date"), "fieldname": "source_date", "fieldtype": "Date", "width": 100},
	]


def campaign_purchases(filters, villages) -> dict[tuple[int, str], float]:
	"""(year, village) -> value of the submitted campaign orders."""
	Order = DocType("Campaign Order")
	year = Extract("year", Order.order_date)
	query = (
		frappe.qb.from_(Order)
		.select(year.as_("year"), Order.cooperative, Sum(Order.total_amount))
		.where(Order.docstatus == 1)
		.groupby(year, Order.cooperative)
	)
	if filters.year:
		query = query.where(year == filters.year)
	condition = scope_filter(Order.cooperative, villages)
	if condition is not None:
		query = query.where(condition)
	return {(cint(y), coop): flt(value) for y, coop, value in query.run()}


def outside_purchases(filters, cooperatives) -> dict[tuple[int, str], float]:
	"""(year, co-op) -> net value of the submitted Sales Invoices to the co-op's and its
	members' Customers that no campaign made."""
	Invoice, Customer = DocType("Sales Invoice"), DocType("Customer")
	year = Extract("year", Invoice.posting_date)
	query = (
		frappe.qb.from_(Invoice)
		.join(Customer)
		.on(Invoice.customer == Customer.name)
		.select(year.as_("year"), Customer.agri_coop_cooperative, Sum(Invoice.base_net_total))
		.where(
			(Invoice.docstatus == 1)
			& (Invoice.agri_coop_campaign.isnull() | (Invoice.agri_coop_campaign == ""))
			& Customer.agri_coop_cooperative.isnotnull()
		)
		.groupby(year, Customer.agri_coop_cooperative)
	)
	if filters.year:
		query = query.where(year == filters.year)
	condition = scope_filter(Customer.agri_coop_cooperative, cooperatives)
	if condition is not None:
		query = query.where(condition)
	return {(cint(y), coop): flt(value) for y, coop, value in query.run()}


def recorded_purchases(filters) -> dict[tuple[int, str], frappe._dict]:
	conditions = {"year": filters.year} if filters.year else {}
	if filters.town:
		conditions["town"] = filters.town
	rows = frappe.get_list(
		"Input Purchase Volume",
		filters=conditions,
		fields=["name", "year", "town", "amount", "source", "source_date"],
		limit_page_length=0,
	)
	return {(cint(r.year), r.town): r for r in rows}


def get_data(filters) -> tuple[list[dict], dict | None]:
	cooperatives = {c.name: c for c in visible_cooperatives(filters.town)}
	# a village whose town the user may not read (a village user) stands on its own
	town_of = {
		name: (c.town if c.cooperative_type != TOWN and c.town in cooperatives else name)
		for name, c in cooperatives.items()
	}
	bought = campaign_purchases(filters, list(cooperatives))
	outside = outside_purchases(filters, list(cooperatives))
	recorded = recorded_purchases(filters)
	cells = {}  # (year, town) -> figures

	def cell(year, town):
		return cells.setdefault(
			(year, town), {"campaign_value": 0.0, "recorded_value": 0.0, "outside_value": 0.0}
		)

	for (year, coop), value in bought.items():
		if coop in town_of:
			cell(year, town_of[coop])["campaign_value"] += value
	for (year, coop), value in outside.items():
		if coop in town_of:
			cell(year, town_of[coop])["outside_value"] += value
	for (year, town), row in recorded.items():
		if town in cooperatives:
			figures = cell(year, town)
			figures.update(recorded_value=flt(row.amount), source=row.source, source_date=row.source_date)
	if not cells:
		return [], None
	data = []
	total = new_row(_("Total"), None, 0, is_total_row=1, bold=1)
	for year in sorted({y for y, _t in cells}, reverse=True):
		year_row = new_row(_("All Towns"), str(year), 0, bold=1, is_year=1, year_key=year)
		towns = sorted((t for y, t in cells if y == year), key=lambda t: cooperatives[t].lft)
		rows = []
		for town in towns:
			row = new_row(region(cooperatives[town]), str(year), 1, cooperative=town, year_key=year)
			row.update(cells[(year, town)])
			rows.append(with_share(row))
			add(year_row, row)
		data.append(with_share(year_row))
		data.extend(rows)
		add(total, year_row)
	data.append(with_share(total))
	return data, total


def new_row(region_name, year, indent, **values) -> dict:
	return {
		"region_name": region_name,
		"year": year,
		"indent": indent,
		**dict.fromkeys(AMOUNTS[:3], 0.0),
		**values,
	}


def add(target, row):
	for field in AMOUNTS[:3]:
		target[field] = flt(target[field] + row[field], 2)


def with_share(row) -> dict:
	for field in AMOUNTS[:3]:
		row[field] = flt(row[field], 2)
	row["total_value"] = flt(row["recorded_value"] + row["outside_value"], 2)
	denominator = row["total_value"]
	row["target_share"] = TARGET_SHARE
	row["share"] = flt(row["campaign_value"] * 100 / denominator, 2) if denominator else None
	target_value = flt(denominator * TARGET_SHARE / 100, 2)
	row["needed"] = flt(max(target_value - row["campaign_value"], 0), 2) if denominator else None
	row["target_met"] = 1 if denominator and row["campaign_value"] >= target_value else 0
	return row


def headline(data, year=None) -> dict | None:
	"""The year row of `year` (or of the latest year with a recorded denominator)."""
	years = [r for r in data if r.get("is_year")]
	if year:
		years = [r for r in years if r["year_key"] == cint(year)]
	with_denominator = [r for r in years if r["total_value"]]
	return (with_denominator or years or [None])[0]


def get_chart(data) -> dict | None:
	"""Share by town of the latest year shown, against the target."""
	year = headline(data)
	if not year:
		return None
	towns = [r for r in data if r.get("indent") == 1 and r["year_key"] == year["year_key"]]
	if not towns:
		return None
	return {
		"data": {
			"labels": [r["region_name"] for r in towns],
			"datasets": [{"name": _("Group-purchase Share"), "values": [r["share"] or 0 for r in towns]}],
			"yMarkers": [
				{
					"label": _("Target {0}%").format(TARGET_SHARE),
					"value": TARGET_SHARE,
					"options": {"labelPos": "left"},
				}
			],
		},
		"type": "bar",
		"fieldtype": "Percent",
		"colors": ["#2490ef"],
		"barOptions": {"spaceRatio": 0.4},
	}


def get_report_summary(total, filters) -> list[dict] | None:
	if not total:
		return None
	return [
		{
			"value": total["campaign_value"],
			"label": _("Campaign Purchases"),
			"datatype": "Currency",
			"indicator": "Blue",
		},
		{
			"value": total["recorded_value"],
			"label": _("Input Purchases (Statistics Office)"),
			"datatype": "Currency",
		},
		{
			"value": total["outside_value"],
			"label": _("ERPNext Purchases Outside Campaigns"),
			"datatype": "Currency",
		},
		{
			"value": total["share"] or 0,
			"label": _("Group-purchase Share"),
			"datatype": "Percent",
			"indicator": "Green" if total["target_met"] else "Red",
		},
		{"value": TARGET_SHARE, "label": _("Target"), "datatype": "Percent"},
	]
