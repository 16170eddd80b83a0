"""Town / village scoping.

A desk user of a town federation or a village co-op has a User Permission on their
node of the Cooperative tree (apply to all DocTypes). Frappe expands it to the node's
descendants, so a town user reaches the town and its villages. Every DocType that has a
Link to Cooperative is therefore filtered on every read path (list, report view, export,
REST, client.get/get_value/get_count, link search) without code of its own.

DocTypes that reach a co-op only through another record register a path in
`SCOPE_PATHS` and wire `query_conditions` / `has_scope_permission` in hooks.py, so the
rule is written once here.
"""

import frappe
from frappe.permissions import get_user_permissions

# DocType -> (its link field, the linked DocType's Cooperative field)
SCOPE_PATHS: dict[str, tuple[str, str, str]] = {}


def allowed_cooperatives(user: str | None = None) -> list[str] | None:
	"""The cooperatives a user may see, or None when the user is not restricted."""
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


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions for a DocType registered in SCOPE_PATHS."""
	allowed = allowed_cooperatives(user)
	if allowed is None or doctype not in SCOPE_PATHS:
		return ""
	link_field, link_doctype, coop_field = SCOPE_PATHS[doctype]
	values = ", ".join(frappe.db.escape(c) for c in allowed)
	return (
		f"`tab{doctype}`.`{link_field}` in (select `name` from `tab{link_doctype}` "
		f"where `{coop_field}` in ({values}))"
	)


def has_scope_permission(doc, ptype=None, user=None, debug=False) -> bool:
	allowed = allowed_cooperatives(user)
	if allowed is None or doc.doctype not in SCOPE_PATHS:
		return True
	link_field, link_doctype, coop_field = SCOPE_PATHS[doc.doctype]
	target = doc.get(link_field)
	if not target:
		return True
	return frappe.db.get_value(link_doctype, target, coop_field) in allowed
