"""Partner Bank (合作金融机构): a formal financial institution on the platform (seed 000
§二(二)5), its ERPNext Supplier in the group 金融机构, the account its entrusted payments
arrive on, and its credit products with the county's interest subsidy terms."""

import frappe
from frappe.model.document import Document
from frappe.utils import flt
from frappe.utils.nestedset import get_root_of

from agri_coop.utils.messages import Msg, throw

FINANCIAL_INSTITUTIONS = "金融机构"
NOT_A_BANK_ACCOUNT = ("Cash",)


class PartnerBankError(frappe.ValidationError):
	pass


class PartnerBank(Document):
	def validate(self):
		self.validate_account()
		self.validate_products()
		self.supplier = ensure_bank_supplier(
			self.bank_name, self.get_db_value("supplier") if not self.is_new() else None
		)

	def validate_account(self):
		account = frappe.db.get_value(
			"Account", self.receiving_account, ["account_type", "company", "is_group"], as_dict=True
		)
		if (
			not account
			or account.company != self.company
			or account.is_group
			or account.account_type != "Bank"
		):
			throw(
				"Field {0}: {1} must be a bank account (not cash, not a group) of {2}: loan money never arrives as cash",
				Msg("Entrusted Payment Account"),
				self.receiving_account,
				self.company,
				exc=PartnerBankError,
			)

	def validate_products(self):
		seen = set()
		for row in self.products:
			label = row.idx
			if row.product_name in seen:
				throw(
					"Credit Products row {0}: product {1} is listed twice",
					label,
					row.product_name,
					exc=PartnerBankError,
				)
			seen.add(row.product_name)
			if flt(row.annual_rate) <= 0 or flt(row.annual_rate) > 36:
				throw(
					"Credit Products row {0}: annual rate {1}% is not between 0 and 36%",
					label,
					flt(row.annual_rate),
					exc=PartnerBankError,
				)
			if row.subsidy_applies:
				if not 0 < flt(row.subsidised_share) <= 100:
					throw(
						"Credit Products row {0}: the subsidised share must be above 0 and at most 100%",
						label,
						exc=PartnerBankError,
					)
				if not 0 < flt(row.subsidy_rate) <= flt(row.annual_rate):
					throw(
						"Credit Products row {0}: the subsidised rate {1}% must be above 0 and at most the annual rate {2}%",
						label,
						flt(row.subsidy_rate),
						flt(row.annual_rate),
						exc=PartnerBankError,
					)
			else:
				row.subsidised_share = row.subsidy_rate = 0


def ensure_bank_supplier(bank_name: str, current: str | None = None) -> str:
	"""The bank's Supplier (group 金融机构): the party its subsidy payables are booked to."""
	if current and frappe.db.exists("Supplier", current):
		return current
	if not frappe.db.exists("Supplier Group", FINANCIAL_INSTITUTIONS):
		frappe.get_doc(
			{
				"doctype": "Supplier Group",
				"supplier_group_name": FINANCIAL_INSTITUTIONS,
				"parent_supplier_group": get_root_of("Supplier Group"),
			}
		).insert(ignore_permissions=True)
	existing = frappe.db.get_value("Supplier", {"supplier_name": bank_name}, ["name", "supplier_group"])
	if existing and existing[1] != FINANCIAL_INSTITUTIONS:
		# the bank's subsidy payables would be booked to a trade supplier's account
		throw(
			"Field {0}: supplier {1} has that name and is not in the group {2}; a bank is a supplier of its own",
			Msg("Bank Name", context="Partner Bank"),
			existing[0],
			FINANCIAL_INSTITUTIONS,
			exc=PartnerBankError,
		)
	if existing:
		return existing[0]
	return (
		frappe.get_doc(
			{"doctype": "Supplier", "supplier_name": bank_name, "supplier_group": FINANCIAL_INSTITUTIONS}
		)
		.insert(ignore_permissions=True)
		.name
	)
