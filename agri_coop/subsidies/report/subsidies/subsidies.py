"""奖补资金汇总 (Subsidies): applications, eligible, noticed, paid, retained and still to pay,
per application or by programme, beneficiary or town; by programme also the budget, what is
assigned and what remains, and the fund account's balance in the GL (tagged with the
programme) reconciled with the arrivals and the tranches paid (专账核算).

Scope: the applications are read with `frappe.get_list` (the boundary's query conditions:
a town user sees its own organisations' applications only, in rows, totals and chart). The
programme-wide figures (budget, assigned, fund account) are the county's: they are shown to
users without a co-op scope only.
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Sum
from frappe.utils import cint, flt

from agri_coop.security.boundary import allowed_cooperatives
from agri_coop.settlement.allocation import to_fen, to_yuan
from agri_coop.subsidies.accounts import DIMENSION_FIELD
from agri_coop.subsidies.payments import paid_tranches_query
from agri_coop.subsidies.rules import PROJECT_FUND, RURAL_UPWARD
from agri_coop.utils.lookups import validate_town_filter
from agri_coop.utils.messages import Msg, throw

GROUPS = {"Programme": "program", "Beneficiary": "beneficiary", "Town": "town"}
AMOUNTS = ("eligible_amount", "paid_amount", "retained_amount", "unpaid_amount")


def execute(filters=None):
	filters = validate_filters(filters)
	rows = get_rows(filters)
	county_wide = allowed_cooperatives() is None
	data = group_rows(rows, filters, county_wide) if filters.group_by else rows
	columns = get_columns(filters, county_wide)
	return columns, data, None, get_chart(rows, filters), get_report_summary(rows, filters, county_wide)


def validate_filters(filters) -> frappe._dict:
	filters = frappe._dict(filters or {})
	if filters.group_by and filters.group_by not in GROUPS:
		throw("Field {0}: {1} is not one of Programme, Beneficiary, Town", Msg("Group By"), filters.group_by)
	if filters.year and not (1900 < cint(filters.year) < 3000):
		throw("Field {0}: {1} is not a year", Msg("Fiscal Year"), filters.year)
	validate_town_filter(filters.town)
	return filters


def get_columns(filters, county_wide: bool) -> list[dict]:
	group = filters.group_by
	columns = []
	if group in (None, "", "Programme"):
		columns.append(
			{
				"label": _("Subsidy Program"),
				"fieldname": "program",
				"fieldtype": "Link",
				"options": "Subsidy Program",
				"width": 220,
			}
		)
	if not group:
		columns += [
			{
				"label": _("Subsidy Application"),
				"fieldname": "name",
				"fieldtype": "Link",
				"options": "Subsidy Application",
				"width": 150,
			},
			{"label": _("Rule Type"), "fieldname": "rule_type", "fieldtype": "Data", "width": 110},
		]
	if group in (None, "", "Beneficiary"):
		columns += [
			{
				"label": _("Beneficiary Name"),
				"fieldname": "beneficiary_name",
				"fieldtype": "Data",
				"width": 200,
			},
		]
	if group in (None, "", "Town"):
		columns.append(
			{"label": _("Town Federation"), "fieldname": "town_name", "fieldtype": "Data", "width": 120}
		)
	if not group:
		columns += [
			{"label": _("Award Year"), "fieldname": "year", "fieldtype": "Int", "width": 70},
			{"label": _("Status"), "fieldname": "status", "fieldtype": "Data", "width": 100},
			{"label": _("Notice Status"), "fieldname": "notice_status", "fieldtype": "Data", "width": 100},
		]
	else:
		columns += [
			{"label": _("Applications"), "fieldname": "applications", "fieldtype": "Int", "width": 90},
			{"label": _("Eligible"), "fieldname": "eligible", "fieldtype": "Int", "width": 80},
			{"label": _("Notice Ended Clean"), "fieldname": "noticed", "fieldtype": "Int", "width": 100},
		]
	columns += [
		{
			"label": _("Eligible Amount"),
			"fieldname": "eligible_amount",
			"fieldtype": "Currency",
			"width": 130,
		},
		{"label": _("Paid Out"), "fieldname": "paid_amount", "fieldtype": "Currency", "width": 130},
		{"label": _("Retained"), "fieldname": "retained_amount", "fieldtype": "Currency", "width": 120},
		{"label": _("Still to Pay"), "fieldname": "unpaid_amount", "fieldtype": "Currency", "width": 120},
	]
	if group == "Programme" and county_wide:
		columns += [
			{"label": _("Budget"), "fieldname": "budget", "fieldtype": "Currency", "width": 130},
			{
				"label": _("Remaining Budget"),
				"fieldname": "remaining_budget",
				"fieldtype": "Currency",
				"width": 130,
			},
			{"label": _("Funds Arrived"), "fieldname": "received", "fieldtype": "Currency", "width": 130},
			{
				"label": _("Fund Account Balance (GL)"),
				"fieldname": "gl_balance",
				"fieldtype": "Currency",
				"width": 150,
			},
			{
				"label": _("Unexplained Difference"),
				"fieldname": "difference",
				"fieldtype": "Currency",
				"width": 130,
			},
			{
				"label": _("Rural Products Upward Share"),
				"fieldname": "upward_share",
				"fieldtype": "Percent",
				"width": 110,
			},
		]
	return columns


def get_rows(filters) -> list[frappe._dict]:
	conditions = [["docstatus", "<", 2]]
	for fieldname in ("program", "town", "beneficiary", "status"):
		if filters.get(fieldname):
			conditions.append([fieldname, "=", filters.get(fieldname)])
	if filters.year:
		conditions.append(["year", "=", cint(filters.year)])
	if filters.rule_type:
		conditions.append(["rule_type", "=", filters.rule_type])
	rows = frappe.get_list(
		"Subsidy Application",
		filters=conditions,
		fields=[
			"name",
			"program",
			"rule_type",
			"beneficiary_type",
			"beneficiary",
			"beneficiary_name",
			"town",
			"year",
			"status",
			"notice_status",
			"eligible",
			"docstatus",
			*AMOUNTS,
		],
		order_by="program asc, year asc, name asc",
		limit_page_length=0,
	)
	towns = town_names({row.town for row in rows})
	for row in rows:
		row.town_name = towns.get(row.town) or ""
		if row.docstatus == 0:  # a draft assigns nothing yet
			row.paid_amount = row.retained_amount = row.unpaid_amount = 0
			row.eligible_amount = row.eligible_amount if row.eligible else 0
		row.status = _(row.status)
		row.notice_status = _(row.notice_status)
	return rows


def town_names(names) -> dict:
	names = [n for n in names if n]
	if not names:
		return {}
	return dict(frappe.get_all("Cooperative", {"name": ("in", names)}, ["name", "region_name"], as_list=True))


def group_rows(rows, filters, county_wide: bool) -> list[dict]:
	key = GROUPS[filters.group_by]
	groups = {}
	for row in rows:
		group = groups.setdefault(
			row[key] or "",
			frappe._dict(
				program=row.program,
				beneficiary_name=row.beneficiary_name,
				town_name=row.town_name,
				applications=0,
				eligible=0,
				noticed=0,
				**dict.fromkeys(AMOUNTS, 0),
			),
		)
		group.applications += 1
		group.eligible += cint(row.eligible)
		group.noticed += int(row.notice_status in (_("Clean"), _("Not Required")) and row.docstatus == 1)
		for field in AMOUNTS:
			group[field] = float(to_yuan(to_fen(group[field]) + to_fen(row[field])))
	data = list(groups.values())
	if filters.group_by == "Programme" and county_wide:
		for group in data:
			group.update(programme_ledger(group.program))
	return data


def programme_ledger(program: str) -> dict:
	"""Budget and what remains of it, and the fund account reconciled: its GL balance for the
	programme must equal the arrivals less the tranches paid; any difference is a movement on
	the fund account that no arrival or tranche explains."""
	doc = frappe.get_cached_doc("Subsidy Program", program)
	App = frappe.qb.DocType("Subsidy Application")
	by_category = dict(
		frappe.qb.from_(App)
		.select(App.project_category, Coalesce(Sum(App.eligible_amount), 0))
		.where((App.program == program) & (App.docstatus == 1))
		.groupby(App.project_category)
		.run()
	)
	assigned = sum(to_fen(amount) for amount in by_category.values())
	upward = to_fen(by_category.get(RURAL_UPWARD) or 0)
	query, PaidApp, Tranche = paid_tranches_query()
	paid = sum(
		to_fen(amount) for (amount,) in query.select(Tranche.amount).where(PaidApp.program == program).run()
	)
	GL = frappe.qb.DocType("GL Entry")
	movements = (
		frappe.qb.from_(GL)
		.select(GL.voucher_no, GL.credit, GL.debit)
		.where((GL.account == doc.fund_account) & (GL.is_cancelled == 0) & (GL[DIMENSION_FIELD] == program))
		.run()
	)
	credits = sum(to_fen(credit) for _voucher, credit, _debit in movements)
	debits = sum(to_fen(debit) for _voucher, _credit, debit in movements)
	balance = credits - debits
	return {
		"budget": flt(doc.budget, 2),
		"remaining_budget": float(to_yuan(to_fen(doc.budget) - assigned)),
		"received": float(to_yuan(credits)),
		"gl_balance": float(to_yuan(balance)),
		"difference": float(to_yuan(balance - (credits - paid))),
		# seed 003: at least the programme's share for rural products going up (of what is assigned)
		"upward_share": flt(upward * 100 / assigned, 2)
		if doc.rule_type == PROJECT_FUND and assigned
		else None,
	}


def get_chart(rows, filters) -> dict | None:
	"""Paid, retained and still to pay by programme (by beneficiary when one programme is shown)."""
	rows = [row for row in rows if row.docstatus == 1]
	if not rows:
		return None
	by = "beneficiary_name" if filters.program or filters.group_by == "Beneficiary" else "program"
	if filters.group_by == "Town":
		by = "town_name"
	totals = defaultdict(lambda: defaultdict(int))
	for row in rows:
		for field in ("paid_amount", "retained_amount", "unpaid_amount"):
			totals[row[by] or ""][field] += to_fen(row[field])
	labels = list(totals)
	names = {
		"paid_amount": _("Paid Out"),
		"retained_amount": _("Retained"),
		"unpaid_amount": _("Still to Pay"),
	}
	return {
		"data": {
			"labels": labels,
			"datasets": [
				{
					"name": names[field],
					"values": [float(to_yuan(totals[label][field])) for label in labels],
				}
				for field in ("paid_amount", "retained_amount")
			]
			+ [
				{
					"name": names["unpaid_amount"],
					"values": [
						float(to_yuan(totals[label]["unpaid_amount"] - totals[label]["retained_amount"]))
						for label in labels
					],
				}
			],
		},
		"type": "bar",
		"fieldtype": "Currency",
		"barOptions": {"stacked": 1, "spaceRatio": 0.4},
		"colors": ["#29cd42", "#ffa00a", "#2490ef"],
	}


def get_report_summary(rows, filters, county_wide: bool) -> list[dict] | None:
	if not rows:
		return None
	submitted = [row for row in rows if row.docstatus == 1]

	def total(field):
		return float(to_yuan(sum(to_fen(row[field]) for row in submitted)))

	summary = [
		{"value": len(rows), "label": _("Applications"), "datatype": "Int"},
		{"value": sum(cint(row.eligible) for row in rows), "label": _("Eligible"), "datatype": "Int"},
		{"value": total("eligible_amount"), "label": _("Eligible Amount"), "datatype": "Currency"},
		{"value": total("paid_amount"), "label": _("Paid Out"), "datatype": "Currency", "indicator": "Green"},
		{
			"value": total("retained_amount"),
			"label": _("Retained"),
			"datatype": "Currency",
			"indicator": "Orange",
		},
		{
			"value": total("unpaid_amount"),
			"label": _("Still to Pay"),
			"datatype": "Currency",
			"indicator": "Blue",
		},
	]
	if county_wide and filters.group_by == "Programme":
		difference = sum(to_fen(programme_ledger(p)["difference"]) for p in {row.program for row in rows})
		summary.append(
			{
				"value": float(to_yuan(difference)),
				"label": _("Unexplained Difference"),
				"datatype": "Currency",
				"indicator": "Red" if difference else "Green",
			}
		)
	return summary
