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

# --- Security: scope boundary and personal data (README "Security model") -------------
# Town / village scope for every app DocType and child table, built from one table.
permission_query_conditions = {}
has_permission = {}

# Generic whitelisted methods that Frappe leaves open to scoped users, closed here.
override_whitelisted_methods = {
	# scope boundary (agri_coop/security/boundary*.py)
	# personal data (agri_coop/security/privacy*.py): write replies carry only readable fields
	"frappe.client.set_value": "agri_coop.security.privacy_api.set_value",
	"frappe.client.insert": "agri_coop.security.privacy_api.insert",
	"frappe.client.save": "agri_coop.security.privacy_api.save",
	"frappe.client.submit": "agri_coop.security.privacy_api.submit",
	"frappe.client.cancel": "agri_coop.security.privacy_api.cancel",
}
# personal data: no filter / sort / group-by / field list naming a field the caller cannot read
auth_hooks = [*globals().get("auth_hooks", []), "agri_coop.security.privacy.refuse_hidden_field_queries"]
# ---------------------------------------------------------------------------------------


doc_events = {
	# Version history keeps no personal data (agri_coop.security.privacy).
	"Version": {
		"before_insert": "agri_coop.security.privacy.scrub_version",
	},
	"Purchase Order": {
		"validate": "agri_coop.overrides.purchase_order.validate_purchase_order",
		"before_submit": "agri_coop.overrides.settlement_freeze.refuse_submit_when_settled",
		"before_cancel": "agri_coop.overrides.settlement_freeze.refuse_cancel_when_settled",
	},
	"Purchase Receipt": {
		"on_submit": "agri_coop.overrides.campaign_documents.follow_campaign_state",
		"on_cancel": "agri_coop.overrides.campaign_documents.follow_campaign_state",
		"before_submit": "agri_coop.overrides.settlement_freeze.refuse_submit_when_settled",
		"before_cancel": "agri_coop.overrides.settlement_freeze.refuse_cancel_when_settled",
	},
	"Delivery Note": {
		"on_submit": "agri_coop.overrides.campaign_documents.follow_campaign_state",
		"on_cancel": "agri_coop.overrides.campaign_documents.follow_campaign_state",
		"before_submit": "agri_coop.overrides.settlement_freeze.refuse_submit_when_settled",
		"before_cancel": "agri_coop.overrides.settlement_freeze.refuse_cancel_when_settled",
	},
	# A settled campaign is frozen (agri_coop.overrides.settlement_freeze).
	"Campaign Order": {
		"before_cancel": "agri_coop.overrides.settlement_freeze.refuse_cancel_when_settled",
	},
	**{
		doctype: {
			"before_submit": "agri_coop.overrides.settlement_freeze.refuse_submit_when_settled",
			"before_cancel": "agri_coop.overrides.settlement_freeze.refuse_cancel_when_settled",
		}
		for doctype in ("Sales Order", "Sales Invoice", "Purchase Invoice", "Landed Cost Voucher")
	},
	"Journal Entry": {
		"before_submit": "agri_coop.overrides.settlement_freeze.refuse_submit_when_settled",
		"before_cancel": "agri_coop.overrides.settlement_freeze.refuse_cancel_when_settled",
		"on_submit": "agri_coop.overrides.settlement_payments.update_settlement_payments",
		"on_cancel": "agri_coop.overrides.settlement_payments.update_settlement_payments",
	},
	# Paid / still due on a settlement follow the payments against its Journal Entry.
	"Payment Entry": {
		"on_submit": "agri_coop.overrides.settlement_payments.update_settlement_payments",
		"on_cancel": "agri_coop.overrides.settlement_payments.update_settlement_payments",
	},
}

# A campaign's ERPNext documents are made, submitted and cancelled by the app's flows and the
# roles owning each step only (agri_coop.overrides.campaign_guard).
for _doctype in (
	"Sales Order", "Purchase Order", "Purchase Receipt", "Delivery Note", "Sales Invoice",
	"Purchase Invoice", "Journal Entry", "Payment Entry", "Landed Cost Voucher",
):  # fmt: skip
	_events = doc_events.setdefault(_doctype, {})
	_events["before_validate"] = "agri_coop.overrides.campaign_guard.guard_campaign_document"
	_events["before_cancel"] = [
		*([_events["before_cancel"]] if "before_cancel" in _events else []),
		"agri_coop.overrides.campaign_guard.guard_campaign_cancel",
	]
	# a co-op's selling documents: read-only for its town and village users, nobody else's
	if _doctype in ("Sales Order", "Delivery Note", "Sales Invoice"):
		has_permission[_doctype] = "agri_coop.overrides.selling_scope.has_permission"
for _doctype in (
	"Sales Order", "Delivery Note", "Sales Invoice", "Sales Order Item", "Delivery Note Item",
	"Sales Invoice Item", "Sales Taxes and Charges", "Payment Schedule", "Packed Item",
	"Pricing Rule Detail", "Sales Team", "Sales Invoice Advance", "Sales Invoice Payment",
	"Sales Invoice Timesheet",
):  # fmt: skip
	permission_query_conditions[_doctype] = "agri_coop.overrides.selling_scope.query_conditions"

scheduler_events = {
	"daily": ["agri_coop.purchasing.doctype.demand_survey.demand_survey.update_overdue_flags"],
}

setup_wizard_complete = "agri_coop.setup.install.sync_app_records"
# Demo loaders run in order by `bench --site SITE agri-coop-demo` (agri_coop.setup.demo).
agri_coop_demo_steps = [
	"agri_coop.members.demo.load_demo_members",
	"agri_coop.organisation.demo.load_demo_departments",
	"agri_coop.purchasing.demo_masters.load_demo_purchasing_masters",
	"agri_coop.purchasing.demo_campaigns.load_demo_campaigns",
	"agri_coop.settlement.demo.load_demo_settlement",
]
