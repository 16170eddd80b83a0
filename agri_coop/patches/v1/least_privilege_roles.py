"""Users of the app roles lose the ERPNext roles earlier versions gave them and their job
does not need (constants/roles.py FORMER_ERPNEXT_ROLES): town and village users Sales
User, the leadership office Report Manager, the credit officer Accounts User. A role the
user still needs through another of their app roles (ERPNEXT_ROLES) is kept."""

import frappe

from agri_coop.constants.roles import ERPNEXT_ROLES, FORMER_ERPNEXT_ROLES, ROLES


def execute():
	Role = frappe.qb.DocType("Has Role")
	rows = (
		frappe.qb.from_(Role)
		.select(Role.parent, Role.role)
		.where((Role.parenttype == "User") & Role.role.isin(list(ROLES)))
		.run()
	)
	app_roles = {}
	for user, role in rows:
		app_roles.setdefault(user, set()).add(role)
	for user, roles in sorted(app_roles.items()):
		if user in ("Administrator", "Guest"):
			continue
		needed = {r for role in roles for r in ERPNEXT_ROLES.get(role, ())}
		former = {r for role in roles for r in FORMER_ERPNEXT_ROLES.get(role, ())}
		extra = former - needed
		if extra and "System Manager" not in frappe.get_roles(user):
			frappe.get_doc("User", user).remove_roles(*sorted(extra))
