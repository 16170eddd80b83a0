"""Paying an application's tranches from its programme's fund account, once.

Each tranche is paid by a submitted Journal Entry: debit the programme's fund account
(专账核算), credit the account the money leaves by (the programme's "Paid From", the company's
cash account, or, for the credit part of a first acceptance, the credit seed fund), both
lines tagged with the accounting dimension "Subsidy Program", the entry tagged with the
application and tranche. What is paid is read from the tranche rows whose entry is
submitted; cancelling the entry un-pays the tranche (`on_journal_entry_cancel`).

No double payment: the payment key of an application is (programme, beneficiary, year) —
(programme, beneficiary, part) for an acceptance grant. Submitting an application and paying
a tranche take the programme row's lock first and then read, with locking reads (the
latest committed rows, whatever the transaction read before), the other applications with
the same key, the years already paid, the programme's payments and the tranche itself; so
two requests at the same moment are serialised and the second one sees the first.
"""

import frappe
from frappe.query_builder.functions import Coalesce, Sum
from frappe.utils import flt, getdate, nowdate

from agri_coop.settlement.allocation import to_fen, to_yuan
from agri_coop.subsidies.accounts import DIMENSION_FIELD
from agri_coop.subsidies.notice import CLEAN, NOT_REQUIRED, application_notice
from agri_coop.subsidies.rules import (
	ACCEPTANCE_GRANT,
	ADVANCE,
	ANNUAL_AWARD,
	DIVIDEND_RETURN,
	MILESTONE,
	QUALIFIED,
	RETENTION,
)
from agri_coop.utils.messages import Msg, throw

PAYING_ROLES = ("County SMC Manager", "Coop Accountant", "System Manager")
YEAR_CAPPED = (ANNUAL_AWARD, DIVIDEND_RETURN)


class SubsidyPaymentError(frappe.ValidationError):
	pass


class DoublePaymentError(SubsidyPaymentError):
	pass


# set on the Journal Entries pay_tranche makes: no other entry may name an application
SUBSIDY_FLOW = "agri_coop_subsidy_payment"


def payment_key(app) -> str:
	what = app.part if app.rule_type == ACCEPTANCE_GRANT else str(app.year or "")
	return "|".join((app.program or "", app.beneficiary_type or "", app.beneficiary or "", what or ""))


def lock_program(program: str):
	"""The programme row's lock: every payment and submission of the programme waits here."""
	frappe.db.get_value("Subsidy Program", program, "name", for_update=True)


def paid_tranches_query(lock: bool = False):
	App, Tranche, Entry = (
		frappe.qb.DocType(d) for d in ("Subsidy Application", "Subsidy Tranche", "Journal Entry")
	)
	query = (
		frappe.qb.from_(Tranche)
		.join(App)
		.on((App.name == Tranche.parent) & (Tranche.parenttype == "Subsidy Application"))
		.join(Entry)
		.on(Entry.name == Tranche.journal_entry)
		.where((Entry.docstatus == 1) & (App.docstatus == 1))
	)
	return (query.for_update() if lock else query), App, Tranche


def paid_applications(lock: bool = False, exclude: str | None = None, **filters) -> list:
	"""Submitted applications with at least one paid tranche, matching the filters
	(fields of Subsidy Application): [{name, year, paid}]."""
	query, App, Tranche = paid_tranches_query(lock)
	query = query.select(App.name, App.year, Sum(Tranche.amount).as_("paid")).groupby(App.name, App.year)
	for fieldname, value in filters.items():
		query = query.where(App[fieldname] == value)
	if exclude:
		query = query.where(App.name != exclude)
	return query.run(as_dict=True)


def paid_by_other_application(app, lock: bool = False) -> str | None:
	rows = paid_applications(lock=lock, exclude=app.name, payment_key=payment_key(app))
	return rows[0].name if rows else None


def years_paid(app, lock: bool = False) -> list[int]:
	"""The years the programme has paid this beneficiary (the five-year cap counts these)."""
	rows = paid_applications(
		lock=lock, program=app.program, beneficiary_type=app.beneficiary_type, beneficiary=app.beneficiary
	)
	return sorted({row.year for row in rows})


def live_duplicate(app) -> str | None:
	"""Another submitted application with the same payment key (locking read)."""
	App = frappe.qb.DocType("Subsidy Application")
	rows = (
		frappe.qb.from_(App)
		.select(App.name)
		.where((App.payment_key == payment_key(app)) & (App.docstatus == 1) & (App.name != app.name))
		.for_update()
		.run()
	)
	return rows[0][0] if rows else None


def program_paid_fen(program: str, lock: bool = False) -> int:
	query, App, Tranche = paid_tranches_query(lock)
	amount = query.select(Coalesce(Sum(Tranche.amount), 0)).where(App.program == program).run()[0][0]
	return to_fen(amount)


def fund_balance_fen(program, lock: bool = False) -> int:
	"""What the programme's fund account holds for it: credits − debits of its GL entries
	tagged with the programme (arrivals less payments)."""
	GL = frappe.qb.DocType("GL Entry")
	query = (
		frappe.qb.from_(GL)
		.select(GL.credit, GL.debit)
		.where(
			(GL.account == program.fund_account)
			& (GL.is_cancelled == 0)
			& (GL[DIMENSION_FIELD] == program.name)
		)
	)
	rows = (query.for_update() if lock else query).run()
	return sum(to_fen(credit) - to_fen(debit) for credit, debit in rows)


def locked_tranche(name: str) -> frappe._dict:
	Tranche = frappe.qb.DocType("Subsidy Tranche")
	rows = frappe.qb.from_(Tranche).select("*").where(Tranche.name == name).for_update().run(as_dict=True)
	return rows[0] if rows else None


def is_paid(row, lock: bool = False) -> bool:
	"""Is the tranche's entry submitted? With `lock`, a locking read: the latest committed
	state, not the transaction's snapshot (which may predate another payment's commit)."""
	return (
		bool(row.journal_entry)
		and frappe.db.get_value("Journal Entry", row.journal_entry, "docstatus", for_update=lock) == 1
	)


# -- paying


@frappe.whitelist()
def pay_tranche(application: str, tranche: str, posting_date: str | None = None) -> str:
	"""Pay one tranche of a submitted application by a submitted Journal Entry; returns its name."""
	frappe.only_for(PAYING_ROLES)
	app = frappe.get_doc("Subsidy Application", application)
	app.check_permission("write")
	frappe.has_permission("Journal Entry", "submit", throw=True)
	if app.docstatus != 1:
		throw("Application {0} is not submitted: nothing can be paid", app.name, exc=SubsidyPaymentError)
	program = frappe.get_doc("Subsidy Program", app.program)
	posting_date = getdate(posting_date or nowdate())

	lock_program(program.name)
	row = locked_tranche(tranche)
	if not row or row.parent != app.name:
		throw("Tranche {0} is not one of application {1}", tranche, app.name, exc=SubsidyPaymentError)
	app = frappe.get_doc("Subsidy Application", app.name, for_update=True)  # as committed, after the lock
	check_payable(app, program, row, posting_date)
	entry = post_payment(app, program, row, posting_date)
	frappe.db.set_value(
		"Subsidy Tranche",
		row.name,
		{
			"journal_entry": entry.name,
			"paid_on": posting_date,
			"credited_account": credit_account(app, program),
		},
	)
	refresh_application(app.name)
	return entry.name


def check_payable(app, program, row, posting_date):
	"""Every rule a payment must meet, read after the programme's lock."""
	if is_paid(row, lock=True):
		throw(
			"Tranche {0} of {1} is already paid by {2}",
			row.idx,
			app.name,
			row.journal_entry,
			exc=DoublePaymentError,
		)
	other = paid_by_other_application(app, lock=True)
	if other:
		throw(
			"{0} has already been paid by application {1} for the same programme and year (or part)",
			app.beneficiary_name or app.beneficiary,
			other,
			exc=DoublePaymentError,
		)
	if program.rule_type in YEAR_CAPPED:
		years = [y for y in years_paid(app, lock=True) if y != app.year]
		if len(years) >= (program.max_years or 0):
			throw(
				"{0} has already been paid for {1} years ({2}): the programme pays at most {3}",
				app.beneficiary_name or app.beneficiary,
				len(years),
				", ".join(map(str, years)),
				program.max_years,
				exc=SubsidyPaymentError,
			)
		if posting_date.year <= (app.year or 0):
			throw(
				"The award for {0} is paid from the next year on, not on {1}",
				app.year,
				posting_date,
				exc=SubsidyPaymentError,
			)
	app.notice_end, app.notice_status = application_notice(app, program)  # "ended" is of today
	if app.notice_status not in (NOT_REQUIRED, CLEAN):
		throw(
			"The public notice of {0} has not ended clean ({1}): no funds can be assigned",
			app.name,
			Msg(app.notice_status),
			exc=SubsidyPaymentError,
		)
	if app.notice_end and posting_date <= getdate(app.notice_end):
		throw(
			"The public notice of {0} ends on {1}: funds are paid after it, not on {2}",
			app.name,
			app.notice_end,
			posting_date,
			exc=SubsidyPaymentError,
		)
	check_tranche_gate(app, row, posting_date)
	amount = to_fen(row.amount)
	if program_paid_fen(program.name, lock=True) + amount > to_fen(program.budget):
		throw(
			"Programme {0}: paying {1} would exceed its budget {2}",
			program.name,
			to_yuan(amount),
			program.budget,
			exc=SubsidyPaymentError,
		)
	balance = fund_balance_fen(program, lock=True)
	if balance < amount:
		throw(
			"Fund account {0} holds {1} for programme {2}, less than the {3} to pay",
			program.fund_account,
			to_yuan(balance),
			program.name,
			to_yuan(amount),
			exc=SubsidyPaymentError,
		)


def check_tranche_gate(app, row, posting_date):
	others = [t for t in app.tranches if t.name != row.name]
	if row.tranche_type in (ADVANCE, MILESTONE):
		if not app.project_started_on or getdate(app.project_started_on) > posting_date:
			throw(
				"Tranche {0} ({1}) is paid only after the project has started (field {2})",
				row.idx,
				Msg(row.tranche_type),
				Msg("Project Started On"),
				exc=SubsidyPaymentError,
			)
	if row.tranche_type == MILESTONE:
		advance = [t for t in others if t.tranche_type == ADVANCE]
		if not all(is_paid(t, lock=True) for t in advance):
			throw("Tranche {0}: the first advance is paid first", row.idx, exc=SubsidyPaymentError)
		if not row.reached_on:
			throw(
				"Tranche {0}: field {1} is required before it is paid",
				row.idx,
				Msg("Milestone Reached On"),
				exc=SubsidyPaymentError,
			)
	if row.tranche_type == RETENTION:
		if app.acceptance_result != QUALIFIED:
			throw(
				"The retention of {0} is paid only after acceptance is {1} (now: {2})",
				app.name,
				Msg(QUALIFIED),
				Msg(app.acceptance_result or "Not Yet Accepted"),
				exc=SubsidyPaymentError,
			)
		if not all(is_paid(t, lock=True) for t in others):
			throw("The retention of {0} is paid last", app.name, exc=SubsidyPaymentError)


def credit_account(app, program) -> str:
	if app.seed_fund and program.seed_fund_account:
		return program.seed_fund_account
	return program.payment_account or frappe.get_cached_value(
		"Company", program.company, "default_cash_account"
	)


def post_payment(app, program, row, posting_date):
	amount = float(to_yuan(to_fen(row.amount)))
	cost_center = frappe.get_cached_value("Company", program.company, "cost_center")
	remark = f"奖补资金拨付 {app.name} {program.name} {app.beneficiary_name or app.beneficiary} {app.year} 第{row.idx}期"
	entry = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": "Journal Entry",
			"company": program.company,
			"posting_date": posting_date,
			"cheque_no": app.name,
			"cheque_date": posting_date,
			"agri_coop_subsidy_application": app.name,
			"user_remark": remark,
			"accounts": [
				{
					"account": program.fund_account,
					"debit_in_account_currency": amount,
					"cost_center": cost_center,
					DIMENSION_FIELD: program.name,
				},
				{
					"account": credit_account(app, program),
					"credit_in_account_currency": amount,
					"cost_center": cost_center,
					DIMENSION_FIELD: program.name,
				},
			],
		}
	)
	entry.flags[SUBSIDY_FLOW] = True
	entry.insert()
	entry.submit()
	return entry


def guard_subsidy_entry(doc, method=None):
	"""Journal Entry before_validate: only a tranche's payment names a subsidy application
	(a hand-made entry cannot pass for one)."""
	if not doc.get("agri_coop_subsidy_application") or doc.flags.get(SUBSIDY_FLOW):
		return
	if doc.docstatus == 0 and doc.is_new():
		throw(
			"Journal Entry: field {0} is set by the payment of a tranche only",
			Msg("Subsidy Application"),
			exc=SubsidyPaymentError,
		)
	stored = frappe.db.get_value("Journal Entry", doc.name, "agri_coop_subsidy_application")
	if stored != doc.agri_coop_subsidy_application:
		throw(
			"Journal Entry: field {0} is set by the payment of a tranche only",
			Msg("Subsidy Application"),
			exc=SubsidyPaymentError,
		)


@frappe.whitelist()
def receive_funds(program: str, amount, posting_date: str | None = None, reference: str | None = None) -> str:
	"""Book money arriving for a programme: debit the account it arrives in, credit the fund
	account, both tagged with the programme (a submitted Journal Entry)."""
	frappe.only_for(PAYING_ROLES)
	doc = frappe.get_doc("Subsidy Program", program)
	doc.check_permission("read")
	amount = flt(amount, 2)
	if amount <= 0:
		throw("Field {0}: must be more than 0", Msg("Amount"), exc=SubsidyPaymentError)
	cost_center = frappe.get_cached_value("Company", doc.company, "cost_center")
	arrives_in = doc.payment_account or frappe.get_cached_value(
		"Company", doc.company, "default_cash_account"
	)
	posting_date = posting_date or nowdate()
	entry = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": "Journal Entry",
			"company": doc.company,
			"posting_date": posting_date,
			"cheque_no": reference or doc.legal_basis,
			"cheque_date": posting_date,
			"user_remark": f"专项资金到账 {doc.name} {doc.funder} {reference or doc.legal_basis}",
			"accounts": [
				{
					"account": arrives_in,
					"debit_in_account_currency": amount,
					"cost_center": cost_center,
					DIMENSION_FIELD: doc.name,
				},
				{
					"account": doc.fund_account,
					"credit_in_account_currency": amount,
					"cost_center": cost_center,
					DIMENSION_FIELD: doc.name,
				},
			],
		}
	)
	entry.insert()
	entry.submit()
	return entry.name


# -- following the ledger


def refresh_application(name: str):
	"""Paid, retained (unpaid retention), still to pay and the status, from the tranche rows."""
	# in the function: the application's controller imports this module
	from agri_coop.subsidies.doctype.subsidy_application.subsidy_application import application_status

	app = frappe.get_doc("Subsidy Application", name, for_update=True)
	program = frappe.get_cached_doc("Subsidy Program", app.program)
	app.notice_end, app.notice_status = application_notice(app, program)
	paid_rows = {t.name for t in app.tranches if is_paid(t, lock=True)}
	paid = sum(to_fen(t.amount) for t in app.tranches if t.name in paid_rows)
	retained = sum(
		to_fen(t.amount) for t in app.tranches if t.tranche_type == RETENTION and t.name not in paid_rows
	)
	unpaid = sum(to_fen(t.amount) for t in app.tranches) - paid
	app.db_set(
		{
			"paid_amount": float(to_yuan(paid)),
			"retained_amount": float(to_yuan(retained)),
			"unpaid_amount": float(to_yuan(unpaid)),
			"status": application_status(app, paid, unpaid),
			"notice_end": app.notice_end,
			"notice_status": app.notice_status,
		},
		update_modified=False,
	)


def on_journal_entry_cancel(doc, method=None):
	"""A cancelled payment entry un-pays its tranche."""
	application = doc.get("agri_coop_subsidy_application")
	if not application:
		return
	Tranche = frappe.qb.DocType("Subsidy Tranche")
	frappe.qb.update(Tranche).set(Tranche.journal_entry, None).set(Tranche.paid_on, None).set(
		Tranche.credited_account, None
	).where((Tranche.journal_entry == doc.name) & (Tranche.parent == application)).run()
	refresh_application(application)
