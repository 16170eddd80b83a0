"""Loan Repayment: a repayment from the bank's statement (form, or Frappe's Data Import of the
statement sheet with "Submit After Import"): it reduces the line's outstanding principal.
A statement row (bank reference) is booked once, so importing the sheet again adds nothing."""

import frappe
from frappe.model.document import Document
from frappe.utils import flt, getdate

from agri_coop.finance.credit import credit_line_owner, refresh_figures
from agri_coop.finance.interest import balance_on
from agri_coop.utils.messages import Msg, throw


class LoanRepaymentError(frappe.ValidationError):
	pass


class LoanRepayment(Document):
	def validate(self):
		line = credit_line_owner(self.credit_line, LoanRepaymentError)
		self.member, self.partner_bank, self.cooperative = line.member, line.partner_bank, line.cooperative
		if flt(self.principal_amount, 2) <= 0 and flt(self.interest_amount, 2) <= 0:
			throw(
				"Field {0}: a repayment repays principal or interest",
				Msg("Principal Repaid"),
				exc=LoanRepaymentError,
			)
		if flt(self.principal_amount) < 0 or flt(self.interest_amount) < 0:
			throw("Field {0}: amounts are not negative", Msg("Principal Repaid"), exc=LoanRepaymentError)
		self.refuse_booked_statement_row()

	def refuse_booked_statement_row(self):
		other = frappe.db.get_value(
			"Loan Repayment",
			{
				"partner_bank": self.partner_bank,
				"bank_reference": self.bank_reference,
				"docstatus": ("<", 2),
				"name": ("!=", self.name),
			},
			"name",
		)
		if other:
			throw(
				"Bank statement row {0} of {1} is already booked as {2}",
				self.bank_reference,
				self.partner_bank,
				other,
				exc=LoanRepaymentError,
			)

	def before_submit(self):
		frappe.db.get_value("Credit Line", self.credit_line, "name", for_update=True)  # serialise with others
		self.refuse_booked_statement_row()
		principal = flt(self.principal_amount, 2)
		owed_then = balance_on(self.credit_line, getdate(self.posting_date))
		owed_now = balance_on(self.credit_line, None)
		if principal > min(owed_then, owed_now):
			throw(
				"Credit line {0} of member {1}: repaying {2} of principal on {3} is more than the {4} outstanding",
				self.credit_line,
				self.member_name or self.member,
				principal,
				self.posting_date,
				min(owed_then, owed_now),
				exc=LoanRepaymentError,
			)

	def on_submit(self):
		refresh_figures([self.credit_line])

	def on_cancel(self):
		refresh_figures([self.credit_line])
