"""A co-op's selling documents (Sales Order, Delivery Note, Sales Invoice, with their child
rows) are read by its town and village users, read-only, and by nobody else of a scope.

Their User Permission on Cooperative filters these documents through `agri_coop_cooperative`,
but Frappe lets a document with an empty link through and never filters child rows
(`/api/resource/Sales Order Item?parent=Sales Order`); these hooks close both. Scoped users
read them through DocPerms of their own (agri_coop.setup.install.ROLE_PERMISSIONS), not
ERPNext's Sales User, so they make none."""

import frappe

from agri_coop.security.boundary import allowed_cooperatives

SELLING_DOCTYPES = ("Sales Order", "Delivery Note", "Sales Invoice")
# child DocTypes of the selling documents (some are shared with other parents)
SELLING_CHILDREN = (
	"Sales Order Item",
	"Delivery Note Item",
	"Sales Invoice Item",
	"Sales Taxes and Charges",
	"Payment Schedule",
	"Packed Item",
	"Pricing Rule Detail",
	"Sales Team",
	"Sales Invoice Advance",
	"Sales Invoice Payment",
	"Sales Invoice Timesheet",
)


def in_scope_names(doctype: str, allowed: list[str]) -> str:
	values = ", ".join(frappe.db.escape(c) for c in allowed) or "''"
	return f"select `tab{doctype}`.`name` from `tab{doctype}` where `tab{doctype}`.`agri_coop_cooperative` in ({values})"


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	allowed = allowed_cooperatives(user)
	if allowed is None:
		return ""
	if doctype in SELLING_DOCTYPES:
		return f"(`tab{doctype}`.`name` in ({in_scope_names(doctype, allowed)}))"
	parents = " or ".join(
		f"(`tab{doctype}`.`parenttype` = {frappe.db.escape(parent)} and `tab{doctype}`.`parent` in "
		f"({in_scope_names(parent, allowed)}))"
		for parent in SELLING_DOCTYPES
	)
	return f"({parents})"


def has_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	"""Deny-only: a scoped user reads (and prints) their co-op's documents, nothing more."""
	allowed = allowed_cooperatives(user)
	if allowed is None:
		return None
	if ptype not in ("read", "print", "email", "report", "export"):
		return False
	parent = doc
	if doc.doctype not in SELLING_DOCTYPES:
		if doc.get("parenttype") not in SELLING_DOCTYPES or not doc.get("parent"):
			return False
		parent = frappe.db.get_value(doc.parenttype, doc.parent, "agri_coop_cooperative", as_dict=True)
		return None if parent and parent.agri_coop_cooperative in allowed else False
	return None if parent.get("agri_coop_cooperative") in allowed else False
