"""A Supplier Whitelist entry (白名单): the county SMC admits a supplier for item groups.

Seed 000 §五(二): the county SMC negotiates with, evaluates, contracts and manages the
whitelist of suppliers; §五(五): it holds them to the whitelist standard and quality. The
rule that uses the entries is in `agri_coop.purchasing.whitelist`.

State: Active admits the supplier; Suspended stops it for a while (it can become Active
again); Removed is final: the entry is kept for the record and never admits the supplier
again (a new entry, with a new contract, is the way back).
"""

import frappe
from frappe.model.document import Document
from frappe.utils import flt, getdate

from agri_coop.purchasing.whitelist import REMOVED, WHITELIST_STATES
from agri_coop.utils.messages import Msg, throw

MAX_SCORE = 100


class SupplierWhitelistError(frappe.ValidationError):
	pass


class SupplierWhitelist(Document):
	def validate(self):
		self.validate_state()
		self.validate_validity()
		self.validate_score()
		self.validate_item_groups()
		self.contract_number = (self.contract_number or "").strip()

	def validate_state(self):
		if self.state not in WHITELIST_STATES:
			throw(
				"Field {0}: '{1}' is not a whitelist state",
				Msg("Whitelist State"),
				self.state,
				exc=SupplierWhitelistError,
			)
		if self.is_new():
			return
		previous = self.get_db_value("state")
		if previous == REMOVED and self.state != REMOVED:
			throw(
				"Whitelist entry {0} has been removed; removal is final and it cannot become {1} again. "
				"Create a new entry (with its contract) to whitelist the supplier again",
				self.name,
				Msg(self.state),
				exc=SupplierWhitelistError,
			)

	def validate_validity(self):
		if self.valid_from and self.valid_to and getdate(self.valid_to) < getdate(self.valid_from):
			throw(
				"Field {0}: {1} is before {2} ({3})",
				Msg("Valid Until"),
				getdate(self.valid_to),
				Msg("Valid From"),
				getdate(self.valid_from),
				exc=SupplierWhitelistError,
			)

	def validate_score(self):
		if self.evaluation_score is None:
			return
		score = flt(self.evaluation_score)
		if score < 0 or score > MAX_SCORE:
			throw(
				"Field {0}: {1} is outside 0 to {2}",
				Msg("Evaluation Score"),
				self.evaluation_score,
				MAX_SCORE,
				exc=SupplierWhitelistError,
			)

	def validate_item_groups(self):
		seen = set()
		for row in list(self.item_groups):
			if row.item_group in seen:
				self.remove(row)
				continue
			seen.add(row.item_group)
