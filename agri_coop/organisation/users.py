"""Desk users tied to one town or village of the Cooperative tree."""

import frappe
from frappe.utils import validate_email_address

from agri_coop.constants.roles import COUNTY_SMC_MANAGER, ERPNEXT_ROLES, FORMER_ERPNEXT_ROLES, SCOPED_ROLES
from agri_coop.utils.messages import Msg, throw


class ScopedUserError(frappe.ValidationError):
	pass


# Roles every desk user has whatever they do (Frappe gives them automatically).
AUTOMATIC_ROLES = {"All", "Guest", "Desk User"}


def scoped_user_roles(former: bool = False) -> set[str]:
	"""The roles a scoped user may hold: the scoped roles and what they carry (`former`: as
	earlier versions gave them too)."""
	carried = dict(FORMER_ERPNEXT_ROLES) if former else {}
	return {
		*SCOPED_ROLES.values(),
		*(
			r
			for role in SCOPED_ROLES.values()
			for r in (*ERPNEXT_ROLES.get(role, ()), *carried.get(role, ()))
		),
	}


@frappe.whitelist()
def create_scoped_user(email, first_name, cooperative, role=None, password=None, send_welcome_email=0):
	"""Create a desk user who sees only `cooperative` and what lies under it, or move an
	existing town / village user to another scope.

	The role is Federation User for a town and Village Purchasing User for a village; no
	other role is given here. An existing user is changed only when they are a town or
	village user and nothing else (never a county role, an accountant, a System Manager or
	Administrator), and their password is never set here (`password` is ignored for them):
	that is the user's own (or a System Manager's) business.
	"""
	# Who may ask, then what is asked: both before the account is looked up.
	check_may_create_scoped_users()
	role = scoped_role(email, cooperative, role)
	existing = frappe.db.get_value("User", {"name": email}, "name") or frappe.db.get_value(
		"User", {"email": email}, "name"
	)
	if existing:
		user = rescope_user(existing, first_name, role)
	else:
		user = new_scoped_user(email, first_name, password, send_welcome_email)
	user.add_roles(role, *ERPNEXT_ROLES.get(role, ()))
	set_only_scope(user.name, cooperative)
	return user.name


# The steps below are not whitelisted: over HTTP they are reached only through
# create_scoped_user, after its checks.


def check_may_create_scoped_users():
	if not ({COUNTY_SMC_MANAGER, "System Manager"} & set(frappe.get_roles())):
		throw("Only the County SMC Manager creates town and village users", exc=frappe.PermissionError)


def scoped_role(email, cooperative, role) -> str:
	"""The one role a user of `cooperative` gets, after checking the email, the co-op and
	any `role` asked for."""
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
	expected = SCOPED_ROLES[cooperative_type]
	if role and role != expected:
		throw(
			"Field {0}: a user of a {1} gets the role {2} only, not {3}",
			Msg("Role"),
			Msg(cooperative_type),
			Msg(expected),
			role,
			exc=frappe.PermissionError,
		)
	return expected


def rescope_user(existing: str, first_name, role: str):
	"""An existing town / village user, renamed and left with `role`'s scoped roles only;
	any other account is refused before it is changed."""
	user = frappe.get_doc("User", existing)
	held = {r.role for r in user.roles}
	if (
		existing in ("Administrator", "Guest")
		or held - AUTOMATIC_ROLES - scoped_user_roles(former=True)
		or not (held & set(SCOPED_ROLES.values()))
	):
		throw(
			"User {0} is not a town or village user: only a System Manager may change this account",
			existing,
			exc=frappe.PermissionError,
		)
	# `password` is for a new account only: an existing one's stays theirs
	user.first_name = first_name
	user.flags.ignore_permissions = True
	user.save()
	# a user moved from a village to a town (or back) keeps one scoped role
	others = [r for r in held & scoped_user_roles(former=True) if r != role]
	others = [r for r in others if r not in ERPNEXT_ROLES.get(role, ())]
	if others:
		user.remove_roles(*others)
	return user


def new_scoped_user(email, first_name, password, send_welcome_email):
	user = frappe.new_doc("User")
	user.update(
		{
			"email": email,
			"first_name": first_name,
			"user_type": "System User",
			"send_welcome_email": int(send_welcome_email),
			"language": frappe.db.get_default("lang"),
		}
	)
	if password:
		user.new_password = password
	user.flags.ignore_permissions = True
	user.insert()
	return user


def set_only_scope(user: str, cooperative: str):
	"""One scope per user: replace any earlier one."""
	for name in frappe.get_all(
		"User Permission",
		{"user": user, "allow": "Cooperative", "for_value": ("!=", cooperative)},
		pluck="name",
	):
		frappe.delete_doc("User Permission", name, ignore_permissions=True)
	if not frappe.db.exists(
		"User Permission", {"user": user, "allow": "Cooperative", "for_value": cooperative}
	):
		frappe.get_doc(
			{
				"doctype": "User Permission",
				"user": user,
				"allow": "Cooperative",
				"for_value": cooperative,
				"apply_to_all_doctypes": 1,
				"is_default": 1,
			}
		).insert(ignore_permissions=True)
