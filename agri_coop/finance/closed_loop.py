"""Closed-loop loan money (资金闭环管理, 受托支付; seed 000 §五(五)): a bank's loan pays only
the member's own campaign purchase, straight into the county SMC's account, against the
village's Sales Invoice that carries that purchase.

At invoicing, `disburse_invoice` turns the credit part of each member's purchase on a Sales
Invoice into a Loan Disbursement (member, credit line, campaign order line, amount, invoice)
and books the bank's money as one Payment Entry that settles exactly those parts of the
invoice: received on the bank's entrusted-payment account (a bank account, never cash),
for the invoice's own party, tagged with the bank. ERPNext's Payment Entry takes as party the
invoice's customer only, so the bank is the document's `agri_coop_partner_bank` and the
account the money arrives on.

Every rule sits on the Loan Disbursement itself (validate / before_submit), whatever path
it comes through: no disbursement without a campaign purchase on credit, above it, for
another member, to another invoice, or twice. A Payment Entry tagged with a bank is made and
cancelled by this flow only.
"""

import frappe
from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
from frappe.query_builder import DocType
from frappe.utils import flt, getdate, nowdate

from agri_coop.constants.roles import COOP_ACCOUNTANT, COUNTY_SMC_MANAGER
from agri_coop.finance.credit import ON_CREDIT, credit_line_owner, refresh_figures
from agri_coop.overrides.campaign_guard import APP_FLOW
from agri_coop.utils.integrity import allow_server_fields
from agri_coop.utils.messages import Msg, throw

BANK_FIELD = "agri_coop_partner_bank"
FLOW_FLAG = "agri_coop_closed_loop"
BOOKERS = (COOP_ACCOUNTANT, COUNTY_SMC_MANAGER, "System Manager")


class ClosedLoopError(frappe.ValidationError):
	pass


# --- the rules of one disbursement -------------------------------------------------------
def validate_disbursement(doc):
	"""Loan Disbursement.validate: it pays one member's campaign purchase on credit, on the
	invoice of that purchase, at most once and at most its amount."""
	row = campaign_line(doc)
	line = credit_line_owner(doc.credit_line, ClosedLoopError)
	if row.credit_line != doc.credit_line:
		throw(
			"Campaign order line {0} is not bought on credit line {1}: a loan pays only the purchase made on it",
			doc.campaign_order_line,
			doc.credit_line,
			exc=ClosedLoopError,
		)
	if doc.member != row.member or doc.member != line.member:
		throw(
			"Campaign order line {0} is member {1}'s purchase: a loan for member {2} cannot pay it",
			doc.campaign_order_line,
			row.member,
			doc.member,
			exc=ClosedLoopError,
		)
	doc.partner_bank, doc.cooperative, doc.campaign = line.partner_bank, line.cooperative, row.campaign
	amount = flt(doc.amount, 2)
	if amount <= 0:
		throw("Field {0}: {1} must be above 0", Msg("Amount"), amount, exc=ClosedLoopError)
	if amount > flt(row.amount, 2):
		throw(
			"Campaign order line {0} of member {1} is {2}: a disbursement of {3} is above the campaign purchase",
			doc.campaign_order_line,
			row.member,
			flt(row.amount, 2),
			amount,
			exc=ClosedLoopError,
		)
	validate_invoice(doc, row)
	refuse_twice(doc)


def campaign_line(doc):
	Row, Order = DocType("Campaign Order Line"), DocType("Campaign Order")
	found = (
		frappe.qb.from_(Row)
		.join(Order)
		.on((Row.parent == Order.name) & (Row.parenttype == "Campaign Order"))
		.select(
			Row.name,
			Row.member,
			Row.amount,
			Row.payment_mode,
			Row.credit_line,
			Row.sales_order,
			Row.sales_order_item,
			Order.campaign,
			Order.cooperative,
		)
		.where(
			(Row.name == doc.campaign_order_line)
			& (Order.name == doc.campaign_order)
			& (Order.docstatus == 1)
		)
		.run(as_dict=True)
	)
	if not found or found[0].payment_mode != ON_CREDIT:
		throw(
			"Campaign order line {0} of order {1} is no submitted campaign purchase on credit: a loan pays campaign purchases only",
			doc.campaign_order_line or "-",
			doc.campaign_order or "-",
			exc=ClosedLoopError,
		)
	return found[0]


def validate_invoice(doc, row):
	Item = DocType("Sales Invoice Item")
	invoice = frappe.db.get_value(
		"Sales Invoice", doc.sales_invoice, ["docstatus", "agri_coop_campaign", "is_return"], as_dict=True
	)
	carries = (
		row.sales_order_item
		and invoice
		and frappe.qb.from_(Item)
		.select(Item.name)
		.where((Item.parent == doc.sales_invoice) & (Item.so_detail == row.sales_order_item))
		.run()
	)
	if (
		not carries
		or invoice.docstatus != 1
		or invoice.is_return
		or invoice.agri_coop_campaign != row.campaign
	):
		throw(
			"Sales Invoice {0} does not carry campaign order line {1} of member {2}: a loan pays the invoice of that purchase only",
			doc.sales_invoice,
			doc.campaign_order_line,
			row.member,
			exc=ClosedLoopError,
		)


def refuse_twice(doc):
	other = frappe.db.get_value(
		"Loan Disbursement",
		{"campaign_order_line": doc.campaign_order_line, "docstatus": 1, "name": ("!=", doc.name)},
		"name",
	)
	if other:
		throw(
			"Campaign order line {0} is already paid by loan disbursement {1}: a purchase is disbursed once",
			doc.campaign_order_line,
			other,
			exc=ClosedLoopError,
		)


def before_submit_disbursement(doc):
	"""Under the credit line's row lock: still not paid twice, and the Payment Entry that
	carries the money is this bank's, for this invoice."""
	frappe.db.get_value("Credit Line", doc.credit_line, "name", for_update=True)
	refuse_twice(doc)
	if not doc.flags.get(FLOW_FLAG):
		throw(
			"Loan disbursements are booked from the Sales Invoice with the bank's payment (Disburse Credit), not one by one",
			exc=ClosedLoopError,
		)


def after_disbursement_change(doc):
	refresh_figures([doc.credit_line])


# --- the flow ----------------------------------------------------------------------------
def credit_rows_of_invoice(sales_invoice: str, partner_bank: str) -> list:
	"""The campaign order lines on credit with `partner_bank` that the invoice carries and no
	loan has paid yet."""
	Row, Order, Item, Line = (
		DocType("Campaign Order Line"),
		DocType("Campaign Order"),
		DocType("Sales Invoice Item"),
		DocType("Credit Line"),
	)
	Disbursement = DocType("Loan Disbursement")
	paid = (
		frappe.qb.from_(Disbursement)
		.select(Disbursement.campaign_order_line)
		.where((Disbursement.docstatus == 1) & Disbursement.campaign_order_line.isnotnull())
	)
	return (
		frappe.qb.from_(Row)
		.join(Order)
		.on((Row.parent == Order.name) & (Row.parenttype == "Campaign Order"))
		.join(Item)
		.on(Item.so_detail == Row.sales_order_item)
		.join(Line)
		.on(Line.name == Row.credit_line)
		.select(Row.name, Row.parent, Row.member, Row.amount, Row.credit_line)
		.distinct()
		.where(
			(Item.parent == sales_invoice)
			& (Order.docstatus == 1)
			& (Row.payment_mode == ON_CREDIT)
			& (Line.partner_bank == partner_bank)
			& Row.name.notin(paid)
		)
		.orderby(Row.parent)
		.orderby(Row.idx)
		.run(as_dict=True)
	)


@frappe.whitelist()
def disburse_invoice(
	sales_invoice: str, partner_bank: str, posting_date=None, bank_reference: str | None = None
):
	"""Book the bank's entrusted payment of its members' credit purchases on one invoice:
	a Loan Disbursement per member line and one Payment Entry for their sum. Returns the
	Payment Entry's name."""
	if not set(frappe.get_roles()) & set(BOOKERS):
		raise frappe.PermissionError
	frappe.has_permission("Sales Invoice", "read", sales_invoice, throw=True)
	frappe.has_permission("Loan Disbursement", "create", throw=True)
	posting_date = getdate(posting_date or nowdate())
	rows = credit_rows_of_invoice(sales_invoice, partner_bank)
	if not rows:
		throw(
			"Sales Invoice {0} carries no undisbursed purchase on credit with {1}",
			sales_invoice,
			partner_bank,
			exc=ClosedLoopError,
		)
	disbursements = [
		frappe.get_doc(
			{
				"doctype": "Loan Disbursement",
				"credit_line": row.credit_line,
				"member": row.member,
				"campaign_order": row.parent,
				"campaign_order_line": row.name,
				"sales_invoice": sales_invoice,
				"amount": row.amount,
				"posting_date": posting_date,
				"bank_reference": bank_reference,
			}
		).insert()
		for row in rows
	]
	total = flt(sum(flt(d.amount) for d in disbursements), 2)
	payment = make_bank_payment(sales_invoice, partner_bank, total, posting_date, bank_reference)
	for doc in disbursements:
		doc.payment_entry = payment.name
		doc.flags[FLOW_FLAG] = True
		allow_server_fields(doc).submit()
	return payment.name


def make_bank_payment(sales_invoice, partner_bank, amount, posting_date, bank_reference):
	account = frappe.db.get_value("Partner Bank", partner_bank, "receiving_account")
	payment = get_payment_entry("Sales Invoice", sales_invoice, party_amount=amount)
	outstanding = flt(payment.references[0].outstanding_amount, 2) if payment.references else 0
	if amount > outstanding:
		throw(
			"Sales Invoice {0} has {1} outstanding: the bank's {2} would pay more than is due",
			sales_invoice,
			outstanding,
			amount,
			exc=ClosedLoopError,
		)
	payment.update(
		{
			"posting_date": posting_date,
			"paid_to": account,
			"paid_to_account_currency": frappe.db.get_value("Account", account, "account_currency"),
			"paid_amount": amount,
			"received_amount": amount,
			"reference_no": bank_reference or f"{partner_bank} {sales_invoice}"[:140],
			"reference_date": posting_date,
			BANK_FIELD: partner_bank,
			"remarks": f"受托支付 {partner_bank} → {sales_invoice}",
		}
	)
	payment.references[0].allocated_amount = amount
	payment.flags[APP_FLOW] = True
	payment.flags[FLOW_FLAG] = True
	payment.insert()
	payment.submit()
	return payment


# --- the Payment Entry's side (overrides/payment_entry.py) ---------------------------------
def guard_bank_payment(doc, method=None):
	"""Payment Entry.before_validate: one tagged with a bank is the closed-loop flow's, on the
	bank's entrusted-payment account, against the invoice of the purchases it pays."""
	bank = doc.get(BANK_FIELD)
	if not bank:
		return
	if not doc.flags.get(FLOW_FLAG):
		throw(
			"Payment Entry {0} carries a loan of {1}: it is booked by the closed-loop flow only (Disburse Credit on the Sales Invoice)",
			doc.name,
			bank,
			exc=ClosedLoopError,
		)
	account = frappe.db.get_value("Partner Bank", bank, "receiving_account")
	refs = [r for r in doc.references or [] if flt(r.allocated_amount)]
	if (
		doc.payment_type != "Receive"
		or doc.paid_to != account
		or len(refs) != 1
		or refs[0].reference_doctype != "Sales Invoice"
	):
		throw(
			"A loan of {0} is received on account {1} against one Sales Invoice only, never as cash or to another party",
			bank,
			account,
			exc=ClosedLoopError,
		)


def guard_bank_payment_cancel(doc, method=None):
	"""Payment Entry.before_cancel: a loan's payment is reversed with its disbursements."""
	if doc.get(BANK_FIELD) and not doc.flags.get(FLOW_FLAG):
		throw(
			"Payment Entry {0} carries loan disbursements: reverse them with Reverse Disbursements",
			doc.name,
			exc=ClosedLoopError,
		)


@frappe.whitelist()
def reverse_disbursements(payment_entry: str):
	"""Cancel a bank payment and the disbursements it carries (the reservations come back)."""
	if not set(frappe.get_roles()) & set(BOOKERS):
		raise frappe.PermissionError
	payment = frappe.get_doc("Payment Entry", payment_entry)
	payment.check_permission("cancel")
	for name in frappe.get_all(
		"Loan Disbursement", {"payment_entry": payment_entry, "docstatus": 1}, pluck="name"
	):
		doc = frappe.get_doc("Loan Disbursement", name)
		doc.flags[FLOW_FLAG] = True
		doc.cancel()
	payment.flags[FLOW_FLAG] = payment.flags[APP_FLOW] = True
	payment.cancel()
