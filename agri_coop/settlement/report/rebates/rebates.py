"""返利汇总 (Rebates): what the campaigns' settlements return, by campaign, town, co-op and
share (co-op accumulation / member rebate / staff reward), with what is paid and still due.

Rows (a tree): each settled campaign (indent 0), its towns (indent 1: the town federation's
own part plus its villages') and the co-ops (indent 2: the federation, then its villages).
Only submitted settlements count.

Scope: the rows are read with `frappe.get_list` on Campaign Settlement (role permissions)
and restricted to the co-ops of the user's town / village (their User Permission on the
Cooperative tree, expanded to its villages), so a town user sees their town and its villages
only, in the rows, subtotals, chart and summary alike. A settlement's child rows carry the
co-op as a Link, but Frappe applies User Permissions to a parent's own links only, hence the
explicit filter (`agri_coop.security.boundary.allowed_cooperatives`).
"""

import frappe
from frappe import _
from frappe.utils import flt

from agri_coop.constants.cooperatives import TOWN
from agri_coop.security.boundary import allowed_cooperatives
from agri_coop.settlement.computation import SHARE_LABELS
from agri_coop.utils.lookups import validate_town_filter
from agri_coop.utils.messages import Msg, throw

CAMPAIGN_ROW, TOWN_ROW, COOP_ROW = 0, 1, 2
CHILD = "Campaign Settlement Cooperative"


def execute(filters=None):
	filters = validate_filters(filters)
	columns = get_columns(filters)
	rows = get_rows(filters)
	data = build_tree(rows, filters)
	return columns, data, None, get_chart(rows, filters), get_report_summary(rows, filters)


def validate_filters(filters) -> frappe._dict:
	filters = frappe._dict(filters or {})
	if filters.share and filters.share not in SHARE_LABELS:
		throw("Field {0}: {1} is not one of the shares", Msg("Rebate Share"), filters.share)
	validate_town_filter(filters.town)
	return filters


def shares(filters) -> list[str]:
	return [filters.share] if filters.share else list(SHARE_LABELS)


def get_columns(filters) -> list[dict]:
	columns = [
		{
			"label": _("Purchase Campaign"),
			"fieldname": "campaign",
			"fieldtype": "Link",
			"options": "Purchase Campaign",
			"width": 200,
		},
		{"label": _("Town / Village"), "fieldname": "region_name", "fieldtype": "Data", "width": 170},
		# plain text: a village user may not read their town's record
		{"label": _("Cooperative"), "fieldname": "cooperative", "fieldtype": "Data", "width": 230},
		{"label": _("Co-op Level"), "fieldname": "level", "fieldtype": "Data", "width": 110},
		{"label": _("Net Purchases"), "fieldname": "net_purchases", "fieldtype": "Currency", "width": 120},
		{"label": _("Share of Purchases"), "fieldname": "share", "fieldtype": "Percent", "width": 100},
	]
	for share in shares(filters):
		columns.append(
			{"label": _(SHARE_LABELS[share]), "fieldname": share, "fieldtype": "Currency", "width": 120}
		)
	if not filters.share:
		columns += [
			{"label": _("Total Returned"), "fieldname": "total", "fieldtype": "Currency", "width": 120},
			{
				"label": _("Rebate Paid Out"),
				"fieldname": "paid_amount",
				"fieldtype": "Currency",
				"width": 120,
			},
			{
				"label": _("Rebate Still Due"),
				"fieldname": "due_amount",
				"fieldtype": "Currency",
				"width": 120,
			},
		]
	columns.append(
		{
			"label": _("Campaign Settlement"),
			"fieldname": "settlement",
			"fieldtype": "Link",
			"options": "Campaign Settlement",
			"width": 150,
		}
	)
	return columns


def get_rows(filters) -> list[frappe._dict]:
	"""The co-op rows of submitted settlements, in the user's scope and the filters."""
	conditions = [["Campaign Settlement", "docstatus", "=", 1]]
	if filters.campaign:
		conditions.append(["Campaign Settlement", "campaign", "=", filters.campaign])
	if filters.cooperative:
		conditions.append([CHILD, "cooperative", "=", filters.cooperative])
	if filters.town:
		conditions.append([CHILD, "town", "=", filters.town])
	allowed = allowed_cooperatives()
	if allowed is not None:
		conditions.append([CHILD, "cooperative", "in", allowed or [""]])
	fields = ["name as settlement", "campaign", "posting_date"] + [
		f"`tab{CHILD}`.`{field}` as `{field}`"
		for field in (
			"cooperative",
			"level",
			"town",
			"net_purchases",
			"share",
			"total",
			"paid_amount",
			"due_amount",
			"idx",
			*SHARE_LABELS,
		)
	]
	rows = frappe.get_list(
		"Campaign Settlement",
		filters=conditions,
		fields=fields,
		order_by="`tabCampaign Settlement`.`posting_date` desc, `tabCampaign Settlement`.`name` asc",
		limit_page_length=0,
	)
	return [row for row in rows if row.cooperative]


def region_names(names) -> dict:
	names = [n for n in names if n]
	if not names:
		return {}
	return dict(
		frappe.get_list(
			"Cooperative",
			filters={"name": ["in", names]},
			fields=["name", "region_name"],
			as_list=True,
			limit_page_length=0,
		)
	)


def amount_fields(filters) -> list[str]:
	fields = ["net_purchases", *shares(filters)]
	if not filters.share:
		fields += ["total", "paid_amount", "due_amount"]
	return fields


def build_tree(rows, filters) -> list[dict]:
	if not rows:
		return []
	regions = region_names({r.cooperative for r in rows} | {r.town for r in rows})
	fields = amount_fields(filters)
	data = []
	by_settlement = {}
	for row in rows:
		by_settlement.setdefault(row.settlement, []).append(row)
	for settlement, settlement_rows in by_settlement.items():
		first = settlement_rows[0]
		campaign_row = {
			"campaign": first.campaign,
			"settlement": settlement,
			"region_name": _("All Towns"),
			"indent": CAMPAIGN_ROW,
			"bold": 1,
			**{f: 0.0 for f in fields},
		}
		data.append(campaign_row)
		towns = {}
		for row in settlement_rows:
			towns.setdefault(row.town or row.cooperative, []).append(row)
		for town, town_rows in towns.items():
			town_row = {
				"campaign": first.campaign,
				"settlement": settlement,
				"indent": TOWN_ROW,
				"bold": 1,
				"region_name": regions.get(town) or town,
				"cooperative": town,
				**{f: 0.0 for f in fields},
			}
			data.append(town_row)
			town_share = 0.0
			for row in sorted(town_rows, key=lambda r: (r.level != TOWN, r.idx)):
				data.append(
					{
						"campaign": row.campaign,
						"settlement": settlement,
						"indent": COOP_ROW,
						"region_name": regions.get(row.cooperative) or row.cooperative,
						"cooperative": row.cooperative,
						"level": _(row.level),
						"share": flt(row.share, 4),
						**{f: flt(row[f], 2) for f in fields},
					}
				)
				if row.level != TOWN:
					town_share += flt(row.share)
				for f in fields:
					if f == "net_purchases" and row.level == TOWN:
						continue  # a federation's purchases are its villages'
					town_row[f] = flt(town_row[f] + flt(row[f]), 2)
			town_row["share"] = flt(town_share, 4)
			for f in fields:
				campaign_row[f] = flt(campaign_row[f] + town_row[f], 2)
	return data


def get_chart(rows, filters) -> dict | None:
	"""Returned amounts by town (by co-op when one town is shown), stacked by share."""
	if not rows:
		return None
	towns = {row.town or row.cooperative for row in rows}
	key = (lambda r: r.cooperative) if len(towns) == 1 else (lambda r: r.town or r.cooperative)
	regions = region_names({key(r) for r in rows})
	totals = {}
	for row in rows:
		bucket = totals.setdefault(key(row), dict.fromkeys(shares(filters), 0.0))
		for share in bucket:
			bucket[share] += flt(row[share])
	labels = list(totals)
	return {
		"data": {
			"labels": [regions.get(label) or label for label in labels],
			"datasets": [
				{
					"name": _(SHARE_LABELS[share]),
					"values": [flt(totals[label][share], 2) for label in labels],
				}
				for share in shares(filters)
			],
		},
		"type": "bar",
		"fieldtype": "Currency",
		"barOptions": {"stacked": 1, "spaceRatio": 0.4},
		"colors": ["#2490ef", "#29cd42", "#ffa00a"][: len(shares(filters))],
	}


def get_report_summary(rows, filters) -> list[dict] | None:
	if not rows:
		return None
	summary = [
		{"value": len({r.settlement for r in rows}), "label": _("Settled Campaigns"), "datatype": "Int"},
		{"value": len({r.cooperative for r in rows}), "label": _("Co-ops with a Rebate"), "datatype": "Int"},
	]
	for share in shares(filters):
		summary.append(
			{
				"value": flt(sum(flt(r[share]) for r in rows), 2),
				"label": _(SHARE_LABELS[share]),
				"datatype": "Currency",
				"indicator": "Blue",
			}
		)
	if not filters.share:
		paid = flt(sum(flt(r.paid_amount) for r in rows), 2)
		due = flt(sum(flt(r.due_amount) for r in rows), 2)
		summary += [
			{"value": paid, "label": _("Rebate Paid Out"), "datatype": "Currency", "indicator": "Green"},
			{
				"value": due,
				"label": _("Rebate Still Due"),
				"datatype": "Currency",
				"indicator": "Red" if due else "Green",
			},
		]
	return summary
