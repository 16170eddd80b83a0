"""Subsidy Program (奖补 / 专项资金): who funds it, on which legal basis, under which rule
(agri_coop/subsidies/rules.py, one function per rule type) with that rule's parameters, the
budget, the fiscal years and the programme's own fund account (专账核算)."""

import frappe
from frappe.model.document import Document
from frappe.utils import flt

from agri_coop.utils.messages import Msg, throw

PERCENT_FIELDS = (
	"min_smc_share",
	"dividend_return_percent",
	"advance_percent",
	"retention_percent",
	"service_centre_cap_percent",
	"upward_min_percent",
)


class SubsidyProgramError(frappe.ValidationError):
	pass


class SubsidyProgram(Document):
	def validate(self):
		self.validate_years()
		self.validate_amounts()
		self.validate_accounts()

	def validate_years(self):
		if not self.first_year or not self.last_year or self.first_year > self.last_year:
			throw(
				"Field {0}: the first fiscal year {1} must not be after the last {2}",
				Msg("First Fiscal Year"),
				self.first_year,
				self.last_year,
				exc=SubsidyProgramError,
			)

	def validate_amounts(self):
		if flt(self.budget) <= 0:
			throw("Field {0}: must be more than 0", Msg("Budget"), exc=SubsidyProgramError)
		for fieldname in PERCENT_FIELDS:
			value = flt(self.get(fieldname))
			if not 0 <= value <= 100:
				throw(
					"Field {0}: {1} is not a percentage between 0 and 100",
					Msg(self.meta.get_label(fieldname)),
					value,
					exc=SubsidyProgramError,
				)
		if self.rule_type == "Project Fund":
			if flt(self.advance_percent) + flt(self.retention_percent) > 100:
				throw(
					"The first advance ({0}%) and the retention ({1}%) together exceed the grant",
					self.advance_percent,
					self.retention_percent,
					exc=SubsidyProgramError,
				)
			if (self.milestone_count or 0) < 0:
				throw("Field {0}: must not be negative", Msg("Milestone Tranches"), exc=SubsidyProgramError)
		if (self.notice_working_days or 0) < 0:
			throw(
				"Field {0}: must not be negative",
				Msg("Public Notice (Working Days)"),
				exc=SubsidyProgramError,
			)

	def validate_accounts(self):
		for fieldname in ("fund_account", "payment_account", "seed_fund_account", "dividend_account"):
			account = self.get(fieldname)
			if not account:
				continue
			company, is_group = frappe.db.get_value("Account", account, ["company", "is_group"]) or (None, 0)
			if company != self.company or is_group:
				throw(
					"Field {0}: account {1} is not a ledger account of company {2}",
					Msg(self.meta.get_label(fieldname)),
					account,
					self.company,
					exc=SubsidyProgramError,
				)
		if self.payment_account and self.payment_account == self.fund_account:
			throw(
				"Field {0}: the money cannot be paid from the fund account into itself",
				Msg("Paid From"),
				exc=SubsidyProgramError,
			)
