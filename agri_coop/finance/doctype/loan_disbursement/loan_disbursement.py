"""Loan Disbursement (受托支付): a bank's loan paying one member's campaign purchase on credit,
on the village's Sales Invoice of that purchase (rules: agri_coop.finance.closed_loop)."""

from frappe.model.document import Document

from agri_coop.finance import closed_loop
from agri_coop.utils.messages import throw


class LoanDisbursement(Document):
	def validate(self):
		closed_loop.validate_disbursement(self)

	def before_submit(self):
		closed_loop.before_submit_disbursement(self)

	def on_submit(self):
		closed_loop.after_disbursement_change(self)

	def before_cancel(self):
		if not self.flags.get(closed_loop.FLOW_FLAG):
			throw(
				"Loan disbursement {0} is reversed with its bank payment {1} (Reverse Disbursements)",
				self.name,
				self.payment_entry,
				exc=closed_loop.ClosedLoopError,
			)

	def on_cancel(self):
		closed_loop.after_disbursement_change(self)
