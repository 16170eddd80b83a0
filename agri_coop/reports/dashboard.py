"""The leadership workspace's number cards (Number Card, type Custom): each calls the query
function of its report, so a card and its report cannot disagree, and each runs as the
session user, so a town user's card shows its own town (the reports read in the user's scope).

A card's method gets the card's `filters` from the desk; they go through the report's own
filter validation.
"""

import frappe
from frappe import _

from agri_coop.finance.report.credit_purchase import credit_purchase
from agri_coop.members.report.member_registration_rate import member_registration_rate
from agri_coop.reports.report.campaign_summary import campaign_summary
from agri_coop.reports.report.group_purchase_share import group_purchase_share
from agri_coop.reports.report.organisation_build_out import organisation_build_out
from agri_coop.reports.report.station_coverage import station_coverage
from agri_coop.security.boundary import allowed_cooperatives
from agri_coop.settlement.report.rebates import rebates
from agri_coop.subsidies.report.subsidies import subsidies
from agri_coop.utils.messages import throw


def card(value, fieldtype: str, report: str, route_options: dict | None = None) -> dict:
	# a card is its report's figure: only the report's roles get it
	if not report_permitted(report):
		throw("Your roles do not allow the report {0}", report, exc=frappe.PermissionError)
	return {
		"value": value,
		"fieldtype": fieldtype,
		"route": ["query-report", report],
		"route_options": route_options or {},
	}


def report_permitted(report: str) -> bool:
	"""The report's own role check (Report.is_permitted), the one the report view makes."""
	return frappe.get_cached_doc("Report", report).is_permitted()


def parse(filters) -> dict:
	filters = frappe.parse_json(filters) if filters else {}
	return filters if isinstance(filters, dict) else {}


@frappe.whitelist()
def registration_rate(filters=None) -> dict:
	"""社员上线率 of the user's scope (target 80%)."""
	report = member_registration_rate
	_data, total = report.get_data(report.validate_filters(parse(filters)))
	return card(total["registration_rate"] if total else 0.0, "Percent", "Member Registration Rate")


@frappe.whitelist()
def group_purchase_share_card(filters=None) -> dict:
	"""统购占比 of the latest year with a recorded denominator (target 10%)."""
	report = group_purchase_share
	filters = report.validate_filters(parse(filters))
	data, _total = report.get_data(filters)
	year = report.headline(data, filters.year)
	share = (year["share"] or 0.0) if year else 0.0
	options = {"year": year["year_key"]} if year else {}
	return card(share, "Percent", "Group-purchase Share", options)


@frappe.whitelist()
def certified_departments(filters=None) -> dict:
	"""Share of the co-ops whose purchasing department is certified (挂牌) (target 100%)."""
	report = organisation_build_out
	_data, figures = report.get_data(report.validate_filters(parse(filters)))
	return card(report.certified_share(figures), "Percent", "Organisation Build-out")


@frappe.whitelist()
def season_savings(filters=None) -> dict:
	"""Members' savings against the market in the latest season."""
	report = campaign_summary
	filters = report.validate_filters(parse(filters))
	_data, total = report.get_data(filters)
	return card(
		total["savings"] if total else 0.0, "Currency", "Campaign Summary", {"season": filters.season}
	)


@frappe.whitelist()
def rebates_returned(filters=None) -> dict:
	"""Profit returned to the co-ops by the submitted settlements (all three shares)."""
	report = rebates
	rows = report.get_rows(report.validate_filters(parse(filters)))
	return card(round(sum(float(r.total or 0) for r in rows), 2), "Currency", "Rebates")


@frappe.whitelist()
def credit_outstanding(filters=None) -> dict:
	"""Outstanding credit-purchase principal (赊购), as the Credit Purchase report totals it for
	the user (amounts a bank masks from co-op users are not in it)."""
	report = credit_purchase
	filters = report.validate_filters(parse(filters))
	data = report.get_data(filters, report.get_lines(filters))
	return card(
		round(sum(float(row.get("outstanding") or 0) for row in data), 2), "Currency", "Credit Purchase"
	)


@frappe.whitelist()
def subsidies_paid(filters=None) -> dict:
	"""Subsidies paid out (奖补资金已拨付) on submitted applications, as the Subsidies report
	totals them for the user."""
	report = subsidies
	rows = report.get_rows(report.validate_filters(parse(filters)))
	summary = report.get_report_summary(rows, frappe._dict(), allowed_cooperatives() is None) or []
	paid = next(
		(s["value"] for s in summary if s.get("datatype") == "Currency" and s["label"] == _("Paid Out")), 0.0
	)
	return card(paid, "Currency", "Subsidies")


def coverage(filters, station_type: str, level: str) -> float:
	report = station_coverage
	_data, figures = report.get_data(report.validate_filters(parse(filters)))
	return figures[station_type][f"{level}_rate"] or 0.0


@frappe.whitelist()
def town_ecommerce_coverage(filters=None) -> dict:
	"""Towns with an e-commerce service station (seed 003: 100%)."""
	return card(coverage(filters, station_coverage.ECOMMERCE, "town"), "Percent", "Station Coverage")


@frappe.whitelist()
def village_ecommerce_coverage(filters=None) -> dict:
	"""Villages with an e-commerce service point (seed 003: at least 50%)."""
	return card(coverage(filters, station_coverage.ECOMMERCE, "village"), "Percent", "Station Coverage")


@frappe.whitelist()
def town_logistics_coverage(filters=None) -> dict:
	"""Towns with a logistics service point (seed 003: 100%)."""
	return card(coverage(filters, station_coverage.LOGISTICS, "town"), "Percent", "Station Coverage")


@frappe.whitelist()
def village_logistics_coverage(filters=None) -> dict:
	"""Villages with a logistics service point (seed 003: at least 50%)."""
	return card(coverage(filters, station_coverage.LOGISTICS, "village"), "Percent", "Station Coverage")


# card name -> (method, the DocType whose readers see the card)
NUMBER_CARDS = {
	"Registration Rate (Target 80%)": ("registration_rate", "Coop Member"),
	"Group-purchase Share (Target 10%)": ("group_purchase_share_card", "Campaign Order"),
	"Certified Departments (Target 100%)": ("certified_departments", "Cooperative"),
	"Savings This Season": ("season_savings", "Campaign Order"),
	"Rebates Returned": ("rebates_returned", "Campaign Settlement"),
	"Credit Outstanding": ("credit_outstanding", "Credit Line"),
	"Subsidies Paid Out": ("subsidies_paid", "Subsidy Application"),
	"Town E-commerce Stations (Target 100%)": ("town_ecommerce_coverage", "Service Station"),
	"Village E-commerce Points (Target 50%)": ("village_ecommerce_coverage", "Service Station"),
	"Town Logistics Points (Target 100%)": ("town_logistics_coverage", "Service Station"),
	"Village Logistics Points (Target 50%)": ("village_logistics_coverage", "Service Station"),
}

# card name -> the report whose figure it shows (and whose roles may see it)
CARD_REPORTS = {
	"Registration Rate (Target 80%)": "Member Registration Rate",
	"Group-purchase Share (Target 10%)": "Group-purchase Share",
	"Certified Departments (Target 100%)": "Organisation Build-out",
	"Savings This Season": "Campaign Summary",
	"Rebates Returned": "Rebates",
	"Credit Outstanding": "Credit Purchase",
	"Subsidies Paid Out": "Subsidies",
	"Town E-commerce Stations (Target 100%)": "Station Coverage",
	"Village E-commerce Points (Target 50%)": "Station Coverage",
	"Town Logistics Points (Target 100%)": "Station Coverage",
	"Village Logistics Points (Target 50%)": "Station Coverage",
}


def number_card_has_permission(doc, ptype=None, user=None, debug=False):
	"""The workspace shows an app card only to the roles of its report (Frappe checks only
	that the user reads the card's DocType); other cards: no opinion."""
	report = CARD_REPORTS.get(doc.name)
	if report and not report_permitted(report):
		return False
	return None
