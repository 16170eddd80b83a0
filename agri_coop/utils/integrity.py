"""Server-set fields stay server-set, whatever path a write comes through.

A read-only field (states, codes, approval references, a co-op's Customer, totals, a
settlement's figures) is written by the server only: by a computation in `validate`, by a
transition (agri_coop.utils.transitions), or by server code that says so
(`allow_server_fields(doc)`). `keep_server_fields` runs first on every save
(doc_events before_validate / before_update_after_submit): it puts every such field, on the
document and its child rows, back to what is stored (or to its default on a new record), so
`PUT /api/resource`, `frappe.client.set_value`/`save`/`insert` cannot set them; the
document's own validate then computes what it computes. Fields fetched from a link
(`fetch_from`) are left to Frappe, which fetches them itself.
"""

import frappe
from frappe.model import no_value_fields, table_fields

from agri_coop.utils.transitions import in_transition

SERVER_FIELDS_FLAG = "agri_coop_server_fields"
# never reset: bookkeeping Frappe itself maintains
SKIPPED = {"name", "owner", "creation", "modified", "modified_by", "docstatus", "idx", "amended_from"}
# fields whose own validate refuses a change with a message of its own (a state typed in)
SELF_REFUSED = {
	"Cooperative": {"approval_state"},
	"Purchase Campaign": {"campaign_state"},
	"Purchasing Department": {"state", "established_on", "certified_on", "service_station"},
	"Service Station": {"warehouse"},
}


def allow_server_fields(doc):
	"""Mark a save by server code that sets read-only fields itself."""
	doc.flags[SERVER_FIELDS_FLAG] = True
	return doc


def server_fields(doctype: str) -> list:
	return [
		df
		for df in frappe.get_meta(doctype).fields
		if df.read_only
		and not df.fetch_from
		and not df.is_virtual
		and df.fieldtype not in no_value_fields
		and df.fieldtype not in table_fields
		and df.fieldname not in SKIPPED
		and df.fieldname not in SELF_REFUSED.get(doctype, ())
	]


def keep_server_fields(doc, method=None):
	if doc.flags.get(SERVER_FIELDS_FLAG) or in_transition(doc) or frappe.flags.in_install:
		return
	restore(doc, server_fields(doc.doctype))
	meta = frappe.get_meta(doc.doctype)
	for table in meta.get_table_fields():
		fields = server_fields(table.options)
		if not fields:
			continue
		rows = doc.get(table.fieldname) or []
		stored = {}
		names = [row.name for row in rows if row.name and not row.is_new()]
		if names:
			stored = {
				r.name: r
				for r in frappe.get_all(
					table.options,
					{"name": ("in", names), "parent": doc.name, "parenttype": doc.doctype},
					["name", *[df.fieldname for df in fields]],
				)
			}
		for row in rows:
			put_back(row, fields, stored.get(row.name))


def restore(doc, fields):
	if not fields:
		return
	stored = None
	if not doc.is_new():
		stored = frappe.db.get_value(doc.doctype, doc.name, [df.fieldname for df in fields], as_dict=True)
	put_back(doc, fields, stored)


def put_back(doc, fields, stored):
	for df in fields:
		if stored is not None:
			doc.set(df.fieldname, stored.get(df.fieldname))
		elif doc.get(df.fieldname) not in (None, ""):
			doc.set(df.fieldname, default_of(df))


def default_of(df):
	if df.default is None:
		return 0 if df.fieldtype in ("Check", "Int", "Float", "Currency", "Percent") else None
	if df.fieldtype in ("Check", "Int"):
		return int(df.default)
	return df.default
