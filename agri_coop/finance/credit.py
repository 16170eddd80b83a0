"""Credit in a campaign: an order line paid on credit names the member's credit line, and its
amount is reserved against what the line has left (README "Credit purchase").

available = approved limit − outstanding principal − open reservations, where an open
reservation is the amount of a submitted Campaign Order line on credit that no submitted Loan
Disbursement has paid yet. A reservation is therefore nothing but the order line itself:
cancelling the order releases it, disbursing it turns it into principal, and nothing can get
out of step.

Submitting an order takes the row locks of its credit lines (in name order, so two orders
never deadlock) and reads the reservations with locking reads, which see what other
transactions have committed: two orders submitted at the same moment are serialised and the
second one sees the first one's lines.
"""

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce, Sum
from frappe.utils import flt, getdate, nowdate
from pypika.terms import ExistsCriterion

from agri_coop.utils.messages import Msg, throw

ON_CREDIT = "On Credit"
ACTIVE = "Active"


class CreditLineError(frappe.ValidationError):
	pass


class CreditLimitError(frappe.ValidationError):
	pass


def validate_order_credit(order):
	"""Campaign Order.validate: each line on credit names a usable line of its own member
	(the member's only active line when left empty); a line paid now names none."""
	wanted = [row for row in order.lines if row.payment_mode == ON_CREDIT]
	for row in order.lines:
		if row.payment_mode != ON_CREDIT:
			row.credit_line = None
	if not wanted:
		return
	fill_single_active_lines(wanted)
	lines = credit_line_terms({row.credit_line for row in wanted if row.credit_line})
	today = getdate(order.get("transaction_date") or nowdate())
	for row in wanted:
		if not row.credit_line:
			throw(
				"Member lines row {0}: member {1} buys on credit but has no active credit line; choose one or pay now",
				row.idx,
				row.member_name or row.member,
				exc=CreditLineError,
			)
		check_usable(lines.get(row.credit_line), row, today)


def fill_single_active_lines(rows):
	members = {row.member for row in rows if not row.credit_line}
	if not members:
		return
	Line = DocType("Credit Line")
	active = {}
	for name, member in (
		frappe.qb.from_(Line)
		.select(Line.name, Line.member)
		.where(Line.member.isin(list(members)) & (Line.credit_state == ACTIVE))
		.run()
	):
		active.setdefault(member, []).append(name)
	for row in rows:
		if not row.credit_line and len(active.get(row.member, [])) == 1:
			row.credit_line = active[row.member][0]


def credit_line_owner(name: str, exc=frappe.ValidationError):
	"""Whose the credit line is (member, partner_bank, cooperative, credit_state); refused with
	`exc` when there is no such line."""
	line = frappe.db.get_value(
		"Credit Line", name, ["member", "partner_bank", "cooperative", "credit_state"], as_dict=True
	)
	if not line:
		throw("Field {0}: credit line {1} does not exist", Msg("Credit Line"), name, exc=exc)
	return line


def credit_line_terms(names, for_update: bool = False) -> dict:
	if not names:
		return {}
	Line = DocType("Credit Line")
	query = (
		frappe.qb.from_(Line)
		.select(
			Line.name,
			Line.member,
			Line.member_name,
			Line.partner_bank,
			Line.credit_state,
			Line.valid_from,
			Line.valid_to,
			Line.approved_limit,
			Line.outstanding_principal,
		)
		.where(Line.name.isin(sorted(names)))
		.orderby(Line.name)
	)
	if for_update:
		query = query.for_update()
	return {row.name: row for row in query.run(as_dict=True)}


def check_usable(line, row, day):
	if not line:
		throw(
			"Member lines row {0}: credit line {1} does not exist",
			row.idx,
			row.credit_line,
			exc=CreditLineError,
		)
	if line.member != row.member:
		throw(
			"Member lines row {0}: credit line {1} is member {2}'s, not {3}'s",
			row.idx,
			line.name,
			line.member_name or line.member,
			row.member_name or row.member,
			exc=CreditLineError,
		)
	if line.credit_state != ACTIVE:
		throw(
			"Member lines row {0}: credit line {1} of member {2} is {3}; only an active line pays on credit",
			row.idx,
			line.name,
			line.member_name or line.member,
			Msg(line.credit_state),
			exc=CreditLineError,
		)
	if not getdate(line.valid_from) <= day <= getdate(line.valid_to):
		throw(
			"Member lines row {0}: credit line {1} of member {2} is valid from {3} to {4}, not on {5}",
			row.idx,
			line.name,
			line.member_name or line.member,
			line.valid_from,
			line.valid_to,
			day,
			exc=CreditLineError,
		)


def open_reservations(names, exclude_order: str | None = None, lock: bool = False) -> dict[str, float]:
	"""{credit line: amount of submitted order lines on credit not yet disbursed}."""
	if not names:
		return {}
	Row, Order, Disbursement = (
		DocType("Campaign Order Line"),
		DocType("Campaign Order"),
		DocType("Loan Disbursement"),
	)
	# correlated on the indexed order line: cheap per row, whatever the number of loans
	paid = (
		frappe.qb.from_(Disbursement)
		.select(Disbursement.name)
		.where((Disbursement.docstatus == 1) & (Disbursement.campaign_order_line == Row.name))
	)
	query = (
		frappe.qb.from_(Row)
		.join(Order)
		.on((Row.parent == Order.name) & (Row.parenttype == "Campaign Order"))
		.select(Row.credit_line, Sum(Row.amount))
		.where(
			Row.credit_line.isin(sorted(names))
			& (Row.payment_mode == ON_CREDIT)
			& (Order.docstatus == 1)
			& ExistsCriterion(paid).negate()
		)
		.groupby(Row.credit_line)
	)
	if exclude_order:
		query = query.where(Order.name != exclude_order)
	if lock:
		query = query.for_update()
	return {line: flt(amount, 2) for line, amount in query.run()}


def reserve_order_credit(order):
	"""Campaign Order.before_submit: the order's credit amounts fit what each line has left,
	under the lines' row locks. Refused with the member, the line and the figures."""
	wanted = {}
	for row in order.lines:
		if row.payment_mode == ON_CREDIT and row.credit_line:
			wanted[row.credit_line] = flt(wanted.get(row.credit_line, 0) + flt(row.amount), 2)
	if not wanted:
		return
	lines = credit_line_terms(wanted, for_update=True)  # the row locks, in name order
	today = getdate(nowdate())
	for row in order.lines:
		if row.payment_mode == ON_CREDIT and row.credit_line:
			check_usable(lines.get(row.credit_line), row, today)
	reserved = open_reservations(wanted, exclude_order=order.name, lock=True)
	for name, amount in wanted.items():
		line = lines[name]
		available = flt(flt(line.approved_limit) - flt(line.outstanding_principal) - reserved.get(name, 0), 2)
		if amount > available:
			throw(
				"Credit line {0} of member {1}: this order needs {2} on credit but only {3} is available (limit {4}, outstanding {5}, reserved by other orders {6})",
				name,
				line.member_name or line.member,
				amount,
				max(available, 0),
				flt(line.approved_limit, 2),
				flt(line.outstanding_principal, 2),
				reserved.get(name, 0),
				exc=CreditLimitError,
			)


def order_credit_lines(order) -> set[str]:
	return {row.credit_line for row in order.lines if row.payment_mode == ON_CREDIT and row.credit_line}


def refresh_order_lines(order, method=None):
	"""Campaign Order on_submit / on_cancel: the figures shown on its credit lines."""
	refresh_figures(order_credit_lines(order))


def ledger_outstanding(names, lock: bool = False) -> dict[str, tuple[float, float]]:
	"""{credit line: (disbursed, repaid principal)} from submitted disbursements and repayments
	(`lock`: locking reads, which see what other transactions committed)."""
	if not names:
		return {}
	Disbursement, Repayment = DocType("Loan Disbursement"), DocType("Loan Repayment")
	queries = [
		frappe.qb.from_(Disbursement)
		.select(Disbursement.credit_line, Sum(Disbursement.amount))
		.where(Disbursement.credit_line.isin(sorted(names)) & (Disbursement.docstatus == 1))
		.groupby(Disbursement.credit_line),
		frappe.qb.from_(Repayment)
		.select(Repayment.credit_line, Sum(Coalesce(Repayment.principal_amount, 0)))
		.where(Repayment.credit_line.isin(sorted(names)) & (Repayment.docstatus == 1))
		.groupby(Repayment.credit_line),
	]
	disbursed, repaid = (dict((q.for_update() if lock else q).run()) for q in queries)
	return {name: (flt(disbursed.get(name), 2), flt(repaid.get(name), 2)) for name in names}


def refresh_figures(names):
	"""Write reserved, disbursed, outstanding and available on the credit lines (the figures
	of their form and list; the rules always read the ledger and the order lines)."""
	names = sorted(n for n in names if n)
	if not names:
		return
	# locking reads: an order that waited for the lines' locks sees the orders committed meanwhile
	reserved = open_reservations(names, lock=True)
	limits = {name: line.approved_limit for name, line in credit_line_terms(names, for_update=True).items()}
	for name, (disbursed, repaid) in ledger_outstanding(names, lock=True).items():
		outstanding = flt(disbursed - repaid, 2)
		frappe.db.set_value(
			"Credit Line",
			name,
			{
				"reserved_amount": reserved.get(name, 0),
				"disbursed_amount": disbursed,
				"outstanding_principal": outstanding,
				"available_amount": flt(flt(limits.get(name)) - outstanding - reserved.get(name, 0), 2),
			},
			update_modified=False,
		)
