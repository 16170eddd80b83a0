"""Files follow the record they are attached to.

Frappe serves /private/files/X when *any* File row with that URL is readable by the user,
and a File row of one's own (or attached to one's own record) is readable. So:
- a File attached to a scoped record is listed and read only within that record's scope;
- nobody creates a File row, or fills an Attach field, with the URL of an existing private
  file they may not read (that would hand them the file).
"""

from urllib.parse import unquote

import frappe

from agri_coop.security.boundary import (
	SCOPED_DOCTYPES,
	allowed_cooperatives,
	has_scope_permission,
	scope_condition,
)
from agri_coop.security.privacy import unreadable_fields
from agri_coop.utils.messages import throw


def file_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Files attached to a scoped DocType: only those of records in the user's scope.

	Frappe's own File condition is an unparenthesised OR; this one is ANDed into its last
	branch (files attached to readable DocTypes), which is the one to narrow."""
	allowed = allowed_cooperatives(user)
	if allowed is None:
		return ""
	conditions = {dt: scope_condition(dt, allowed) for dt in SCOPED_DOCTYPES}
	conditions.update(other_scoped_conditions(user))
	scoped = ", ".join(frappe.db.escape(dt) for dt in sorted(conditions))
	in_scope = " or ".join(
		f"(`tabFile`.`attached_to_doctype` = {frappe.db.escape(dt)} and `tabFile`.`attached_to_name` in "
		f"(select `tab{dt}`.`name` from `tab{dt}` where {condition}))"
		for dt, condition in sorted(conditions.items())
	)
	return f"(ifnull(`tabFile`.`attached_to_doctype`, '') not in ({scoped}) or {in_scope})"


def other_scoped_conditions(user: str | None) -> dict[str, str]:
	"""Scope conditions of DocTypes the app scopes outside the boundary table (a campaign's
	selling documents, agri_coop.overrides.selling_scope), for files attached to them."""
	found = {}
	for dt, methods in frappe.get_hooks("permission_query_conditions").items():
		if dt in SCOPED_DOCTYPES or dt in ("File", "Prepared Report") or frappe.get_meta(dt).istable:
			continue
		parts = [
			c
			for method in methods
			if method.startswith("agri_coop.") and method != "agri_coop.security.boundary.query_conditions"
			if (c := frappe.call(frappe.get_attr(method), user, doctype=dt))
		]
		if parts:
			found[dt] = " and ".join(f"({c})" for c in parts)
	return found


def file_has_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	"""Deny a File attached to a scoped record outside the user's scope, or held in a field
	the user may not read; else Frappe decides."""
	if ptype != "create" and held_in_hidden_field(doc.file_url, user):
		return False
	if doc.attached_to_doctype not in SCOPED_DOCTYPES or not doc.attached_to_name:
		return None
	if allowed_cooperatives(user) is None:
		return None
	if not frappe.db.exists(doc.attached_to_doctype, doc.attached_to_name):
		return None
	record = frappe.get_doc(doc.attached_to_doctype, doc.attached_to_name)
	return has_scope_permission(record, ptype="read", user=user)


def held_in_hidden_field(file_url: str | None, user: str | None = None) -> bool:
	"""Whether a record holds this private file in an Attach field above the user's permission
	level (a bank's credit sheet: every member's limit, perhaps ID numbers). The file is that
	field's value: whoever may not read the field may not read the file, though they read the
	record it is attached to (which is all Frappe's download checks)."""
	if not file_url or not file_url.startswith("/private/"):
		return False
	attached = frappe.get_all(
		"File",
		{"file_url": file_url, "attached_to_doctype": ("is", "set"), "attached_to_name": ("is", "set")},
		["attached_to_doctype", "attached_to_name"],
		distinct=True,
	)
	for row in attached:
		if not frappe.db.exists("DocType", row.attached_to_doctype):
			continue
		hidden = unreadable_fields(row.attached_to_doctype, user)
		fields = [
			df.fieldname
			for df in frappe.get_meta(row.attached_to_doctype).get_high_permlevel_fields()
			if df.fieldtype in ("Attach", "Attach Image") and df.fieldname in hidden
		]
		values = fields and frappe.db.get_value(
			row.attached_to_doctype, row.attached_to_name, fields, as_dict=True
		)
		if values and file_url in values.values():
			return True
	return False


def refuse_hidden_file_downloads():
	"""auth_hooks: Frappe's downloads (/private/files/..., download_file, zip_files) check only
	the record a file is attached to; a file held in a field the user may not read is refused."""
	request = getattr(frappe.local, "request", None)
	if not request or frappe.session.user == "Administrator":
		return
	form = frappe.local.form_dict or {}
	path = unquote(request.path or "")
	urls = [path] if path.startswith("/private/files/") else []
	if form.get("file_url"):
		urls.append(unquote(str(form.get("file_url")).split("?")[0]))
	if form.get("files") and path.rstrip("/").endswith("zip_files"):
		names = frappe.parse_json(form.get("files")) or []
		urls += frappe.get_all("File", {"name": ("in", [str(n) for n in names])}, pluck="file_url")
	if any(held_in_hidden_field(url) for url in urls):
		throw("You may not read this file", exc=frappe.PermissionError)


def can_read_file_url(file_url: str, user: str | None = None) -> bool:
	"""Whether the user may read some existing File row with this URL (as the download does)."""
	user = user or frappe.session.user
	if user == "Administrator" or not file_url:
		return True
	rows = frappe.get_all("File", {"file_url": file_url, "is_folder": 0}, pluck="name")
	if not rows:
		return not file_url.startswith("/private/")
	return any(frappe.has_permission("File", "read", doc=frappe.get_doc("File", r), user=user) for r in rows)


def refuse_foreign_private_url(doc, method=None):
	"""File.before_insert / validate: a row newly pointing at someone else's private file is
	refused (a new row, or an own row whose URL is changed: Frappe lets both through).

	Runs even under ignore_permissions: Frappe attaches an Attach field's URL that way."""
	if not doc.file_url or not doc.file_url.startswith("/private/") or doc.is_folder:
		return
	if not doc.is_new() and not doc.has_value_changed("file_url"):
		return
	existing = frappe.get_all(
		"File", {"file_url": doc.file_url, "name": ("!=", doc.name or "")}, pluck="name"
	)
	if existing and not any(
		frappe.has_permission("File", "read", doc=frappe.get_doc("File", r)) for r in existing
	):
		throw("You may not attach a file you cannot read", exc=frappe.PermissionError)


def refuse_foreign_attachments(doc, method=None):
	"""validate of every DocType: an Attach field may only carry a private URL the user may
	read (Frappe would attach that file, even an unattached one, to this record)."""
	if frappe.session.user == "Administrator" or doc.doctype == "File":
		return
	for df in doc.meta.get("fields", {"fieldtype": ("in", ("Attach", "Attach Image"))}):
		url = doc.get(df.fieldname)
		if not url or not str(url).startswith("/private/"):
			continue
		before = doc.get_doc_before_save()
		if before and before.get(df.fieldname) == url:
			continue
		if not can_read_file_url(url):
			throw("You may not attach a file you cannot read", exc=frappe.PermissionError)
