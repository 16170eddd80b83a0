"""The facts an application's rule is checked on, read from where they live: the
beneficiary's records (co-op tree, station, enterprise registration and SMC share), the
ledger (revenue of a company whose books are on this site; the dividend voucher; what the
programme has paid), and what the application states as evidence (star rating, audited
figure, acceptance). Each figure carries its source, shown in the eligibility working."""

from collections import defaultdict

import frappe
from frappe.query_builder.functions import Coalesce, Sum
from frappe.utils import flt, getdate

from agri_coop.constants.cooperatives import TOWN
from agri_coop.settlement.allocation import to_fen
from agri_coop.subsidies.payments import paid_applications, paid_by_other_application, years_paid
from agri_coop.subsidies.rules import (
	ANNUAL_AWARD,
	DIVIDEND_RETURN,
	PROJECT_FUND,
	PUBLIC_SERVICE_CENTRE,
	RURAL_UPWARD,
)
from agri_coop.utils.messages import bilingual

ENTERPRISE_TYPES = ("Company", "Supplier")


def year_dates(year: int) -> tuple[str, str]:
	"""China's accounting year is the calendar year (会计法 §11)."""
	return f"{int(year)}-01-01", f"{int(year)}-12-31"


def ledger_revenue(company: str, year: int) -> dict:
	"""A company's revenue of the year from its own ledger: income accounts (credit − debit) of
	the submitted, not cancelled GL entries; and the part of its sales invoices of the year
	that is paid (net total × paid share of the grand total), from the invoices' outstanding."""
	start, end = year_dates(year)
	GL, Account = frappe.qb.DocType("GL Entry"), frappe.qb.DocType("Account")
	income = (
		frappe.qb.from_(GL)
		.join(Account)
		.on(Account.name == GL.account)
		.select(Coalesce(Sum(GL.credit - GL.debit), 0))
		.where(
			(GL.company == company)
			& (GL.is_cancelled == 0)
			& (GL.posting_date[start:end])
			& (Account.root_type == "Income")
		)
		.run()[0][0]
	)
	Invoice = frappe.qb.DocType("Sales Invoice")
	invoices = (
		frappe.qb.from_(Invoice)
		.select(Invoice.base_net_total, Invoice.base_grand_total, Invoice.outstanding_amount)
		.where((Invoice.company == company) & (Invoice.docstatus == 1) & (Invoice.posting_date[start:end]))
		.run()
	)
	invoiced = paid = 0.0
	for net, grand, outstanding in invoices:
		invoiced += flt(net)
		if flt(grand):
			paid += flt(net) * max(0.0, flt(grand) - flt(outstanding)) / flt(grand)
	return {"revenue": flt(income, 2), "invoiced": flt(invoiced, 2), "paid": flt(paid, 2)}


def voucher_dividend(voucher: str | None, account: str | None) -> tuple[float, str, int | None]:
	"""The dividend a submitted Journal Entry of the SMC books on the dividend income account,
	the source and the year it was received in."""
	if not voucher or not account:
		return 0.0, "—", None
	entry = frappe.db.get_value("Journal Entry", voucher, ["docstatus", "posting_date"], as_dict=True)
	if not entry or entry.docstatus != 1:
		return 0.0, bilingual("Journal Entry {0} is not submitted", voucher), None
	Row = frappe.qb.DocType("Journal Entry Account")
	amount = (
		frappe.qb.from_(Row)
		.select(Coalesce(Sum(Row.credit - Row.debit), 0))
		.where((Row.parent == voucher) & (Row.parenttype == "Journal Entry") & (Row.account == account))
		.run()[0][0]
	)
	source = f"{bilingual('Journal Entry')} {voucher} {entry.posting_date}, {account}"
	return flt(amount, 2), source, getdate(entry.posting_date).year


def beneficiary_facts(beneficiary_type: str, beneficiary: str) -> dict:
	"""Who the beneficiary is: its name, co-op and town (for scope and the report), and for an
	enterprise its registration date, city and the SMC's share (custom fields on Company /
	Supplier)."""
	facts = {"beneficiary": beneficiary, "is_town": False, "is_enterprise": False}
	if beneficiary_type == "Cooperative":
		row = frappe.db.get_value(
			"Cooperative", beneficiary, ["cooperative_name", "cooperative_type", "town"], as_dict=True
		)
		if row:
			facts.update(
				beneficiary_name=row.cooperative_name,
				cooperative=beneficiary,
				town=beneficiary if row.cooperative_type == TOWN else row.town,
				is_town=row.cooperative_type == TOWN,
				beneficiary_kind=row.cooperative_type,
			)
	elif beneficiary_type == "Service Station":
		row = frappe.db.get_value(
			"Service Station",
			beneficiary,
			["station_name", "cooperative", "town", "station_type"],
			as_dict=True,
		)
		if row:
			facts.update(
				beneficiary_name=row.station_name,
				cooperative=row.cooperative,
				town=row.town,
				beneficiary_kind=row.station_type,
			)
	elif beneficiary_type in ENTERPRISE_TYPES:
		is_company = beneficiary_type == "Company"
		name_field = "company_name" if is_company else "supplier_name"
		# a Company's registration date is ERPNext's Date of Incorporation
		date_field = "date_of_incorporation" if is_company else "agri_coop_registration_date"
		row = frappe.db.get_value(
			beneficiary_type,
			beneficiary,
			[name_field, date_field, "agri_coop_registered_in_city", "agri_coop_smc_share"],
			as_dict=True,
		)
		if row:
			facts.update(
				beneficiary_name=row.get(name_field),
				is_enterprise=True,
				beneficiary_kind="Co-op-run Enterprise",
				registration_date=row.get(date_field),
				registered_in_city=row.agri_coop_registered_in_city,
				smc_share=row.agri_coop_smc_share,
				registration_source=f"{bilingual(beneficiary_type)} {beneficiary}",
			)
	return facts


def programme_assignments(program: str, exclude: str | None, lock: bool = False) -> dict:
	"""Fen assigned by the programme's other live (submitted) applications, in total and for
	the public service centre and rural-products-up categories."""
	App = frappe.qb.DocType("Subsidy Application")
	query = (
		frappe.qb.from_(App)
		.select(App.project_category, Sum(App.eligible_amount))
		.where((App.program == program) & (App.docstatus == 1))
		.groupby(App.project_category)
	)
	if exclude:
		query = query.where(App.name != exclude)
	if lock:
		query = query.for_update()
	by_category = defaultdict(int)
	for category, amount in query.run():
		by_category[category or ""] += to_fen(amount)
	return {
		"assigned_fen": sum(by_category.values()),
		"centre_assigned_fen": by_category[PUBLIC_SERVICE_CENTRE],
		"upward_assigned_fen": by_category[RURAL_UPWARD],
	}


def gather_facts(app, program, lock: bool = False) -> frappe._dict:
	"""Everything the application's rule looks at, with sources (see the module docstring).
	With `lock` (under the programme's lock), what other applications did is read with
	locking reads: as committed, not as the transaction's snapshot has it."""
	facts = frappe._dict(beneficiary_facts(app.beneficiary_type, app.beneficiary))
	facts.update(
		year=app.year,
		part=app.part,
		star_rating=app.star_rating,
		acceptance_result=app.acceptance_result,
		requested_amount=app.requested_amount,
		project_category=app.project_category,
		paid_by_other_application=paid_by_other_application(app, lock=lock),
		years_paid=years_paid(app, lock=lock),
		earlier_acceptance=earlier_acceptance(app),
	)
	if program.rule_type == ANNUAL_AWARD:
		facts.update(revenue_facts(app, program))
	if program.rule_type == DIVIDEND_RETURN:
		facts.dividend, facts.dividend_source, facts.dividend_year = voucher_dividend(
			app.dividend_voucher, program.dividend_account
		)
	if program.rule_type == PROJECT_FUND:
		facts.update(programme_assignments(program.name, None if app.is_new() else app.name, lock=lock))
	return facts


def revenue_facts(app, program) -> dict:
	"""Revenue from the ledger when the beneficiary's books are on this site (its ERPNext
	Company), with the audited figure beside it; otherwise the audited figure, which then
	needs the audit report attached (checked by the application)."""
	company = app.ledger_company or (app.beneficiary if app.beneficiary_type == "Company" else None)
	if company:
		figures = ledger_revenue(company, app.year)
		counted = figures["paid"] if program.paid_revenue_only else figures["revenue"]
		label = "revenue backed by paid invoices" if program.paid_revenue_only else "income accounts"
		return {
			"ledger_company": company,
			"ledger": figures,
			"revenue": counted,
			"revenue_source": bilingual("ledger of {0}, {1}, {2}", company, app.year, bilingual(label)),
		}
	if app.audited_revenue:
		return {
			"revenue": flt(app.audited_revenue, 2),
			"revenue_source": bilingual("audit report (books not on this site)"),
		}
	return {"revenue": None, "revenue_source": bilingual("books not on this site and no audited figure")}


def earlier_acceptance(app) -> bool:
	"""Was an acceptance grant paid to this beneficiary for an earlier year (any programme,
	any part)? If not, this is its first acceptance."""
	return any(
		(row.year or 0) < (app.year or 0)
		for row in paid_applications(
			beneficiary_type=app.beneficiary_type, beneficiary=app.beneficiary, rule_type="Acceptance Grant"
		)
	)
