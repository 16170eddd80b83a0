"""Generic whitelisted methods where Frappe drops or skips the scope, closed for the scope
boundary (registered in hooks.py `override_whitelisted_methods`).

- search_link / search_widget: `ignore_user_permissions=1` turns every permission check off
  (PQCs included). It is honoured only where the caller's form really has a Link that
  ignores user permissions to that DocType, and never for a scoped DocType; the page is
  clamped and the search field must be a readable one.
- get_group_by_count: its "assigned_to" branch counts with an unchecked query.
- query_report.run / export_query: `user` comes from the caller, and a prepared report is
  loaded by name unchecked.
- global_search.search: rows of any readable DocType, without the record's permission.
"""

import json
import re
from urllib.parse import unquote

import frappe
import frappe.desk.listview
import frappe.desk.query_report
import frappe.desk.search
import frappe.utils.global_search
from frappe.utils import cint

from agri_coop.security.boundary import BOUNDARY, SCOPED_DOCTYPES, CountyWide, Field, allowed_cooperatives
from agri_coop.security.privacy import request_text
from agri_coop.utils.messages import throw

MAX_PAGE_LENGTH = 50


def is_scoped(doctype: str) -> bool:
	"""Records of this DocType belong to co-ops: the boundary's own, those another part of the
	app scopes with a has_permission hook (a campaign's selling documents), and any DocType
	with a Link to Cooperative (scoped by User Permissions)."""
	if doctype in SCOPED_DOCTYPES:
		return True
	if isinstance(BOUNDARY.get(doctype), CountyWide):
		return False
	if any(hook.startswith("agri_coop.") for hook in frappe.get_hooks("has_permission").get(doctype, [])):
		return True
	return bool(frappe.get_meta(doctype).get("fields", {"fieldtype": "Link", "options": "Cooperative"}))


def may_ignore_user_permissions(doctype: str, reference_doctype: str | None, requested) -> bool:
	"""Honour `ignore_user_permissions` only for a Link that declares it, to an unscoped DocType."""
	if not cint(requested) or not reference_doctype or is_scoped(doctype):
		return False
	if not frappe.db.exists("DocType", reference_doctype):
		return False
	return any(
		df.options == doctype and df.ignore_user_permissions
		for df in frappe.get_meta(reference_doctype).get("fields", {"fieldtype": "Link"})
	)


def readable_searchfield(doctype: str, searchfield: str | None) -> str | None:
	"""The search field must be a visible field the user may read (the reply carries it)."""
	if not searchfield or searchfield == "name":
		return searchfield
	meta = frappe.get_meta(doctype)
	df = meta.get_field(searchfield)
	if not df or df.hidden or df.permlevel not in meta.get_permlevel_access("read"):
		throw("You may not search on the field {0}", searchfield, exc=frappe.PermissionError)
	return searchfield


def page_length_of(page_length) -> int:
	page_length = cint(page_length)
	return MAX_PAGE_LENGTH if page_length <= 0 else min(page_length, MAX_PAGE_LENGTH)


@frappe.whitelist()
def search_link(
	doctype: str,
	txt: str,
	query: str | None = None,
	filters=None,
	page_length: int = 10,
	searchfield: str | None = None,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	return frappe.desk.search.search_link(
		doctype,
		txt,
		query=query,
		filters=filters,
		page_length=page_length_of(page_length),
		searchfield=readable_searchfield(doctype, searchfield),
		reference_doctype=reference_doctype,
		ignore_user_permissions=may_ignore_user_permissions(
			doctype, reference_doctype, ignore_user_permissions
		),
	)


@frappe.whitelist()
def search_widget(
	doctype: str,
	txt: str,
	query: str | None = None,
	searchfield: str | None = None,
	start: int = 0,
	page_length: int = 10,
	filters=None,
	filter_fields=None,
	as_dict: bool = False,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	if filter_fields:
		for fieldname in frappe.parse_json(filter_fields) or []:
			readable_searchfield(doctype, fieldname)
	return frappe.desk.search.search_widget(
		doctype,
		txt,
		query=query,
		searchfield=readable_searchfield(doctype, searchfield),
		start=start,
		page_length=page_length_of(page_length),
		filters=filters,
		filter_fields=filter_fields,
		as_dict=as_dict,
		reference_doctype=reference_doctype,
		ignore_user_permissions=may_ignore_user_permissions(
			doctype, reference_doctype, ignore_user_permissions
		),
	)


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""As Frappe's, but "assigned_to" counts only the records the user may list."""
	if field != "assigned_to":
		return frappe.desk.listview.get_group_by_count(doctype, current_filters, field)
	names = frappe.get_list(
		doctype, filters=frappe.parse_json(current_filters), pluck="name", limit_page_length=0
	)
	if not names:
		return []
	ToDo = frappe.qb.DocType("ToDo")
	User = frappe.qb.DocType("User")
	count = frappe.query_builder.functions.Count("*").as_("count")
	return (
		frappe.qb.from_(ToDo)
		.from_(User)
		.select(ToDo.allocated_to.as_("name"), count)
		.where(
			(ToDo.status != "Cancelled")
			& (ToDo.allocated_to == User.name)
			& (User.user_type == "System User")
			& (ToDo.reference_type == doctype)
			& (ToDo.reference_name.isin(names))
		)
		.groupby(ToDo.allocated_to)
		.orderby(count, order=frappe.qb.desc)
		.limit(50)
		.run(as_dict=True)
	)


def own_prepared_report_filters(filters):
	"""Report filters without a `prepared_report_name` of someone else's prepared report."""
	if not filters:
		return filters
	if isinstance(filters, str):
		filters = json.loads(filters)
	if isinstance(filters, dict) and filters.get("prepared_report_name"):
		owner = frappe.db.get_value("Prepared Report", filters["prepared_report_name"], "owner")
		if owner != frappe.session.user:
			filters.pop("prepared_report_name")
	return filters


@frappe.whitelist()
@frappe.read_only()
def run_report(
	report_name,
	filters=None,
	user=None,
	ignore_prepared_report=False,
	custom_columns=None,
	is_tree=False,
	parent_field=None,
	are_default_filters=True,
):
	# the report runs as the session user, whatever `user` the caller sends
	return frappe.desk.query_report.run(
		report_name,
		filters=own_prepared_report_filters(filters),
		user=frappe.session.user,
		ignore_prepared_report=ignore_prepared_report,
		custom_columns=custom_columns,
		is_tree=is_tree,
		parent_field=parent_field,
		are_default_filters=are_default_filters,
	)


@frappe.whitelist()
def export_report():
	form_dict = frappe.local.form_dict
	form_dict.pop("user", None)
	if form_dict.get("filters"):
		form_dict["filters"] = json.dumps(own_prepared_report_filters(form_dict["filters"]))
	return frappe.desk.query_report.export_query()


def prepared_report_has_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	"""A prepared report holds what its owner could see: nobody else reads it."""
	user = user or frappe.session.user
	if user == "Administrator" or doc.owner == user or ptype == "create":
		return None
	return False


def prepared_report_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	return f"(`tabPrepared Report`.`owner` = {frappe.db.escape(user)})"


@frappe.whitelist()
def global_search(text, start=0, limit=20, doctype=""):
	"""Frappe's global search, keeping only rows of records the user may read."""
	limit = page_length_of(limit)
	results = frappe.utils.global_search.search(text, start=start, limit=limit, doctype=doctype)
	return [row for row in results if may_read(row.doctype, row.name)]


def may_read(doctype: str, name: str) -> bool:
	try:
		return frappe.has_permission(doctype, "read", doc=name)
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		return False


# Query parameters in which a client can name another DocType's table.
QUERY_PARAMETERS = (
	"fields",
	"filters",
	"or_filters",
	"order_by",
	"group_by",
	"sort_by",
	"sort_field",
	"columns",
	"current_filters",
	"field",
	"fieldname",
	"aggregate_on_field",
	"aggregate_on",
	"pluck",
	"distinct",
	"chart",
	"filters_json",
	"field_map",
)


def rows_scoped_children() -> dict[str, set[str]]:
	"""Child DocTypes whose rows each belong to a co-op, under a county-wide parent (the
	settlement's member, co-op and voucher rows): the parent's query does not scope them.
	Each with the table fields that hold it (Frappe also reads `members.member`)."""
	children = [
		dt for dt, path in BOUNDARY.items() if isinstance(path, Field) and frappe.get_meta(dt).istable
	]
	table_fields = frappe.get_all(
		"DocField",
		{"options": ("in", children), "fieldtype": ("in", ("Table", "Table MultiSelect"))},
		["options", "fieldname"],
	)
	return {child: {f.fieldname for f in table_fields if f.options == child} for child in children}


def refuse_foreign_child_columns():
	"""auth_hooks: a scoped user may not name such a child table (its columns or filters) in a
	query of another DocType; Frappe joins child tables without their permission conditions."""
	form = frappe.local.form_dict or {}
	texts = [form.get(key) for key in QUERY_PARAMETERS if form.get(key)]
	if not texts or not getattr(frappe.local, "request", None) or allowed_cooperatives() is None:
		return
	# decoded first: a name written with JSON escapes is the same name to Frappe
	text = " ".join(request_text(t) for t in texts).lower()
	path = unquote(frappe.local.request.path or "")
	for child, table_fields in rows_scoped_children().items():
		if form.get("doctype") == child or path.rstrip("/").endswith(f"/{child}"):
			continue  # a query of the child itself: its own conditions apply
		# by the child's name (`tabChild`.col) or by the parent's table field (members.member)
		named = child.lower() in text or any(
			re.search(rf"(^|[^\w.]){re.escape(field.lower())}`?\s*\.", text) for field in table_fields
		)
		if named:
			throw(
				"You may not query the rows of {0} through another DocType", child, exc=frappe.PermissionError
			)
