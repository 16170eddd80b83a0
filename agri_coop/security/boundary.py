"""The scope boundary: every agri_coop DocType and child table, and the ERPNext records of
a co-op, reach their Cooperative by one declared path (`BOUNDARY`).

hooks.py registers `query_conditions` (permission_query_conditions) and `has_scope_permission`
(has_permission) for every DocType of the table, so the rule holds where Frappe does not
apply User Permissions: child-table queries (`/api/resource/<Child>?parent=...`, child
columns in `fields`), and documents with an empty co-op link (User Permissions let those
through; here they belong to the county).

A user's scope is still their User Permission on Cooperative (`allowed_cooperatives`).
"""

from dataclasses import dataclass

import frappe
from frappe.permissions import get_user_permissions


@dataclass(frozen=True)
class CountyWide:
	"""Read by every role with a DocPerm on it: campaigns, whitelists, their child rows."""


@dataclass(frozen=True)
class Field:
	"""The record's own Link to Cooperative ("name" for Cooperative itself)."""

	fieldname: str


@dataclass(frozen=True)
class Parent:
	"""A child row: in scope when its parent document is."""

	parent_doctype: str


COUNTY_WIDE = CountyWide()

# DocType -> path to its Cooperative. A new agri_coop DocType must be added here
# (agri_coop/tests/test_boundary.py fails otherwise).
BOUNDARY: dict[str, CountyWide | Field | Parent] = {
	# Organisation
	"Cooperative": Field("name"),
	"Purchasing Department": Field("cooperative"),
	"Purchasing Department Staff": Parent("Purchasing Department"),
	"Service Station": Field("cooperative"),
	# Members
	"Coop Member": Field("cooperative"),
	# An import without a co-op is the county's (only county roles read it and its files).
	"Member Import": Field("cooperative"),
	# who revealed whose ID number: the member's co-op (read by county roles anyway)
	"Personal Data Access Log": Field("cooperative"),
	# Purchasing
	"Purchase Campaign": COUNTY_WIDE,
	"Purchase Campaign Item": COUNTY_WIDE,
	"Supplier Whitelist": COUNTY_WIDE,
	"Supplier Whitelist Item Group": COUNTY_WIDE,
	"Demand Survey": Field("cooperative"),
	"Demand Survey Item": Parent("Demand Survey"),
	"Campaign Order": Field("cooperative"),
	"Campaign Order Line": Parent("Campaign Order"),
	# Settlement: the settlement is the county's, each of its rows is one co-op's.
	"Campaign Settlement": COUNTY_WIDE,
	"Campaign Settlement Cooperative": Field("cooperative"),
	"Campaign Settlement Member": Field("cooperative"),
	"Campaign Settlement Voucher": Field("cooperative"),
	# Subsidies: programmes are the county's; an application is its beneficiary's co-op
	# (a station's co-op; an enterprise's application is the county's).
	"Subsidy Program": COUNTY_WIDE,
	"Subsidy Application": Field("cooperative"),
	"Subsidy Tranche": Parent("Subsidy Application"),
	"Subsidy Notice Objection": Parent("Subsidy Application"),
	# Finance: banks and products are the county's; a member's credit line, loans and batches
	# are the member's co-op's (a credit officer is further held to their bank: finance/scope.py).
	"Partner Bank": COUNTY_WIDE,
	"Partner Bank Product": COUNTY_WIDE,
	"Credit Line": Field("cooperative"),
	"Credit Batch": Field("cooperative"),
	"Credit Batch Error": Parent("Credit Batch"),
	"Loan Disbursement": Field("cooperative"),
	"Loan Repayment": Field("cooperative"),
	"Interest Subsidy Claim": COUNTY_WIDE,
	"Interest Subsidy Claim Line": Field("cooperative"),
	# Traceability: a distribution is its village's; a recall is the county's.
	"Member Distribution": Field("cooperative"),
	"Member Distribution Item": Parent("Member Distribution"),
	"Batch Recall": COUNTY_WIDE,
	# Reports: a town's recorded input purchases of a year (the group-purchase share's denominator).
	"Input Purchase Volume": Field("town"),
	"Campaign Order Summary": Field("cooperative"),
	# ERPNext: the customers of co-ops and members (agri_coop custom field).
	"Customer": Field("agri_coop_cooperative"),
}

# DocTypes whose records belong to one co-op: a search never drops the scope on them.
SCOPED_DOCTYPES = frozenset(dt for dt, path in BOUNDARY.items() if not isinstance(path, CountyWide))


def allowed_cooperatives(user: str | None = None) -> list[str] | None:
	"""The cooperatives a user may see (their node and its descendants), or None when the
	user is not restricted (county roles)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	perms = get_user_permissions(user).get("Cooperative")
	if not perms:
		return None
	return sorted({p.get("doc") for p in perms})


def is_in_scope(cooperative: str | None, user: str | None = None) -> bool:
	allowed = allowed_cooperatives(user)
	return allowed is None or (cooperative in allowed)


def scope_condition(doctype: str, allowed: list[str]) -> str:
	"""SQL condition (parenthesised) on `tab<doctype>` for rows in the given co-ops."""
	path = BOUNDARY[doctype]
	if isinstance(path, CountyWide):
		return ""
	if isinstance(path, Field):
		values = ", ".join(frappe.db.escape(c) for c in allowed) or "''"
		return f"(`tab{doctype}`.`{path.fieldname}` in ({values}))"
	parent = path.parent_doctype
	return (
		f"(`tab{doctype}`.`parenttype` = {frappe.db.escape(parent)} and `tab{doctype}`.`parent` in "
		f"(select `tab{parent}`.`name` from `tab{parent}` where {scope_condition(parent, allowed)}))"
	)


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions for every DocType of BOUNDARY."""
	if doctype not in BOUNDARY:
		return ""
	allowed = allowed_cooperatives(user)
	if allowed is None:
		return ""
	return scope_condition(doctype, allowed)


def cooperatives_of(doc) -> set[str | None]:
	"""The co-op(s) a document belongs to: as it is now and as it is stored, so that a
	write can neither move an outside record in nor move a record out."""
	path = BOUNDARY[doc.doctype]
	if isinstance(path, Parent):
		parent_path = BOUNDARY[path.parent_doctype]
		if not doc.get("parent") or doc.get("parenttype") not in (None, path.parent_doctype):
			return {None}
		return {frappe.db.get_value(path.parent_doctype, doc.parent, parent_path.fieldname)}
	fieldname = path.fieldname
	found = {doc.get(fieldname)}
	if not doc.is_new() and fieldname != "name":
		found.add(frappe.db.get_value(doc.doctype, doc.name, fieldname))
	return found


def has_scope_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	"""has_permission for every DocType of BOUNDARY. Deny-only: None lets Frappe decide."""
	if doc.doctype not in BOUNDARY or isinstance(BOUNDARY[doc.doctype], CountyWide):
		return None
	allowed = allowed_cooperatives(user)
	if allowed is None:
		return None
	cooperatives = cooperatives_of(doc)
	if ptype == "create" and doc.is_new() and cooperatives == {None}:
		# the controller fills in the user's own co-op on validate (e.g. Member Import)
		return None
	if all(c in allowed for c in cooperatives):
		return None
	return False


def own_cooperative(user: str | None = None) -> str | None:
	"""The node a scoped user is tied to (their User Permission), when there is exactly one."""
	nodes = frappe.get_all(
		"User Permission", {"user": user or frappe.session.user, "allow": "Cooperative"}, pluck="for_value"
	)
	return nodes[0] if len(set(nodes)) == 1 else None
