"""Interest Subsidy Claim (贴息申请): one bank, one month or quarter. Its member lines and totals
are computed by the server from the loan ledger on every save (agri_coop.finance.interest),
whatever a client sends; it is submitted once per bank and period, a member line is never
claimed twice for the same days, and the funds' arrival is a Journal Entry on the interest
subsidy programme's own fund account, tagged with the programme (专账核算)."""

import frappe
from frappe.model.document import Document
from frappe.query_builder import DocType
from frappe.utils import add_days, add_months, flt, getdate

from agri_coop.constants.roles import COOP_ACCOUNTANT, COUNTY_SMC_MANAGER
from agri_coop.finance import interest
from agri_coop.overrides.campaign_guard import APP_FLOW
from agri_coop.utils.messages import Msg, throw

PERIOD_MONTHS = {"Month": 1, "Quarter": 3}
INTEREST_SUBSIDY = "Interest Subsidy"
SUBSIDY_DIMENSION_FIELD = "subsidy_program"


class InterestSubsidyClaimError(frappe.ValidationError):
	pass


class InterestSubsidyClaim(Document):
	def validate(self):
		self.set_period()
		self.set_bank_terms()
		self.validate_program()
		if self.docstatus == 0:
			self.claim_state = "Draft"
			self.compute_lines()

	def set_period(self):
		start = getdate(self.period_start)
		months = PERIOD_MONTHS[self.period_type]
		if start.day != 1 or (months == 3 and start.month % 3 != 1):
			throw(
				"Field {0}: a {1} starts on its first day ({2} is not)",
				Msg("Period Start"),
				Msg(self.period_type),
				start,
				exc=InterestSubsidyClaimError,
			)
		self.period_end = add_days(add_months(start, months), -1)

	def set_bank_terms(self):
		bank = frappe.db.get_value(
			"Partner Bank", self.partner_bank, ["day_count", "grace_days", "company"], as_dict=True
		)
		self.day_count, self.grace_days, self.company = bank.day_count, bank.grace_days, bank.company

	def validate_program(self):
		program = frappe.db.get_value(
			"Subsidy Program",
			self.subsidy_program,
			["rule_type", "company", "fund_account", "disabled"],
			as_dict=True,
		)
		if (
			not program
			or program.rule_type != INTEREST_SUBSIDY
			or program.company != self.company
			or program.disabled
		):
			throw(
				"Field {0}: {1} is not an active interest subsidy programme of {2}",
				Msg("Subsidy Program"),
				self.subsidy_program,
				self.company,
				exc=InterestSubsidyClaimError,
			)
		self.fund_account = program.fund_account

	def compute_lines(self):
		names = claimable_lines(self.partner_bank, self.period_start, self.period_end)
		terms = interest.line_terms(names)
		figures = interest.compute(
			names, self.period_start, self.period_end, self.day_count, self.grace_days, terms
		)
		figures = {name: f for name, f in figures.items() if f.principal_days}
		interest_total, interest_parts = interest.rounded_split({n: f.interest for n, f in figures.items()})
		subsidy_total, subsidy_parts = interest.rounded_split({n: f.subsidy for n, f in figures.items()})
		self.set("lines", [])
		for name in sorted(figures, key=lambda n: (terms[n].cooperative or "", terms[n].member, n)):
			line, f = terms[name], figures[name]
			self.append(
				"lines",
				{
					"credit_line": name,
					"member": line.member,
					"member_name": line.member_name,
					"cooperative": line.cooperative,
					"town": line.town,
					"principal_days": float(f.principal_days),
					"subsidised_principal_days": float(f.subsidised_principal_days),
					"interest": float(interest.to_yuan(interest_parts[name])),
					"subsidy": float(interest.to_yuan(subsidy_parts[name])),
				},
			)
		self.line_count = len(self.lines)
		self.total_principal_days = flt(sum(float(f.principal_days) for f in figures.values()), 2)
		self.total_interest = float(interest.to_yuan(interest_total))
		self.total_subsidy = float(interest.to_yuan(subsidy_total))

	def before_submit(self):
		# one claim at a time per bank: the second of two simultaneous claims sees the first
		frappe.db.get_value("Partner Bank", self.partner_bank, "name", for_update=True)
		self.compute_lines()
		if not self.lines or flt(self.total_subsidy) <= 0:
			throw(
				"{0} has no subsidised interest from {1} to {2}: nothing to claim",
				self.partner_bank,
				self.period_start,
				self.period_end,
				exc=InterestSubsidyClaimError,
			)
		self.refuse_claimed_again()
		self.claim_state = "Claimed"

	def refuse_claimed_again(self):
		Claim, Row = DocType("Interest Subsidy Claim"), DocType("Interest Subsidy Claim Line")
		claimed = (
			frappe.qb.from_(Row)
			.join(Claim)
			.on((Row.parent == Claim.name) & (Row.parenttype == "Interest Subsidy Claim"))
			.select(Row.credit_line, Row.member_name, Claim.name, Claim.period_start, Claim.period_end)
			.where(
				Row.credit_line.isin([row.credit_line for row in self.lines])
				& (Claim.docstatus == 1)
				& (Claim.name != self.name)
				& (Claim.period_start <= self.period_end)
				& (Claim.period_end >= self.period_start)
			)
			.for_update()
			.limit(1)
			.run(as_dict=True)
		)
		if claimed:
			row = claimed[0]
			throw(
				"Credit line {0} of member {1} is already claimed for {2} to {3} in {4}: the same days are claimed once",
				row.credit_line,
				row.member_name,
				row.period_start,
				row.period_end,
				row.name,
				exc=InterestSubsidyClaimError,
			)

	def before_cancel(self):
		if (
			self.fund_journal_entry
			and frappe.db.get_value("Journal Entry", self.fund_journal_entry, "docstatus") == 1
		):
			throw(
				"The funds of claim {0} arrived with Journal Entry {1}: cancel that entry first",
				self.name,
				self.fund_journal_entry,
				exc=InterestSubsidyClaimError,
			)
		self.claim_state = "Cancelled"

	@frappe.whitelist()
	def record_funds(self, posting_date=None, reference: str | None = None):
		"""The programme's money arrived: Dr the programme's receiving account, Cr its fund
		account (专账), both tagged with the programme."""
		if not set(frappe.get_roles()) & {COOP_ACCOUNTANT, COUNTY_SMC_MANAGER, "System Manager"}:
			raise frappe.PermissionError
		if self.docstatus != 1 or self.fund_journal_entry:
			throw(
				"Claim {0} is not submitted, or its funds are already booked",
				self.name,
				exc=InterestSubsidyClaimError,
			)
		frappe.has_permission("Journal Entry", "create", throw=True)
		entry = make_funds_entry(self, getdate(posting_date or self.period_end), reference)
		self.db_set(
			{
				"fund_journal_entry": entry.name,
				"funds_received_on": entry.posting_date,
				"claim_state": "Funds Received",
			}
		)
		return entry.name


def claimable_lines(partner_bank: str, start, end) -> list[str]:
	"""The bank's credit lines with any principal in the period (a disbursement up to its end)."""
	Line, Disbursement = DocType("Credit Line"), DocType("Loan Disbursement")
	return [
		name
		for (name,) in frappe.qb.from_(Line)
		.join(Disbursement)
		.on(Disbursement.credit_line == Line.name)
		.select(Line.name)
		.distinct()
		.where(
			(Line.partner_bank == partner_bank)
			& (Disbursement.docstatus == 1)
			& (Disbursement.posting_date <= end)
		)
		.run()
	]


def make_funds_entry(claim, posting_date, reference):
	program = frappe.db.get_value(
		"Subsidy Program", claim.subsidy_program, ["fund_account", "payment_account", "company"], as_dict=True
	)
	receiving = program.payment_account or frappe.get_cached_value(
		"Company", program.company, "default_bank_account"
	)
	if not receiving:
		throw(
			"Field {0}: programme {1} names no account the funds arrive on",
			Msg("Paid From"),
			claim.subsidy_program,
			exc=InterestSubsidyClaimError,
		)
	amount = flt(claim.total_subsidy, 2)
	tag = (
		{SUBSIDY_DIMENSION_FIELD: claim.subsidy_program}
		if frappe.get_meta("Journal Entry Account").has_field(SUBSIDY_DIMENSION_FIELD)
		else {}
	)
	fund_row = {"account": program.fund_account, "credit_in_account_currency": amount, **tag}
	if frappe.get_cached_value("Account", program.fund_account, "account_type") in ("Payable", "Receivable"):
		fund_row.update(
			party_type="Supplier", party=frappe.db.get_value("Partner Bank", claim.partner_bank, "supplier")
		)
	entry = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": "Bank Entry",
			"company": program.company,
			"posting_date": posting_date,
			"cheque_no": reference or claim.name,
			"cheque_date": posting_date,
			"user_remark": f"贴息资金到账 {claim.name} {claim.partner_bank} {claim.period_start}—{claim.period_end}",
			"accounts": [{"account": receiving, "debit_in_account_currency": amount, **tag}, fund_row],
		}
	)
	entry.flags[APP_FLOW] = True
	entry.insert()
	entry.submit()
	return entry
