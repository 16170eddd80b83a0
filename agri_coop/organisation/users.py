"""Desk users tied to one town or village of the Cooperative tree."""

import frappe
from frappe.utils import validate_email_address

from agri_coop.constants.roles import COUNTY_SMC_MANAGER, ERPNEXT_ROLES, SCOPED_ROLES
from agri_coop.utils.messages import Msg, throw


class ScopedUserError(frappe.ValidationError):
	pass


@frappe.whitelist()
def create_scoped_user(email, first_name, cooperative, role=None, password=None, send_welcome_email=0):
	"""Create (or update) a desk user who sees only `cooperative` and what lies under it.

	The role defaults to Federation User for a town and Village Purchasing User for a village.
	"""
	if not ({COUNTY_SMC_MANAGER, "System Manager"} & set(frappe.get_roles())):
		throw("Only the County SMC Manager creates town and village users", exc=frappe.PermissionError)
	if not validate_email_address(email):
		throw("Field {0}: '{1}' is not a valid email address", Msg("Email"), email, exc=ScopedUserError)
	cooperative_type = frappe.db.get_value("Cooperative", cooperative, "cooperative_type")
	if cooperative_type not in SCOPED_ROLES:
		throw(
			"Field {0}: {1} is not a town federation or village co-op",
			Msg("Cooperative"),
			cooperative,
			exc=ScopedUserError,
		)
	role = role or SCOPED_ROLES[cooperative_type]

	user = frappe.get_doc("User", email) if frappe.db.exists("User", email) else frappe.new_doc("User")
	if user.is_new():
		user.update(
			{
				"email": email,
				"first_name": first_name,
				"user_type": "System User",
				"send_welcome_email": int(send_welcome_email),
				"language": frappe.db.get_default("lang"),
			}
		)
	user.first_name = first_name
	user.flags.ignore_permissions = True
	if password:
		user.new_password = password
	user.save() if not user.is_new() else user.insert()
	user.add_roles(role, *ERPNEXT_ROLES.get(role, ()))

	# One scope per user: replace any earlier one.
	for name in frappe.get_all(
		"User Permission",
		{"user": email, "allow": "Cooperative", "for_value": ("!=", cooperative)},
		pluck="name",
	):
		frappe.delete_doc("User Permission", name, ignore_permissions=True)
	if not frappe.db.exists(
		"User Permission", {"user": email, "allow": "Cooperative", "for_value": cooperative}
	):
		frappe.get_doc(
			{
				"doctype": "User Permission",
				"user": email,
				"allow": "Cooperative",
				"for_value": cooperative,
				"apply_to_all_doctypes": 1,
				"is_default": 1,
			}
		).insert(ignore_permissions=True)
	return user.name
