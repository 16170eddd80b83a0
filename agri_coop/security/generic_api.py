"""Whitelisted helpers of Frappe and ERPNext that check no (or too little) permission,
closed for the app's users (override_whitelisted_methods in hooks.py).

Each wrapper checks what the helper itself should have checked and then calls it unchanged.
"""

import json

import frappe
import frappe.core.doctype.data_export.exporter
import frappe.core.doctype.data_import.data_import
import frappe.desk.doctype.dashboard_chart.dashboard_chart
import frappe.desk.like
import frappe.templates.includes.comments.comments
from erpnext.accounts import utils as account_utils
from erpnext.accounts.doctype.payment_entry import payment_entry
from erpnext.buying.doctype.purchase_order import purchase_order
from erpnext.selling.doctype.sales_order import sales_order
from erpnext.stock.doctype.delivery_note import delivery_note
from erpnext.stock.doctype.purchase_receipt import purchase_receipt

from agri_coop.constants import roles
from agri_coop.security.boundary import BOUNDARY, allowed_cooperatives
from agri_coop.utils.messages import throw

# Frappe's Data Import / Data Export tools export whole tables with child rows read by
# frappe.get_all (no permission conditions) and strip hidden columns with an off-by-one: for
# the app's DocTypes they are the county data roles' tools only.
BULK_EXPORT_ROLES = {roles.COUNTY_SMC_MANAGER, roles.COOP_ACCOUNTANT, "System Manager"}


def _app_doctype_family(doctype: str) -> bool:
	"""An app DocType (or ERPNext's co-op Customer), or a DocType with such a child table."""
	if doctype in BOUNDARY:
		return True
	if not frappe.db.exists("DocType", doctype):
		return False
	return any(df.options in BOUNDARY for df in frappe.get_meta(doctype).get_table_fields())


def _refuse_bulk_export(doctype: str):
	if frappe.session.user == "Administrator" or not _app_doctype_family(doctype):
		return
	if not BULK_EXPORT_ROLES & set(frappe.get_roles()):
		throw(
			"Only the county SMC manager and the co-op accountant may export {0} with Data Import or Data Export",
			doctype,
			exc=frappe.PermissionError,
		)


@frappe.whitelist()
def download_template(doctype, export_fields=None, export_records=None, export_filters=None, file_type="CSV"):
	if export_records and export_records != "blank_template":
		_refuse_bulk_export(doctype)
	return frappe.core.doctype.data_import.data_import.download_template(
		doctype, export_fields, export_records, export_filters, file_type
	)


@frappe.whitelist()
def export_data(doctype=None, *args, **kwargs):
	_refuse_bulk_export(doctype)
	return frappe.core.doctype.data_export.exporter.export_data(doctype, *args, **kwargs)


# -- status changes of submitted documents: ERPNext checks nothing (sales_order.update_status)


def _check_write(doctype: str, names):
	for name in names:
		frappe.get_doc(doctype, name).check_permission("write")


@frappe.whitelist()
def update_sales_order_status(status, name):
	_check_write("Sales Order", [name])
	return sales_order.update_status(status, name)


@frappe.whitelist()
def update_purchase_order_status(status, name):
	_check_write("Purchase Order", [name])
	return purchase_order.update_status(status, name)


@frappe.whitelist()
def update_delivery_note_status(docname, status):
	_check_write("Delivery Note", [docname])
	return delivery_note.update_delivery_note_status(docname, status)


@frappe.whitelist()
def update_purchase_receipt_status(docname, status):
	_check_write("Purchase Receipt", [docname])
	return purchase_receipt.update_purchase_receipt_status(docname, status)


@frappe.whitelist()
def close_or_unclose_sales_orders(names, status):
	_check_write("Sales Order", json.loads(names) if isinstance(names, str) else names)
	return sales_order.close_or_unclose_sales_orders(names, status)


@frappe.whitelist()
def close_or_unclose_purchase_orders(names, status):
	_check_write("Purchase Order", json.loads(names) if isinstance(names, str) else names)
	return purchase_order.close_or_unclose_purchase_orders(names, status)


# -- balances and outstanding amounts: ERPNext answers for any party


def _check_ledger_reader(party_type=None, party=None, account=None):
	"""Balances are the ledger's: readers of the General Ledger only, for a party or account
	they may read."""
	if frappe.session.user == "Administrator":
		return
	if not frappe.has_permission("GL Entry", "read"):
		throw("Your roles do not allow reading balances", exc=frappe.PermissionError)
	if party_type and party and not frappe.has_permission(party_type, "read", party):
		throw("You may not read {0} {1}", party_type, party, exc=frappe.PermissionError)
	if account and not frappe.has_permission("Account", "read", account):
		throw("You may not read {0} {1}", "Account", account, exc=frappe.PermissionError)


@frappe.whitelist()
def get_balance_on(account=None, date=None, party_type=None, party=None, company=None, **kwargs):
	account = account or frappe.form_dict.get("account")
	party_type = party_type or frappe.form_dict.get("party_type")
	party = party or frappe.form_dict.get("party")
	_check_ledger_reader(party_type, party, account)
	kwargs.pop("ignore_account_permission", None)  # never the caller's to choose
	kwargs.pop("cmd", None)
	return account_utils.get_balance_on(account, date, party_type, party, company, **kwargs)


@frappe.whitelist()
def get_party_details(company, party_type, party, date, cost_center=None):
	_check_ledger_reader(party_type, party)
	return payment_entry.get_party_details(company, party_type, party, date, cost_center)


@frappe.whitelist()
def get_reference_details(
	reference_doctype, reference_name, party_account_currency, party_type=None, party=None
):
	frappe.get_doc(reference_doctype, reference_name).check_permission("read")
	return payment_entry.get_reference_details(
		reference_doctype, reference_name, party_account_currency, party_type, party
	)


@frappe.whitelist()
def get_outstanding_reference_documents(args, validate=False):
	values = json.loads(args) if isinstance(args, str) else (args or {})
	_check_ledger_reader(values.get("party_type"), values.get("party"), values.get("party_account"))
	return payment_entry.get_outstanding_reference_documents(args, validate)


# -- Sales Order helpers that read by raw SQL with user permissions only


@frappe.whitelist()
def sales_order_events(start, end, filters=None):
	events = sales_order.get_events(start, end, filters)
	return [e for e in events if frappe.has_permission("Sales Order", "read", e.get("name"))]


@frappe.whitelist()
def get_work_order_items(sales_order_name=None, for_raw_material_request=0, **kwargs):
	name = sales_order_name or kwargs.get("sales_order")
	if name:
		frappe.get_doc("Sales Order", name).check_permission("read")
	return sales_order.get_work_order_items(name, for_raw_material_request)


# -- dashboard charts: Frappe counts and sums with frappe.get_all (no permission conditions)


@frappe.whitelist()
def dashboard_chart(chart_name=None, chart=None, **kwargs):
	"""Saved charts only, on a DocType the user may read, and none for town or village users
	(a chart counts the whole county); an ad-hoc chart definition is the System Manager's."""
	if frappe.session.user != "Administrator" and "System Manager" not in frappe.get_roles():
		if chart or not chart_name:
			throw("Only saved dashboard charts can be shown", exc=frappe.PermissionError)
		document_type = frappe.db.get_value("Dashboard Chart", chart_name, "document_type")
		if allowed_cooperatives() is not None or (
			document_type and not frappe.has_permission(document_type, "read")
		):
			throw("Dashboard charts count the whole county: not for your roles", exc=frappe.PermissionError)
	kwargs.pop("cmd", None)
	return frappe.desk.doctype.dashboard_chart.dashboard_chart.get(
		chart_name=chart_name, chart=chart, **kwargs
	)


# -- the website's comment form: Frappe inserts it for any record named


@frappe.whitelist(allow_guest=True)
def add_web_comment(comment, comment_email, comment_by, reference_doctype, reference_name, route):
	if frappe.session.user != "Guest":
		frappe.get_doc(reference_doctype, reference_name).check_permission("read")
	return frappe.templates.includes.comments.comments.add_comment(
		comment, comment_email, comment_by, reference_doctype, reference_name, route
	)


# -- more ERPNext helpers that read a named document's ledger without checking it


def _check_document_ledger(doctype, name):
	frappe.get_doc(doctype, name).check_permission("read")
	_check_ledger_reader()


@frappe.whitelist()
def show_accounting_ledger_preview(company, doctype, docname):
	from erpnext.controllers import stock_controller

	_check_document_ledger(doctype, docname)
	return stock_controller.show_accounting_ledger_preview(company, doctype, docname)


@frappe.whitelist()
def get_linked_payments_for_doc(company=None, doctype=None, docname=None):
	from erpnext.accounts.doctype.unreconcile_payment import unreconcile_payment

	_check_document_ledger(doctype, docname)
	return unreconcile_payment.get_linked_payments_for_doc(company, doctype, docname)


@frappe.whitelist()
def get_payment_entry_against_invoice(dt, dn, **kwargs):
	from erpnext.accounts.doctype.journal_entry import journal_entry

	_check_document_ledger(dt, dn)
	kwargs.pop("cmd", None)
	return journal_entry.get_payment_entry_against_invoice(dt, dn, **kwargs)


@frappe.whitelist()
def get_discountable_invoices(filters):
	from erpnext.accounts.doctype.invoice_discounting import invoice_discounting

	_check_ledger_reader()
	return invoice_discounting.get_invoices(filters)


@frappe.whitelist()
def get_so_details(sales_order):
	from erpnext.manufacturing.doctype.production_plan import production_plan

	frappe.get_doc("Sales Order", sales_order).check_permission("read")
	return production_plan.get_so_details(sales_order)


# -- Frappe helpers that write for anyone named


@frappe.whitelist()
def set_seen_value(value, user):
	from frappe.desk.doctype.notification_settings import notification_settings

	if user != frappe.session.user:
		throw("You may not change {0} {1}", "User", user, exc=frappe.PermissionError)
	return notification_settings.set_seen_value(value, user)


@frappe.whitelist()
def unlock_document(doctype=None, name=None, args=None):
	import frappe.model.document

	if args and not doctype:  # Frappe's older call shape
		values = json.loads(args) if isinstance(args, str) else args
		doctype, name = values.get("doctype"), values.get("name")
	frappe.get_doc(doctype, name).check_permission("write")
	return frappe.model.document.unlock_document(doctype, name)


# -- likes: Frappe writes _liked_by on any record named


@frappe.whitelist()
def toggle_like(doctype, name, add=False):
	frappe.get_doc(doctype, name).check_permission("read")
	return frappe.desk.like.toggle_like(doctype, name, add)


# -- the leadership office reads and writes nothing


# What a read-only user's own reading writes: logs, report results, their own session records.
READ_ONLY_USERS_MAY_WRITE = {
	"Access Log",
	"Activity Log",
	"Route History",
	"Prepared Report",
	"Version",
	"Error Log",
	"Personal Data Access Log",
	"Notification Log",
	"Notification Settings",
	"Dashboard Settings",
	"Sessions",
	"User",
}
READ_ONLY_ROLES = {roles.LEADERSHIP_OFFICE}
AUTOMATIC_ROLES = {"All", "Guest", "Desk User"}


def is_read_only_user(user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user in ("Administrator", "Guest"):
		return False
	own = set(frappe.get_roles(user)) - AUTOMATIC_ROLES
	return bool(own) and own <= READ_ONLY_ROLES


def refuse_writes_of_read_only_users(doc, method=None):
	"""doc_events "*": a Leadership Office user creates, changes and deletes nothing (Frappe's
	"All" role would let them add Comments, Contacts, Addresses and ToDos)."""
	if not getattr(frappe.local, "request", None) or not is_read_only_user():
		return
	if doc.doctype in READ_ONLY_USERS_MAY_WRITE:
		if doc.doctype != "User" or doc.name == frappe.session.user:
			return
	if doc.doctype == "File" and doc.get("attached_to_doctype") == "Prepared Report":
		return
	throw("The leadership office reads only: it may not change {0}", doc.doctype, exc=frappe.PermissionError)
