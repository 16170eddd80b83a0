"""The county SMC's ERPNext company: the setup wizard, run in code when not yet done."""

import frappe
from frappe.utils import getdate, nowdate

COUNTY_COMPANY = "达拉特旗供销合作社"
COUNTY_COMPANY_ABBR = "DLTGX"


def ensure_company(company_name: str = COUNTY_COMPANY, abbr: str = COUNTY_COMPANY_ABBR) -> str:
	"""Complete ERPNext's setup wizard for a Chinese county SMC if the site has no company."""
	if frappe.db.exists("Company", company_name):
		return company_name
	if not frappe.is_setup_complete():
		from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

		year = getdate(nowdate()).year
		setup_complete(
			{
				"currency": "CNY",
				"full_name": "Administrator",
				"company_name": company_name,
				"timezone": "Asia/Shanghai",
				"company_abbr": abbr,
				"country": "China",
				"fy_start_date": f"{year}-01-01",
				"fy_end_date": f"{year}-12-31",
				"language": "English",
				"company_tagline": "数字化农资统购",
				"email": "admin@agri-coop.invalid",
				"password": "admin",
				"chart_of_accounts": "Standard",
			}
		)
	if not frappe.db.exists("Company", company_name):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": company_name,
				"abbr": abbr,
				"default_currency": "CNY",
				"country": "China",
				"chart_of_accounts": "Standard",
			}
		).insert(ignore_permissions=True)
	return company_name
