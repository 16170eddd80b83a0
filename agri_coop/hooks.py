app_name = "agri_coop"
app_title = "Agri Coop"
app_publisher = "agri_coop developers"
app_description = "Digital group purchase of farm inputs (数字化农资统购) for supply-and-marketing co-ops"
app_email = "dev@agri-coop.invalid"
app_license = "MIT"
required_apps = ["erpnext"]

# Installation
before_install = "agri_coop.setup.install.before_install"
after_install = "agri_coop.setup.install.after_install"
before_uninstall = "agri_coop.setup.install.before_uninstall"
before_migrate = "agri_coop.setup.install.before_migrate"
before_tests = "agri_coop.tests.utils.before_tests"
# the leadership reports' indexes and pre-aggregations (agri_coop.reports.aggregates)
after_migrate = ["agri_coop.reports.aggregates.after_migrate"]

# --- Security: scope boundary and personal data (README "Security model") -------------
# Town / village scope for every app DocType and child table, built from one table.
# (underscore: Frappe reads every public name of hooks.py as a hook)
from agri_coop.overrides.selling_scope import SELLING_CHILDREN as _SELLING_CHILDREN
from agri_coop.overrides.selling_scope import SELLING_DOCTYPES as _SELLING_DOCTYPES
from agri_coop.security.boundary import BOUNDARY as _BOUNDARY

permission_query_conditions = {
	**{doctype: "agri_coop.security.boundary.query_conditions" for doctype in _BOUNDARY},
	# a File is read as the record it is attached to
	"File": "agri_coop.security.boundary_files.file_query_conditions",
	"Prepared Report": "agri_coop.security.boundary_api.prepared_report_query_conditions",
}
has_permission = {
	**{doctype: "agri_coop.security.boundary.has_scope_permission" for doctype in _BOUNDARY},
	"File": "agri_coop.security.boundary_files.file_has_permission",
	# a prepared report's result is its owner's (it ran with the owner's scope)
	"Prepared Report": "agri_coop.security.boundary_api.prepared_report_has_permission",
	# an app number card is its report's figure: only the report's roles see it
	"Number Card": "agri_coop.reports.dashboard.number_card_has_permission",
}

# Generic whitelisted methods that Frappe leaves open to scoped users, closed here.
override_whitelisted_methods = {
	# scope boundary (agri_coop/security/boundary*.py)
	"frappe.desk.search.search_link": "agri_coop.security.boundary_api.search_link",
	"frappe.desk.search.search_widget": "agri_coop.security.boundary_api.search_widget",
	"frappe.desk.listview.get_group_by_count": "agri_coop.security.boundary_api.get_group_by_count",
	"frappe.desk.query_report.run": "agri_coop.security.boundary_api.run_report",
	"frappe.desk.query_report.export_query": "agri_coop.security.boundary_api.export_report",
	"frappe.utils.global_search.search": "agri_coop.security.boundary_api.global_search",
	# personal data (agri_coop/security/privacy*.py): write replies carry only readable fields
	"frappe.client.set_value": "agri_coop.security.privacy_api.set_value",
	"frappe.client.insert": "agri_coop.security.privacy_api.insert",
	"frappe.client.save": "agri_coop.security.privacy_api.save",
	"frappe.client.submit": "agri_coop.security.privacy_api.submit",
	"frappe.client.cancel": "agri_coop.security.privacy_api.cancel",
	# helpers that check no permission of their own (agri_coop/security/generic_api.py)
	**{
		method: f"agri_coop.security.generic_api.{wrapper}"
		for method, wrapper in {
			"frappe.core.doctype.data_import.data_import.download_template": "download_template",
			"frappe.core.doctype.data_export.exporter.export_data": "export_data",
			"frappe.desk.like.toggle_like": "toggle_like",
			"erpnext.selling.doctype.sales_order.sales_order.update_status": "update_sales_order_status",
			"erpnext.selling.doctype.sales_order.sales_order.close_or_unclose_sales_orders": "close_or_unclose_sales_orders",
			"erpnext.buying.doctype.purchase_order.purchase_order.update_status": "update_purchase_order_status",
			"erpnext.buying.doctype.purchase_order.purchase_order.close_or_unclose_purchase_orders": "close_or_unclose_purchase_orders",
			"erpnext.stock.doctype.delivery_note.delivery_note.update_delivery_note_status": "update_delivery_note_status",
			"erpnext.stock.doctype.purchase_receipt.purchase_receipt.update_purchase_receipt_status": "update_purchase_receipt_status",
			"erpnext.accounts.utils.get_balance_on": "get_balance_on",
			"erpnext.accounts.doctype.payment_entry.payment_entry.get_party_details": "get_party_details",
			"erpnext.accounts.doctype.payment_entry.payment_entry.get_reference_details": "get_reference_details",
			"erpnext.accounts.doctype.payment_entry.payment_entry.get_outstanding_reference_documents": "get_outstanding_reference_documents",
			"erpnext.selling.doctype.sales_order.sales_order.get_events": "sales_order_events",
			"erpnext.selling.doctype.sales_order.sales_order.get_work_order_items": "get_work_order_items",
			"frappe.desk.doctype.dashboard_chart.dashboard_chart.get": "dashboard_chart",
			"frappe.templates.includes.comments.comments.add_comment": "add_web_comment",
			"erpnext.controllers.stock_controller.show_accounting_ledger_preview": "show_accounting_ledger_preview",
			"erpnext.accounts.doctype.unreconcile_payment.unreconcile_payment.get_linked_payments_for_doc": "get_linked_payments_for_doc",
			"erpnext.accounts.doctype.journal_entry.journal_entry.get_payment_entry_against_invoice": "get_payment_entry_against_invoice",
			"erpnext.accounts.doctype.invoice_discounting.invoice_discounting.get_invoices": "get_discountable_invoices",
			"erpnext.manufacturing.doctype.production_plan.production_plan.get_so_details": "get_so_details",
			"frappe.desk.doctype.notification_settings.notification_settings.set_seen_value": "set_seen_value",
			"frappe.model.document.unlock_document": "unlock_document",
		}.items()
	},
}
# personal data: no filter / sort / group-by / field list naming a field the caller cannot read
auth_hooks = [*globals().get("auth_hooks", []), "agri_coop.security.privacy.refuse_hidden_field_queries"]
# child rows of other co-ops under a county-wide parent (agri_coop.security.boundary_api)
auth_hooks = [
	*globals().get("auth_hooks", []),
	"agri_coop.security.boundary_api.refuse_foreign_child_columns",
]
# a file held in a field the user may not read (a bank's credit sheet) is not downloaded
auth_hooks = [*auth_hooks, "agri_coop.security.boundary_files.refuse_hidden_file_downloads"]
# ---------------------------------------------------------------------------------------


# ERPNext's DocTypes: each one's events in its own file, agri_coop/overrides/<doctype>.py,
# thin hooks that call the rules (campaign_guard: a campaign's documents are made, submitted
# and cancelled by the app's flows and the roles owning each step only; settlement_freeze: a
# settled campaign is frozen; campaign_state follows receipts and deliveries;
# settlement_payments: paid / due on a settlement follow the payments against its entry).
_OVERRIDES = {
	"Sales Order": ("before_validate", "before_submit", "before_cancel"),
	"Purchase Order": ("before_validate", "validate", "before_submit", "before_cancel"),
	"Purchase Receipt": ("before_validate", "before_submit", "before_cancel", "on_submit", "on_cancel"),
	"Delivery Note": (
		"before_validate",
		"validate",
		"before_submit",
		"before_cancel",
		"on_submit",
		"on_cancel",
	),
	"Sales Invoice": ("before_validate", "validate", "before_submit", "before_cancel"),
	# pesticides and batch-tracked inputs leave a warehouse on Delivery Notes (agri_coop.traceability)
	"POS Invoice": ("validate",),
	"Purchase Invoice": ("before_validate", "before_submit", "before_cancel"),
	"Landed Cost Voucher": ("before_validate", "before_submit", "before_cancel"),
	"Journal Entry": ("before_validate", "before_submit", "before_cancel", "on_submit", "on_cancel"),
	"Payment Entry": ("before_validate", "before_cancel", "on_submit", "on_cancel"),
	# Farm-input category and batch tracking; the QR code's token (agri_coop.traceability).
	"Item": ("validate",),
	"Batch": ("before_insert",),
	# No File row may point at a private file its creator may not read (agri_coop.security).
	"File": ("before_insert", "validate"),
	# Version history keeps no personal data (agri_coop.security.privacy).
	"Version": ("before_insert",),
}
doc_events = {
	**{
		doctype: {
			event: f"agri_coop.overrides.{doctype.lower().replace(' ', '_')}.{event}" for event in events
		}
		for doctype, events in _OVERRIDES.items()
	},
	# An import's status, counts and error file are the server's (agri_coop.utils.integrity).
	"Member Import": {
		"before_validate": "agri_coop.utils.integrity.keep_server_fields",
	},
	# ... nor an Attach field (Frappe attaches that URL's file to the record).
	"*": {
		"validate": "agri_coop.security.boundary_files.refuse_foreign_attachments",
		# the leadership office reads only (agri_coop.security.generic_api)
		"before_insert": "agri_coop.security.generic_api.refuse_writes_of_read_only_users",
		"before_save": "agri_coop.security.generic_api.refuse_writes_of_read_only_users",
		"on_trash": "agri_coop.security.generic_api.refuse_writes_of_read_only_users",
	},
	# an e-mailed report runs with the county's figures: only for county-wide users (agri_coop.reports)
	"Auto Email Report": {"validate": "agri_coop.reports.auto_email.validate"},
	# A settled campaign is frozen (agri_coop.overrides.settlement_freeze).
	"Campaign Order": {
		"before_cancel": "agri_coop.overrides.settlement_freeze.refuse_cancel_when_settled",
		# the leadership reports' per-item pre-aggregation (agri_coop.reports.aggregates)
		"on_submit": "agri_coop.reports.aggregates.on_submit",
		"on_cancel": "agri_coop.reports.aggregates.on_cancel",
	},
}
# a co-op's selling documents: read-only for its town and village users, nobody else's
for _doctype in ("Sales Order", "Delivery Note", "Sales Invoice"):
	has_permission[_doctype] = "agri_coop.overrides.selling_scope.has_permission"
# Read-only fields are the server's, whatever path a write comes through (agri_coop.utils.integrity).
for _doctype in (
	"Cooperative",
	"Purchasing Department",
	"Service Station",
	"Demand Survey",
	"Purchase Campaign",
	"Campaign Order",
	"Campaign Settlement",
	"Supplier Whitelist",
	"Member Distribution",
	"Batch Recall",
	"Subsidy Program",
	"Subsidy Application",
	"Partner Bank",
	"Credit Line",
	"Credit Batch",
	"Loan Disbursement",
	"Loan Repayment",
	"Interest Subsidy Claim",
):
	doc_events.setdefault(_doctype, {})["before_validate"] = "agri_coop.utils.integrity.keep_server_fields"
# Finance: the co-op scope and, for a credit officer, their own bank only (agri_coop.finance.scope)
for _doctype in (
	"Partner Bank",
	"Partner Bank Product",
	"Credit Line",
	"Credit Batch",
	"Credit Batch Error",
	"Loan Disbursement",
	"Loan Repayment",
	"Interest Subsidy Claim",
	"Interest Subsidy Claim Line",
):
	permission_query_conditions[_doctype] = [
		permission_query_conditions[_doctype],
		"agri_coop.finance.scope.query_conditions",
	]
	has_permission[_doctype] = [has_permission[_doctype], "agri_coop.finance.scope.has_permission"]
# a signed receipt's time and a recall's figures are the server's after submit too
for _doctype in ("Member Distribution", "Batch Recall"):
	doc_events[_doctype]["before_update_after_submit"] = "agri_coop.utils.integrity.keep_server_fields"
for _doctype in (*_SELLING_DOCTYPES, *_SELLING_CHILDREN):
	permission_query_conditions[_doctype] = "agri_coop.overrides.selling_scope.query_conditions"

scheduler_events = {
	"daily": [
		"agri_coop.purchasing.doctype.demand_survey.demand_survey.update_overdue_flags",
		"agri_coop.finance.doctype.credit_line.credit_line.expire_lines",
		"agri_coop.subsidies.notice.refresh_notices",
	],
}

setup_wizard_complete = "agri_coop.setup.install.sync_app_records"
# Select values in their DocType's words on forms and lists (Open of a campaign → 接单中)
doctype_js = {doctype: "public/js/words_in_context.js" for doctype in _BOUNDARY}
doctype_list_js = {doctype: "public/js/words_in_context.js" for doctype in _BOUNDARY}
# Finance: the bank's entrusted payment from the invoice, its reversal from the payment
doctype_js["Sales Invoice"] = "finance/js/sales_invoice.js"
doctype_js["Payment Entry"] = "finance/js/payment_entry.js"
# the public page a batch label's QR code opens (agri_coop/www/trace.py) and its QR image
website_route_rules = [{"from_route": "/trace/<token>", "to_route": "trace"}]
jinja = {"methods": ["agri_coop.traceability.qr.trace_qr_data_uri"]}
# an e-mailed report runs as its user, not as the scheduler's Administrator (agri_coop.reports)
override_doctype_class = {
	"Auto Email Report": "agri_coop.reports.auto_email.UserAutoEmailReport",
	# consolidation defers the reserved qty of its orders' bins (agri_coop.overrides.sales_order)
	"Sales Order": "agri_coop.overrides.sales_order.SalesOrder",
}
# The demo's steps, the one ordered list: `bench --site SITE agri-coop-demo` runs them in this
# order, each committed on its own (agri_coop.demo.runner). A hook, so that a later module (or
# another app) adds its step here.
agri_coop_demo_steps = [
	"agri_coop.demo.county.load_demo_organisation",
	"agri_coop.demo.members.load_demo_members",
	"agri_coop.demo.departments.load_demo_departments",
	"agri_coop.demo.masters.load_demo_purchasing_masters",
	"agri_coop.demo.credit.load_demo_credit_lines",
	"agri_coop.demo.campaigns.load_demo_campaigns",
	"agri_coop.demo.settlement.load_demo_settlement",
	"agri_coop.demo.traceability.load_demo_traceability",
	"agri_coop.demo.subsidies.load_demo_subsidies",
	"agri_coop.demo.credit.load_demo_credit",
	# last: reference prices for every campaign's items (agri_coop.demo.reports)
	"agri_coop.demo.reports.load_demo_reports",
]
# checks of the later modules' demo steps, run by verify_demo after its own (each returns a list of problems)
agri_coop_demo_checks = [
	"agri_coop.demo.traceability.check_demo_traceability",
	"agri_coop.demo.reports.check_demo_reports",
	"agri_coop.demo.subsidies.check_demo_subsidies",
	"agri_coop.demo.credit.check_demo_credit",
]
