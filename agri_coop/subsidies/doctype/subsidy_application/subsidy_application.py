"""Subsidy Application (奖补申请): a beneficiary's claim on a programme for a year (or part).

validate: who the beneficiary is (name, co-op, town: the scope), the facts of its rule
(agri_coop.subsidies.ledger) and the rule's check with its working (agri_coop.subsidies.rules),
the tranche schedule, the public notice. Submitting needs an eligible check, the evidence
the rule uses and no other live application with the same payment key (under the
programme's lock). Tranches are paid by agri_coop.subsidies.payments.pay_tranche."""

import frappe
from frappe.model.document import Document
from frappe.utils import flt

from agri_coop.security.boundary import is_in_scope
from agri_coop.settlement.allocation import to_fen, to_yuan
from agri_coop.subsidies import ledger, notice, payments, rules
from agri_coop.utils.messages import Msg, bilingual, throw


class SubsidyApplicationError(frappe.ValidationError):
	pass


class SubsidyApplication(Document):
	def validate(self):
		self.program_doc = frappe.get_doc("Subsidy Program", self.program)
		self.rule_type = self.program_doc.rule_type
		self.company = self.program_doc.company
		self.set_beneficiary()
		self.payment_key = payments.payment_key(self)
		self.check_eligibility()
		self.set_tranches()
		self.set_notice()
		self.status = application_status(self, to_fen(self.paid_amount), to_fen(self.unpaid_amount))

	def before_update_after_submit(self):
		self.program_doc = frappe.get_doc("Subsidy Program", self.program)
		self.keep_tranche_rows()
		self.check_acceptance()
		self.set_notice()
		self.status = application_status(self, to_fen(self.paid_amount), to_fen(self.unpaid_amount))

	def before_submit(self):
		payments.lock_program(self.program)
		self.check_eligibility(lock=True)  # again, after the lock: the other applications as committed
		self.set_tranches()
		if not self.eligible:
			throw(
				"Application {0} is not eligible: see the working of the eligibility check",
				self.name,
				exc=SubsidyApplicationError,
			)
		self.check_evidence()
		duplicate = payments.live_duplicate(self)
		if duplicate:
			throw(
				"{0} already has application {1} for the same programme and year (or part)",
				self.beneficiary_name or self.beneficiary,
				duplicate,
				exc=payments.DoublePaymentError,
			)

	def on_submit(self):
		self.db_set("status", application_status(self, 0, to_fen(self.unpaid_amount)))

	def before_cancel(self):
		paid = [t.journal_entry for t in self.tranches if payments.is_paid(t)]
		if paid:
			throw(
				"Application {0} has paid tranches ({1}): cancel those Journal Entries first",
				self.name,
				", ".join(paid),
				exc=SubsidyApplicationError,
			)

	def on_cancel(self):
		self.db_set("status", "Cancelled")

	# -- steps of validate

	def set_beneficiary(self):
		if self.beneficiary_type in ledger.ENTERPRISE_TYPES and self.rule_type == rules.ACCEPTANCE_GRANT:
			throw(
				"Field {0}: an acceptance grant goes to a town organisation, not to {1}",
				Msg("Beneficiary Type"),
				Msg(self.beneficiary_type),
				exc=SubsidyApplicationError,
			)
		facts = ledger.beneficiary_facts(self.beneficiary_type, self.beneficiary)
		if not facts.get("beneficiary_name"):
			throw(
				"Field {0}: {1} {2} not found",
				Msg("Beneficiary"),
				Msg(self.beneficiary_type),
				self.beneficiary,
				exc=SubsidyApplicationError,
			)
		self.beneficiary_name = facts["beneficiary_name"]
		self.cooperative = facts.get("cooperative")
		self.town = facts.get("town")
		self.check_ledger_company()
		if not is_in_scope(self.cooperative):
			throw(
				"Field {0}: {1} is outside your co-ops",
				Msg("Beneficiary"),
				self.beneficiary,
				exc=frappe.PermissionError,
			)

	def check_ledger_company(self):
		"""The books named are the beneficiary's own: its Company itself, or a company that
		keeps the beneficiary co-op's books (nobody reads another company's revenue here)."""
		if not self.ledger_company:
			return
		if self.beneficiary_type == "Company":
			own = self.ledger_company == self.beneficiary
		elif self.beneficiary_type == "Supplier":
			own = False
		else:
			own = bool(self.cooperative) and (
				frappe.db.get_value("Company", self.ledger_company, "agri_coop_cooperative")
				== self.cooperative
			)
		if not own:
			throw(
				"Field {0}: company {1} does not keep the books of {2}",
				Msg("Books Kept on This Site In"),
				self.ledger_company,
				self.beneficiary_name or self.beneficiary,
				exc=SubsidyApplicationError,
			)

	def check_eligibility(self, lock: bool = False):
		facts = ledger.gather_facts(self, self.program_doc, lock=lock)
		result = rules.check_eligibility(self.program_doc, facts)
		self.eligible = int(result.eligible)
		self.eligible_amount = float(to_yuan(result.amount_fen)) if result.eligible else 0
		self.seed_fund = int(result.seed_fund)
		self.eligibility_working = result.working()
		figures = facts.get("ledger")
		self.ledger_revenue = figures["revenue"] if figures else 0
		self.paid_invoice_revenue = figures["paid"] if figures else 0
		self.revenue_difference = (
			flt(flt(self.audited_revenue) - figures["revenue"], 2) if figures and self.audited_revenue else 0
		)
		if figures and self.audited_revenue and self.revenue_difference:
			self.eligibility_working += "\n· " + bilingual(
				"Audited revenue {0} differs from the ledger by {1}",
				self.audited_revenue,
				self.revenue_difference,
			)
		self.facts = facts

	def check_evidence(self):
		"""The audited accounts are what an annual award is paid on; without the books on this
		site they are the only source of the revenue."""
		if self.rule_type != rules.ANNUAL_AWARD:
			return
		if not self.facts.get("ledger") and not self.audit_report:
			throw(
				"Field {0}: the beneficiary's books are not on this site, so the audit report must be attached",
				Msg("Audit Report"),
				exc=SubsidyApplicationError,
			)
		if not self.audited_revenue:
			throw(
				"Field {0}: the revenue of the audited annual accounts is required",
				Msg("Audited Revenue"),
				exc=SubsidyApplicationError,
			)

	def set_tranches(self):
		"""The rule's schedule of the eligible amount (kept when it is already that schedule,
		so typed milestones stay)."""
		schedule = rules.tranche_schedule(self.program_doc, to_fen(self.eligible_amount))
		current = [(t.tranche_type, to_fen(t.amount)) for t in self.tranches]
		if current == [(row["tranche_type"], row["amount_fen"]) for row in schedule]:
			return
		self.set("tranches", [])
		for row in schedule:
			self.append(
				"tranches",
				{
					"tranche_type": row["tranche_type"],
					"percent": row["percent"],
					"amount": float(to_yuan(row["amount_fen"])),
					"milestone": row.get("milestone"),
					"payable_when": PAYABLE_WHEN[row["tranche_type"]],
				},
			)
		self.paid_amount = 0
		self.unpaid_amount = self.eligible_amount
		self.retained_amount = sum(t.amount for t in self.tranches if t.tranche_type == rules.RETENTION)

	def set_notice(self):
		for row in self.objections:
			if not row.objection_date:
				throw("Objections row {0}: field {1} is required", row.idx, Msg("Objection Date"))
		self.notice_end, self.notice_status = notice.application_notice(self, self.program_doc)

	def keep_tranche_rows(self):
		"""After submit the schedule is the rule's: rows are neither added nor removed."""
		stored = frappe.get_all(
			"Subsidy Tranche", {"parent": self.name, "parenttype": self.doctype}, pluck="name", order_by="idx"
		)
		if [t.name for t in self.tranches] != stored:
			throw(
				"Field {0}: the tranches of a submitted application follow the programme's rule and cannot be changed",
				Msg("Tranches"),
				exc=SubsidyApplicationError,
			)

	def check_acceptance(self):
		if self.acceptance_result and not self.acceptance_date:
			throw(
				"Field {0} is required with the acceptance result",
				Msg("Acceptance Date"),
				exc=SubsidyApplicationError,
			)
		before = self.get_doc_before_save()
		if before and before.acceptance_result and before.acceptance_result != self.acceptance_result:
			if any(payments.is_paid(t) for t in self.tranches if t.tranche_type == rules.RETENTION):
				throw(
					"The retention of {0} is paid: its acceptance result can no longer change",
					self.name,
					exc=SubsidyApplicationError,
				)


PAYABLE_WHEN = {
	rules.FULL: "After the notice ends clean",
	rules.ADVANCE: "After the project starts",
	rules.MILESTONE: "When the milestone is reached",
	rules.RETENTION: "After acceptance is Qualified",
}


def application_status(app, paid_fen: int, unpaid_fen: int) -> str:
	if app.docstatus == 0:
		return "Draft"
	if app.docstatus == 2:
		return "Cancelled"
	if paid_fen and not unpaid_fen:
		return "Paid"
	if paid_fen:
		return "Partly Paid"
	return {
		"Not Started": "Submitted",
		"Under Notice": "Under Notice",
		"Objected": "Objected",
	}.get(app.notice_status, "Approved")
