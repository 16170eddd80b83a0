"""A credit officer sees their own bank's records only (README "Credit purchase").

A credit officer's bank is their User Permission on Partner Bank (made with the user, like a
town user's User Permission on Cooperative). Users of the county roles see every bank; a
credit officer without one sees none. The bank rule is a second entry, after the co-op scope
of agri_coop.security.boundary, of the same two hooks (permission_query_conditions, which
Frappe joins with "and", and has_permission, where any refusal refuses), so it holds on every
path those hooks hold: lists, report view, child-table
queries, link search, exports, reports and prints.
"""

import frappe
from frappe.permissions import get_user_permissions

from agri_coop.constants.roles import COOP_ACCOUNTANT, COUNTY_SMC_MANAGER, CREDIT_OFFICER, LEADERSHIP_OFFICE

COUNTY_ROLES = {COUNTY_SMC_MANAGER, COOP_ACCOUNTANT, LEADERSHIP_OFFICE, "System Manager"}

# DocType -> its Link to Partner Bank ("name" for the bank itself)
BANK_FIELD = {
	"Partner Bank": "name",
	"Credit Line": "partner_bank",
	"Credit Batch": "partner_bank",
	"Loan Disbursement": "partner_bank",
	"Loan Repayment": "partner_bank",
	"Interest Subsidy Claim": "partner_bank",
}
# child DocType -> its parent DocType (in scope when the parent is)
BANK_PARENT = {
	"Partner Bank Product": "Partner Bank",
	"Credit Batch Error": "Credit Batch",
	"Interest Subsidy Claim Line": "Interest Subsidy Claim",
}
BANK_SCOPED = (*BANK_FIELD, *BANK_PARENT)


def allowed_banks(user: str | None = None) -> list[str] | None:
	"""The banks a user may see, or None when not restricted to banks."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	roles = set(frappe.get_roles(user))
	if CREDIT_OFFICER not in roles or roles & COUNTY_ROLES:
		return None
	return sorted({p.get("doc") for p in get_user_permissions(user).get("Partner Bank") or []})


def bank_condition(doctype: str, banks: list[str]) -> str:
	values = ", ".join(frappe.db.escape(b) for b in banks) or "''"
	if doctype in BANK_PARENT:
		parent = BANK_PARENT[doctype]
		return (
			f"(`tab{doctype}`.`parenttype` = {frappe.db.escape(parent)} and `tab{doctype}`.`parent` in "
			f"(select `tab{parent}`.`name` from `tab{parent}` where {bank_condition(parent, banks)}))"
		)
	return f"(`tab{doctype}`.`{BANK_FIELD[doctype]}` in ({values}))"


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions: a credit officer's own bank."""
	banks = allowed_banks(user)
	if banks is None or doctype not in BANK_SCOPED:
		return ""
	return bank_condition(doctype, banks)


def bank_of(doc) -> set[str | None]:
	"""The bank(s) of a document, as it is now and as it is stored (a write can neither move
	a record of another bank in nor move one out)."""
	if doc.doctype in BANK_PARENT:
		parent = BANK_PARENT[doc.doctype]
		if not doc.get("parent") or doc.get("parenttype") not in (None, parent):
			return {None}
		return {frappe.db.get_value(parent, doc.parent, BANK_FIELD[parent])}
	fieldname = BANK_FIELD[doc.doctype]
	found = {doc.get(fieldname)}
	if not doc.is_new() and fieldname != "name":
		found.add(frappe.db.get_value(doc.doctype, doc.name, fieldname))
	return found


def has_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	"""has_permission: deny-only, like the co-op scope."""
	banks = allowed_banks(user)
	if banks is None or doc.doctype not in BANK_SCOPED:
		return None
	if all(bank in banks for bank in bank_of(doc)):
		return None
	return False


def check_bank_access(bank: str):
	"""For whitelisted methods taking a bank: a credit officer names their own bank only."""
	banks = allowed_banks()
	if banks is not None and bank not in banks:
		raise frappe.PermissionError
