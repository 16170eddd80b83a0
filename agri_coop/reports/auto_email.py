"""Auto Email Report (ERPNext's weekly e-mail of a report) for the app's reports.

Frappe's scheduler runs an e-mailed report as the scheduler's user, not as the report's
`user`, so the scope of a town or village user would not hold: the e-mail would carry the
county's figures. An Auto Email Report of an app report is therefore only for users who see
the county (the leadership office, the county SMC), and only for users the report is for.
"""

import frappe
from frappe.email.doctype.auto_email_report.auto_email_report import AutoEmailReport

from agri_coop.security.boundary import allowed_cooperatives
from agri_coop.utils.messages import throw


class AutoEmailScopeError(frappe.ValidationError):
	pass


def is_app_report(report: str) -> bool:
	module = frappe.db.get_value("Report", report, "module")
	return bool(module) and frappe.db.get_value("Module Def", module, "app_name") == "agri_coop"


def validate(doc, method=None):
	if not doc.report or not is_app_report(doc.report):
		return
	if allowed_cooperatives(doc.user) is not None:
		throw(
			"An e-mailed report shows the whole county: {0} sees only their own co-op, so {1} cannot be e-mailed for them",
			doc.user,
			doc.report,
			exc=AutoEmailScopeError,
		)
	report_roles = set(
		frappe.get_all("Has Role", {"parent": doc.report, "parenttype": "Report"}, pluck="role")
	)
	if report_roles and not report_roles & set(frappe.get_roles(doc.user)):
		throw("{0} may not read the report {1}", doc.user, doc.report, exc=AutoEmailScopeError)


class UserAutoEmailReport(AutoEmailReport):
	"""ERPNext's Auto Email Report, run as its `user`: the scheduler runs it as Administrator,
	who reads every permission level, so a report that hides what its reader may not see (a
	masking bank's amounts, members' mobiles) would e-mail it (override_doctype_class)."""

	def get_report_content(self):
		previous = frappe.session.user
		frappe.set_user(self.user or previous)
		try:
			return super().get_report_content()
		finally:
			frappe.set_user(previous)
