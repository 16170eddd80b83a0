"""The Subsidies module's ledger: the accounting dimension "Subsidy Program" that tags every
fund movement (arrivals, payments, the finance module's interest-subsidy claims) so that a
programme's money can be followed in the GL (专账核算)."""

import frappe

DIMENSION = "Subsidy Program"
DIMENSION_FIELD = "subsidy_program"


def ensure_subsidy_dimension():
	"""The Accounting Dimension on Subsidy Program and its fields on every accounting DocType
	(GL Entry, Journal Entry Account, Payment Entry, invoices, ...); safe to run again.

	ERPNext makes the fields in a background job after the insert; here they are made at once
	(install / migrate), so that the next voucher can carry the dimension."""
	from erpnext.accounts.doctype.accounting_dimension.accounting_dimension import (
		get_doctypes_with_dimensions,
		make_dimension_in_accounting_doctypes,
	)

	name = frappe.db.get_value("Accounting Dimension", {"document_type": DIMENSION})
	if name:
		dimension = frappe.get_doc("Accounting Dimension", name)
	else:
		dimension = frappe.new_doc("Accounting Dimension")
		dimension.document_type = DIMENSION
		dimension.label = DIMENSION
		dimension.fieldname = DIMENSION_FIELD
		dimension.flags.ignore_permissions = True
		dimension.db_insert()  # no after_insert: it would queue the fields' creation
		frappe.flags.accounting_dimensions = None
		frappe.flags.accounting_dimensions_details = None
	doctypes = get_doctypes_with_dimensions()
	with_field = set(
		frappe.get_all("Custom Field", {"fieldname": dimension.fieldname, "dt": ("in", doctypes)}, pluck="dt")
	)
	missing = [dt for dt in doctypes if dt not in with_field and frappe.db.exists("DocType", dt)]
	if missing:
		make_dimension_in_accounting_doctypes(doc=dimension, doclist=missing)
