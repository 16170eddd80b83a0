"""Credit Line (授信): a partner bank's credit for one member, granted after the household
survey (入户调查授信): Applied → Surveyed → Approved → Active → Frozen / Expired / Closed.

The bank's credit officer takes the steps (the county SMC manager may freeze); the terms
come from the bank's product; a member has at most one active line per bank. The figures
(reserved, disbursed, outstanding, available) are the server's (agri_coop.finance.credit)."""

import frappe
from frappe.model.document import Document
from frappe.query_builder import DocType
from frappe.utils import flt, fmt_money, getdate, nowdate, today

from agri_coop.constants.roles import COUNTY_SMC_MANAGER, CREDIT_OFFICER
from agri_coop.finance.credit import refresh_figures
from agri_coop.utils.integrity import SERVER_FIELDS_FLAG
from agri_coop.utils.lookups import village_town
from agri_coop.utils.messages import Msg, throw
from agri_coop.utils.transitions import SYSTEM, StateMachine, in_transition


class CreditLineStateError(frappe.ValidationError):
	pass


class CreditLineTermsError(frappe.ValidationError):
	pass


OFFICER = {CREDIT_OFFICER}
STEPS = StateMachine(
	"credit_state",
	{
		("Applied", "Surveyed"): OFFICER,
		("Surveyed", "Approved"): OFFICER,
		("Approved", "Active"): OFFICER,
		("Active", "Frozen"): {CREDIT_OFFICER, COUNTY_SMC_MANAGER},
		("Frozen", "Active"): OFFICER,
		("Active", "Expired"): SYSTEM,
		("Frozen", "Expired"): SYSTEM,
		("Applied", "Closed"): OFFICER,
		("Surveyed", "Closed"): OFFICER,
		("Approved", "Closed"): OFFICER,
		("Active", "Closed"): OFFICER,
		("Frozen", "Closed"): OFFICER,
		("Expired", "Closed"): OFFICER,
	},
	CreditLineStateError,
)
OPEN_STATES = ("Active", "Frozen")
MASK = "****"


class CreditLine(Document):
	def validate(self):
		self.validate_state_unchanged()
		self.set_cooperative()
		self.set_terms()
		self.validate_limit()
		self.approved_limit_display = self.limit_display()

	def validate_state_unchanged(self):
		if self.is_new():
			if not self.flags.get(SERVER_FIELDS_FLAG):  # a whole-village batch grants approved lines
				self.credit_state = "Applied"
		elif not in_transition(self) and self.credit_state != self.get_db_value("credit_state"):
			throw(
				"Field {0}: the state changes through the form's buttons only",
				Msg("Credit State"),
				exc=CreditLineStateError,
			)
		if not self.is_new():
			for field, label in (("member", "Coop Member"), ("partner_bank", "Partner Bank")):
				if self.get(field) != self.get_db_value(field):
					throw(
						"Field {0} cannot be changed once the line exists",
						Msg(label),
						exc=CreditLineTermsError,
					)

	def set_cooperative(self):
		cooperative = frappe.db.get_value("Coop Member", self.member, "cooperative")
		is_village, town = village_town(cooperative)
		self.cooperative, self.town = cooperative, town if is_village else None

	def set_terms(self):
		product = bank_product(self.partner_bank, self.product)
		self.annual_rate = flt(product.annual_rate)
		self.term_months = product.term_months
		self.subsidy_applies = product.subsidy_applies
		self.subsidised_share = flt(product.subsidised_share) if product.subsidy_applies else 0
		self.subsidy_rate = flt(product.subsidy_rate) if product.subsidy_applies else 0
		if getdate(self.valid_to) <= getdate(self.valid_from):
			throw(
				"Field {0}: {1} is not after {2}",
				Msg("Valid To"),
				self.valid_to,
				self.valid_from,
				exc=CreditLineTermsError,
			)
		self.product_max_limit = flt(product.max_limit)

	def validate_limit(self):
		limit = flt(self.approved_limit, 2)
		if limit < 0:
			throw("Field {0}: {1} is negative", Msg("Approved Limit"), limit, exc=CreditLineTermsError)
		if self.product_max_limit and limit > self.product_max_limit:
			throw(
				"Field {0}: {1} is above product {2}'s maximum of {3}",
				Msg("Approved Limit"),
				limit,
				self.product,
				self.product_max_limit,
				exc=CreditLineTermsError,
			)
		if self.is_new():
			return
		used = flt(self.get_db_value("outstanding_principal")) + flt(self.get_db_value("reserved_amount"))
		if limit < used:
			throw(
				"Field {0}: {1} is below what the line already carries ({2} outstanding and reserved)",
				Msg("Approved Limit"),
				limit,
				flt(used, 2),
				exc=CreditLineTermsError,
			)

	def limit_display(self) -> str:
		if frappe.db.get_value("Partner Bank", self.partner_bank, "mask_amounts"):
			return MASK
		return fmt_money(flt(self.approved_limit, 2), currency="CNY")

	def on_update(self):
		if not self.is_new():
			refresh_figures([self.name])

	# --- the steps (form buttons) ---------------------------------------------------------
	@frappe.whitelist()
	def record_survey(self, notes: str | None = None):
		"""入户调查 done: the household was surveyed."""
		STEPS.check(self, "Surveyed")
		STEPS.apply(
			self,
			"Surveyed",
			survey_notes=notes or self.survey_notes,
			surveyed_by=frappe.session.user,
			surveyed_on=today(),
		)

	@frappe.whitelist()
	def approve(self):
		STEPS.check(self, "Approved")
		if flt(self.approved_limit) <= 0:
			throw("Field {0}: approve a limit above 0", Msg("Approved Limit"), exc=CreditLineTermsError)
		STEPS.apply(self, "Approved", approved_by=frappe.session.user, approved_on=today())

	@frappe.whitelist()
	def activate(self):
		STEPS.check(self, "Active")
		self.refuse_second_active_line()
		if getdate(self.valid_to) < getdate(nowdate()):
			throw(
				"Credit line {0} ended on {1}: it cannot be activated",
				self.name,
				self.valid_to,
				exc=CreditLineStateError,
			)
		STEPS.apply(self, "Active")

	def refuse_second_active_line(self):
		Line = DocType("Credit Line")
		other = (
			frappe.qb.from_(Line)
			.select(Line.name)
			.where(
				(Line.member == self.member)
				& (Line.partner_bank == self.partner_bank)
				& Line.credit_state.isin(OPEN_STATES)
				& (Line.name != self.name)
			)
			.for_update()
			.run()
		)
		if other:
			throw(
				"Member {0} already has credit line {1} with {2}: one active line per member and bank",
				self.member_name or self.member,
				other[0][0],
				self.partner_bank,
				exc=CreditLineStateError,
			)

	@frappe.whitelist()
	def freeze(self):
		STEPS.check(self, "Frozen")
		STEPS.apply(self, "Frozen")

	@frappe.whitelist()
	def close(self):
		STEPS.check(self, "Closed")
		refresh_figures([self.name])
		self.reload()
		if flt(self.outstanding_principal) or flt(self.reserved_amount):
			throw(
				"Credit line {0} still carries {1} outstanding and {2} reserved: it closes when both are 0",
				self.name,
				flt(self.outstanding_principal, 2),
				flt(self.reserved_amount, 2),
				exc=CreditLineStateError,
			)
		STEPS.apply(self, "Closed")


def bank_product(bank: str, product: str):
	row = frappe.db.get_value(
		"Partner Bank Product",
		{"parent": bank, "parenttype": "Partner Bank", "product_name": product},
		[
			"product_name",
			"annual_rate",
			"term_months",
			"max_limit",
			"subsidy_applies",
			"subsidised_share",
			"subsidy_rate",
		],
		as_dict=True,
	)
	if not row:
		throw(
			"Field {0}: {1} is not a product of {2}",
			Msg("Credit Product"),
			product,
			bank,
			exc=CreditLineTermsError,
		)
	return row


def expire_lines():
	"""Daily (scheduler): lines past their end expire (a step the app takes itself)."""
	for name in frappe.get_all(
		"Credit Line", {"credit_state": ("in", OPEN_STATES), "valid_to": ("<", nowdate())}, pluck="name"
	):
		doc = frappe.get_doc("Credit Line", name)
		STEPS.apply(doc, "Expired", ignore_permissions=True)
