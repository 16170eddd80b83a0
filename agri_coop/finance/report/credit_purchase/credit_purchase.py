"""赊购授信情况 (Credit Purchase): credit lines by bank, town, village or member — approved
limits, reserved by open orders, used (disbursed), outstanding principal, overdue principal,
and the period's interest and interest subsidy (agri_coop.finance.interest).

The lines are read with `frappe.get_list`, so the co-op scope (a town user: its villages; a
village user: itself) and a credit officer's bank hold for rows, totals, chart and summary.
Amounts are permission level 1: users who may not read them (town and village users) see
the amounts of banks that do not ask for masking only, and no member rows."""

import frappe
from frappe import _
from frappe.utils import flt, getdate

from agri_coop.finance import interest
from agri_coop.finance.credit import ledger_outstanding, open_reservations
from agri_coop.security.privacy import unreadable_fields
from agri_coop.utils.lookups import validate_town_filter
from agri_coop.utils.messages import Msg, throw

GROUPS = {"Bank": "partner_bank", "Town": "town", "Village": "cooperative", "Member": "member"}
AMOUNTS = ("approved_limit", "reserved", "used", "outstanding", "overdue", "interest", "subsidy")


def execute(filters=None):
	filters = validate_filters(filters)
	columns = get_columns(filters)
	lines = get_lines(filters)
	data = get_data(filters, lines)
	return columns, data, None, get_chart(data), get_summary(data, lines)


def validate_filters(filters) -> frappe._dict:
	filters = frappe._dict(filters or {})
	filters.group_by = filters.group_by or "Village"
	if filters.group_by not in GROUPS:
		throw("Field {0}: {1} is not one of {2}", Msg("Group By"), filters.group_by, ", ".join(GROUPS))
	validate_town_filter(filters.town)
	filters.from_date, filters.to_date = getdate(filters.from_date), getdate(filters.to_date)
	if filters.from_date > filters.to_date:
		throw("Field {0}: {1} is after {2}", Msg("From Date"), filters.from_date, filters.to_date)
	if filters.group_by == "Member" and not amounts_readable():
		throw("Member rows show credit amounts: your role sees them by village, town or bank")
	return filters


def amounts_readable() -> bool:
	return "approved_limit" not in unreadable_fields("Credit Line")


def get_columns(filters) -> list[dict]:
	key = GROUPS[filters.group_by]
	options = {"partner_bank": "Partner Bank", "member": "Coop Member"}.get(key, "Cooperative")
	columns = [
		{
			"label": _(filters.group_by),
			"fieldname": "group",
			"fieldtype": "Link",
			"options": options,
			"width": 220,
		},
		{"label": _("Credit Lines"), "fieldname": "lines", "fieldtype": "Int", "width": 90},
	]
	labels = {
		"approved_limit": "Approved Limit",
		"reserved": "Reserved by Open Orders",
		"used": "Disbursed",
		"outstanding": "Outstanding Principal",
		"overdue": "Overdue Principal",
		"interest": "Interest",
		"subsidy": "Interest Subsidy",
	}
	columns += [
		{"label": _(labels[f]), "fieldname": f, "fieldtype": "Currency", "options": "CNY", "width": 130}
		for f in AMOUNTS
	]
	return columns


def get_lines(filters) -> list:
	conditions = {"credit_state": ("not in", ("Applied", "Surveyed"))}
	if filters.partner_bank:
		conditions["partner_bank"] = filters.partner_bank
	if filters.town:
		conditions["town"] = filters.town
	readable = amounts_readable()
	fields = ["name", "member", "partner_bank", "cooperative", "town"] + (
		["approved_limit"] if readable else []
	)
	lines = frappe.get_list(
		"Credit Line", filters=conditions, fields=fields, limit_page_length=0, order_by="name"
	)
	if not lines:
		return lines
	shown = {l.name for l in lines} if readable else unmasked(lines)
	limits = amounts_of(shown)
	reserved = open_reservations(shown)
	ledger = ledger_outstanding(shown)
	terms = interest.line_terms(shown)
	overdue = interest.overdue_principal(shown, filters.to_date, terms)
	bank_terms = {
		b.name: b
		for b in frappe.get_all(
			"Partner Bank",
			{"name": ("in", {l.partner_bank for l in lines})},
			["name", "day_count", "grace_days"],
		)
	}
	figures = {}
	for bank, names in group_names(lines, shown).items():
		figures.update(
			interest.compute(
				names,
				filters.from_date,
				filters.to_date,
				bank_terms[bank].day_count,
				bank_terms[bank].grace_days,
				{n: terms[n] for n in names},
			)
		)
	for line in lines:
		line.shown = line.name in shown
		if not line.shown:
			continue
		disbursed, repaid = ledger[line.name]
		line.update(
			approved_limit=flt(limits.get(line.name)),
			reserved=reserved.get(line.name, 0),
			used=disbursed,
			outstanding=flt(disbursed - repaid, 2),
			overdue=flt(overdue.get(line.name), 2),
			interest_exact=figures[line.name].interest,
			subsidy_exact=figures[line.name].subsidy,
		)
	return lines


def unmasked(lines) -> set:
	"""For users without the amounts' level: the lines of banks that do not mask them."""
	banks = {l.partner_bank for l in lines}
	open_banks = set(frappe.get_all("Partner Bank", {"name": ("in", banks), "mask_amounts": 0}, pluck="name"))
	return {l.name for l in lines if l.partner_bank in open_banks}


def amounts_of(names) -> dict:
	# names come from the permission-checked list above; the level-1 limit of the banks that
	# let co-op users see amounts is read here
	if not names:
		return {}
	return dict(
		frappe.get_all("Credit Line", {"name": ("in", list(names))}, ["name", "approved_limit"], as_list=1)
	)


def group_names(lines, shown) -> dict:
	by_bank = {}
	for line in lines:
		if line.name in shown:
			by_bank.setdefault(line.partner_bank, []).append(line.name)
	return by_bank


def get_data(filters, lines) -> list[dict]:
	key = GROUPS[filters.group_by]
	groups = {}
	for line in lines:
		row = groups.setdefault(
			line[key] or "", {"group": line[key], "lines": 0, "_interest": 0, "_subsidy": 0}
		)
		row["lines"] += 1
		if not line.shown:
			continue
		for field in ("approved_limit", "reserved", "used", "outstanding", "overdue"):
			row[field] = flt(row.get(field, 0) + flt(line[field]), 2)
		row["_interest"] += line.interest_exact
		row["_subsidy"] += line.subsidy_exact
	data = []
	for _key, row in sorted(groups.items()):
		row["interest"] = float(interest.to_yuan(interest.to_fen(row.pop("_interest"))))
		row["subsidy"] = float(interest.to_yuan(interest.to_fen(row.pop("_subsidy"))))
		data.append(row)
	return data


def get_chart(data) -> dict | None:
	if not data:
		return None
	return {
		"data": {
			"labels": [row["group"] for row in data],
			"datasets": [
				{"name": _("Approved Limit"), "values": [row.get("approved_limit", 0) for row in data]},
				{"name": _("Outstanding Principal"), "values": [row.get("outstanding", 0) for row in data]},
			],
		},
		"type": "bar",
		"fieldtype": "Currency",
	}


def get_summary(data, lines) -> list[dict]:
	def total(field):
		return flt(sum(flt(row.get(field)) for row in data), 2)

	return [
		{"label": _("Credit Lines"), "value": len(lines), "datatype": "Int"},
		{
			"label": _("Approved Limit"),
			"value": total("approved_limit"),
			"datatype": "Currency",
			"currency": "CNY",
		},
		{
			"label": _("Outstanding Principal"),
			"value": total("outstanding"),
			"datatype": "Currency",
			"currency": "CNY",
		},
		{
			"label": _("Interest Subsidy"),
			"value": total("subsidy"),
			"datatype": "Currency",
			"currency": "CNY",
		},
	]
