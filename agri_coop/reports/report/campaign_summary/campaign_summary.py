"""统购活动汇总 (Campaign Summary): what each campaign bought, by item, item group, supplier,
town or village; demand vs ordered vs received vs delivered; and what the members saved
against the market (seed 000 §一: lower the producers' input costs).

- Ordered: submitted Campaign Orders (quantity, value at the campaign's uniform price, member
  lines), summed from their per-item pre-aggregation (Campaign Order Summary). Delivered: the delivered quantity of the village's Sales Order lines the
  campaign's consolidation made. Received: what the station received against the campaign's
  Purchase Orders, per item; those are the county's orders, shown to county-wide users only.
  Demand: the season's submitted Demand Surveys (a season's demand, shown against each of its
  campaigns).
- Saving: ordered quantity × the market reference price of the campaign's opening day
  (Price List 市场参考价, dated Item Prices: agri_coop.reports.prices) − the ordered value.
  Lines of an item without a reference price save nothing.

Rows: each campaign (indent 0), its groups (indent 1), then a total row. Every figure comes
from the user's own co-ops (agri_coop.reports.scope): a town user's rows, totals, chart and
summary are its town's.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Sum
from frappe.query_builder.terms import ValueWrapper
from frappe.utils import cint, flt, getdate
from pypika.terms import Case

from agri_coop.reports.prices import market_prices_on
from agri_coop.reports.scope import is_county_wide, region, scope_filter, visible_cooperatives
from agri_coop.utils.lookups import validate_town_filter
from agri_coop.utils.messages import Msg, throw

ITEM, ITEM_GROUP, SUPPLIER, TOWN, VILLAGE = "Item", "Item Group", "Supplier", "Town", "Village"
GROUP_BY = (ITEM, ITEM_GROUP, SUPPLIER, TOWN, VILLAGE)
QTY_FIELDS = ("demand_qty", "ordered_qty", "received_qty", "delivered_qty")
VALUE_FIELDS = ("ordered_value", "delivered_value", "market_value", "savings")


def execute(filters=None):
	filters = validate_filters(filters)
	data, total = get_data(filters)
	return get_columns(filters), data, None, get_chart(data, filters), get_report_summary(total, filters)


def validate_filters(filters) -> frappe._dict:
	filters = frappe._dict(filters or {})
	filters.group_by = filters.group_by or ITEM
	if filters.group_by not in GROUP_BY:
		throw("Field {0}: '{1}' is not one of the groupings", Msg("Group By"), filters.group_by)
	validate_town_filter(filters.town)
	if filters.campaign and not frappe.db.exists("Purchase Campaign", filters.campaign):
		throw("Field {0}: campaign {1} does not exist", Msg("Purchase Campaign"), filters.campaign)
	if not filters.season and not filters.campaign:
		filters.season = latest_season()
	return filters


def latest_season() -> str | None:
	"""The season of the latest campaign that has opened."""
	rows = frappe.get_list(
		"Purchase Campaign",
		filters={"campaign_state": ["!=", "Draft"]},
		fields=["season"],
		order_by="opens_on desc",
		limit_page_length=1,
	)
	return rows[0].season if rows else None


def get_columns(filters) -> list[dict]:
	by_item = filters.group_by == ITEM
	columns = [
		{
			"label": _("Purchase Campaign"),
			"fieldname": "campaign",
			"fieldtype": "Link",
			"options": "Purchase Campaign",
			"width": 200,
		},
		{"label": _(filters.group_by), "fieldname": "group_label", "fieldtype": "Data", "width": 180},
	]
	if by_item:
		columns += [
			{"label": _("UOM"), "fieldname": "uom", "fieldtype": "Data", "width": 60},
			{
				"label": _("Demand Qty"),
				"fieldname": "demand_qty",
				"fieldtype": "Float",
				"precision": 2,
				"width": 100,
			},
			{
				"label": _("Ordered Qty"),
				"fieldname": "ordered_qty",
				"fieldtype": "Float",
				"precision": 2,
				"width": 100,
			},
			{
				"label": _("Received Qty"),
				"fieldname": "received_qty",
				"fieldtype": "Float",
				"precision": 2,
				"width": 100,
			},
			{
				"label": _("Delivered Qty"),
				"fieldname": "delivered_qty",
				"fieldtype": "Float",
				"precision": 2,
				"width": 100,
			},
			{
				"label": _("Uniform Sale Price"),
				"fieldname": "sale_price",
				"fieldtype": "Currency",
				"width": 100,
			},
			{
				"label": _("Market Reference Price"),
				"fieldname": "market_price",
				"fieldtype": "Currency",
				"width": 110,
			},
		]
	columns += [
		{"label": _("Member Lines"), "fieldname": "members", "fieldtype": "Int", "width": 90},
		{"label": _("Ordered Value"), "fieldname": "ordered_value", "fieldtype": "Currency", "width": 120},
		{
			"label": _("Delivered Value"),
			"fieldname": "delivered_value",
			"fieldtype": "Currency",
			"width": 120,
		},
		{"label": _("Market Value"), "fieldname": "market_value", "fieldtype": "Currency", "width": 120},
		{"label": _("Savings for Members"), "fieldname": "savings", "fieldtype": "Currency", "width": 120},
		{
			"label": _("Savings Rate"),
			"fieldname": "savings_rate",
			"fieldtype": "Percent",
			"precision": 1,
			"width": 90,
		},
	]
	return columns


def get_campaigns(filters) -> list[frappe._dict]:
	conditions = {"campaign_state": ["!=", "Draft"]}
	if filters.campaign:
		conditions["name"] = filters.campaign
	if filters.season:
		conditions["season"] = filters.season
	return frappe.get_list(
		"Purchase Campaign",
		filters=conditions,
		fields=["name", "campaign_title", "season", "opens_on", "campaign_state"],
		order_by="opens_on asc, name asc",
		limit_page_length=0,
	)


def get_offers(campaigns) -> dict[tuple[str, str], frappe._dict]:
	"""(campaign, item) -> the campaign's item row (supplier, group, unit, prices)."""
	if not campaigns:
		return {}
	rows = frappe.get_all(
		"Purchase Campaign Item",
		filters={"parent": ["in", [c.name for c in campaigns]], "parenttype": "Purchase Campaign"},
		fields=["parent", "item_code", "item_name", "item_group", "uom", "supplier", "sale_price"],
		limit_page_length=0,
	)
	return {(row.parent, row.item_code): row for row in rows}


def place_field(group_by: str) -> str | None:
	"""The co-op column a grouping sums by in SQL (none: per item only)."""
	return {VILLAGE: "cooperative", TOWN: "town"}.get(group_by)


def per_item(group_by: str) -> bool:
	"""Whether the grouping's rows need the item (a village's rows sum all items in SQL)."""
	return group_by != VILLAGE


def market_value_of(Summary, prices: dict[tuple[str, str], float]):
	"""SQL: a summary row's quantity at the market reference price of its campaign's day (a row
	of an item without a price saves nothing: its market value is what was paid)."""
	if not prices:
		return Summary.amount
	case = Case()
	for (campaign, item), price in prices.items():
		case = case.when((Summary.campaign == campaign) & (Summary.item_code == item), Summary.qty * price)
	return case.else_(Summary.amount)


def ordered_lines(campaigns, cooperatives, group_by, prices) -> list[frappe._dict]:
	"""Submitted orders summed per campaign, the grouping's co-op (village, town or none) and
	item (none for villages), in the user's scope: read from the per-order pre-aggregation
	(agri_coop.reports.aggregates), not the member lines."""
	Summary = DocType("Campaign Order Summary")
	place = Summary[place_field(group_by)] if place_field(group_by) else ValueWrapper("")
	item = Summary.item_code if per_item(group_by) else ValueWrapper("")
	query = (
		frappe.qb.from_(Summary)
		.select(
			Summary.campaign,
			place.as_("place"),
			item.as_("item_code"),
			Sum(Summary.qty).as_("qty"),
			Sum(Summary.amount).as_("amount"),
			Sum(Summary.lines).as_("members"),
			Sum(market_value_of(Summary, prices)).as_("market_value"),
		)
		.where(Summary.campaign.isin([c.name for c in campaigns]))
		.groupby(Summary.campaign, place, item)
	)
	condition = scope_filter(Summary.cooperative, cooperatives)
	if condition is not None:
		query = query.where(condition)
	return query.run(as_dict=True)


def delivered_lines(campaigns, cooperatives, group_by) -> dict[tuple, tuple[float, float]]:
	"""(campaign, the grouping's co-op, item) -> (quantity, value) delivered on the campaign's
	Sales Orders (value at the order's uniform price)."""
	SO, SOItem, Coop = DocType("Sales Order"), DocType("Sales Order Item"), DocType("Cooperative")
	field = place_field(group_by)
	place = SO.agri_coop_cooperative if field == "cooperative" else Coop.town if field else ValueWrapper("")
	item = SOItem.item_code if per_item(group_by) else ValueWrapper("")
	query = (
		frappe.qb.from_(SOItem)
		.join(SO)
		.on(SOItem.parent == SO.name)
		.select(
			SO.agri_coop_campaign,
			place,
			item,
			Sum(SOItem.delivered_qty),
			Sum(SOItem.delivered_qty * SOItem.rate),
		)
		.where((SO.docstatus == 1) & SO.agri_coop_campaign.isin([c.name for c in campaigns]))
		.groupby(SO.agri_coop_campaign, place, item)
	)
	if field == "town":
		query = query.join(Coop).on(Coop.name == SO.agri_coop_cooperative)
	condition = scope_filter(SO.agri_coop_cooperative, cooperatives)
	if condition is not None:
		query = query.where(condition)
	return {(c, p or "", i or ""): (flt(q), flt(v)) for c, p, i, q, v in query.run()}


def received_lines(campaigns) -> dict[tuple, float]:
	"""(campaign, item) -> received on the campaign's Purchase Orders: the county's figure,
	for county-wide users who read Purchase Orders."""
	if not is_county_wide() or not frappe.has_permission("Purchase Order", "read"):
		return {}
	PO, POItem = DocType("Purchase Order"), DocType("Purchase Order Item")
	rows = (
		frappe.qb.from_(POItem)
		.join(PO)
		.on(POItem.parent == PO.name)
		.select(PO.agri_coop_campaign, POItem.item_code, Sum(POItem.received_qty))
		.where((PO.docstatus == 1) & PO.agri_coop_campaign.isin([c.name for c in campaigns]))
		.groupby(PO.agri_coop_campaign, POItem.item_code)
		.run()
	)
	return {(c, i): flt(q) for c, i, q in rows}


def demand_lines(seasons, cooperatives) -> dict[tuple, float]:
	"""(season, village, item) -> submitted demand, in the item's stock unit."""
	if not seasons:
		return {}
	Survey, SurveyItem = DocType("Demand Survey"), DocType("Demand Survey Item")
	query = (
		frappe.qb.from_(SurveyItem)
		.join(Survey)
		.on((SurveyItem.parent == Survey.name) & (SurveyItem.parenttype == "Demand Survey"))
		.select(Survey.season, Survey.cooperative, SurveyItem.item_code, Sum(SurveyItem.stock_qty))
		.where((Survey.docstatus == 1) & Survey.season.isin(sorted(seasons)))
		.groupby(Survey.season, Survey.cooperative, SurveyItem.item_code)
	)
	condition = scope_filter(Survey.cooperative, cooperatives)
	if condition is not None:
		query = query.where(condition)
	return {(s, v, i): flt(q) for s, v, i, q in query.run()}


def get_data(filters) -> tuple[list[dict], dict | None]:
	campaigns = get_campaigns(filters)
	if not campaigns:
		return [], None
	coops = {c.name: c for c in visible_cooperatives(filters.town)}
	villages = [name for name, c in coops.items() if c.cooperative_type == "Village Cooperative"]
	offers = get_offers(campaigns)
	prices = {
		c.name: market_prices_on(
			[(item, offer.uom) for (campaign, item), offer in offers.items() if campaign == c.name],
			getdate(c.opens_on),
		)
		for c in campaigns
	}
	flat_prices = {(c, item): price for c, items in prices.items() for item, price in items.items()}
	ordered = ordered_lines(campaigns, villages, filters.group_by, flat_prices)
	delivered = delivered_lines(campaigns, villages, filters.group_by)
	received = received_lines(campaigns)
	demand = demand_lines({c.season for c in campaigns if c.season}, villages)
	data, total = [], new_figures()
	total.update(group_label=_("Total"), bold=1, is_total_row=1, indent=0)
	for campaign in campaigns:
		groups = {}
		cells = campaign_cells(campaign, ordered, demand, offers, coops, filters.group_by)
		for (place, item), cell in cells.items():
			offer = offers.get((campaign.name, item))
			if per_item(filters.group_by) and not offer:
				continue
			key, label = group_key(filters.group_by, offer, place, coops)
			group = groups.setdefault(key, new_figures(group_label=label))
			add_cell(group, cell, delivered.get((campaign.name, place, item), (0.0, 0.0)))
			if filters.group_by == ITEM:
				group.update(
					uom=offer.uom, sale_price=offer.sale_price, market_price=prices[campaign.name].get(item)
				)
				group["received_qty"] = received.get((campaign.name, item)) if received else None
		if not groups:
			continue
		campaign_row = new_figures(group_label=campaign.campaign_title or campaign.name)
		if not received:
			campaign_row["received_qty"] = None
		campaign_row.update(campaign=campaign.name, indent=0, bold=1, is_campaign=1)
		rows = []
		for key in sorted(groups, key=lambda k: (str(groups[k]["group_label"]), k)):
			row = groups[key]
			row.update(campaign=campaign.name, indent=1, group_key=key)
			rows.append(finish(row))
			add_figures(campaign_row, row)
		data.append(finish(campaign_row))
		data.extend(rows)
		add_figures(total, campaign_row)
	if not data:
		return [], None
	if not received:
		total["received_qty"] = None
	finish(total)
	data.append(total)
	return data, total


def place_of(village: str, group_by: str, coops) -> str:
	if group_by == VILLAGE:
		return village
	if group_by == TOWN:
		return coops[village].town or ""
	return ""


def campaign_cells(campaign, ordered, demand, offers, coops, group_by) -> dict[tuple, dict]:
	"""(the grouping's co-op, item) -> its ordered and demanded figures in one campaign."""
	cells = {}
	for line in ordered:
		if line.campaign == campaign.name:
			cells[(line.place or "", line.item_code or "")] = {
				"qty": flt(line.qty),
				"amount": flt(line.amount),
				"members": cint(line.members),
				"market_value": flt(line.market_value),
				"demand": 0.0,
			}
	for (season, village, item), qty in demand.items():
		if season == campaign.season and village in coops and (campaign.name, item) in offers:
			key = (place_of(village, group_by, coops), item if per_item(group_by) else "")
			cell = cells.setdefault(
				key, {"qty": 0.0, "amount": 0.0, "members": 0, "market_value": 0.0, "demand": 0.0}
			)
			cell["demand"] += qty
	return cells


def group_key(group_by, offer, place, coops) -> tuple[str, str]:
	if group_by == ITEM:
		return offer.item_code, offer.item_name or offer.item_code
	if group_by == ITEM_GROUP:
		return offer.item_group or "", offer.item_group or _("No Item Group")
	if group_by == SUPPLIER:
		return offer.supplier or "", offer.supplier or "-"
	# a town the user may not read (a village user's) is named, not opened
	return place, region(coops[place]) if place in coops else place or "-"


def new_figures(**values) -> dict:
	row = {f: 0.0 for f in (*QTY_FIELDS, *VALUE_FIELDS)}
	row["members"] = 0
	row.update(values)
	return row


def add_cell(group, cell, delivered: tuple[float, float]):
	group["demand_qty"] += cell["demand"]
	group["ordered_qty"] += cell["qty"]
	group["delivered_qty"] += delivered[0]
	group["members"] += cell["members"]
	group["ordered_value"] += cell["amount"]
	group["delivered_value"] += delivered[1]
	group["market_value"] += cell["market_value"]


def add_figures(target, row):
	for field in (*QTY_FIELDS, *VALUE_FIELDS, "members"):
		if row.get(field) is not None and (field in target and target[field] is not None):
			target[field] = (target.get(field) or 0) + row[field]


def finish(row) -> dict:
	for field in QTY_FIELDS:
		if row.get(field) is not None:
			row[field] = flt(row[field], 3)
	for field in ("ordered_value", "delivered_value", "market_value"):
		row[field] = flt(row[field], 2)
	row["savings"] = flt(row["market_value"] - row["ordered_value"], 2)
	row["savings_rate"] = flt(row["savings"] * 100 / row["market_value"], 1) if row["market_value"] else 0.0
	return row


def get_chart(data, filters) -> dict | None:
	"""Ordered value and savings per group of the campaigns shown (per campaign when several)."""
	campaigns = [r for r in data if r.get("is_campaign")]
	if not campaigns:
		return None
	bars = campaigns if len(campaigns) > 1 else [r for r in data if r.get("indent") == 1]
	return {
		"data": {
			"labels": [r["group_label"] for r in bars],
			"datasets": [
				{"name": _("Ordered Value"), "values": [r["ordered_value"] for r in bars]},
				{"name": _("Savings for Members"), "values": [r["savings"] for r in bars]},
			],
		},
		"type": "bar",
		"fieldtype": "Currency",
		"colors": ["#2490ef", "#29cd42"],
		"barOptions": {"spaceRatio": 0.4},
	}


def get_report_summary(total, filters) -> list[dict] | None:
	if not total:
		return None
	return [
		{"value": filters.season or filters.campaign, "label": _("Season"), "datatype": "Data"},
		{
			"value": total["ordered_value"],
			"label": _("Ordered Value"),
			"datatype": "Currency",
			"indicator": "Blue",
		},
		{"value": total["delivered_value"], "label": _("Delivered Value"), "datatype": "Currency"},
		{"value": total["market_value"], "label": _("Market Value"), "datatype": "Currency"},
		{
			"value": total["savings"],
			"label": _("Savings for Members"),
			"datatype": "Currency",
			"indicator": "Green",
		},
		{"value": total["savings_rate"], "label": _("Savings Rate"), "datatype": "Percent"},
	]
