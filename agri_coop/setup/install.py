import click
import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from agri_coop.constants.custom_fields import CUSTOM_FIELDS
from agri_coop.constants.roles import ROLE_PERMISSIONS, ROLES
from agri_coop.members.member_rules import ensure_member_customer_groups
from agri_coop.organisation.doctype.cooperative.cooperative import ensure_customer_group
from agri_coop.setup.currency import show_yuan_symbol
from agri_coop.subsidies.accounts import ensure_subsidy_dimension

SUPPORTED_MAJOR = 15


class UnsupportedVersionError(frappe.ValidationError):
	pass


def check_versions():
	"""agri_coop is written against Frappe and ERPNext version 15 and nothing else."""
	try:
		import erpnext

		erpnext_version = erpnext.__version__
	except ImportError:
		erpnext_version = None
	for app, version in (("Frappe", frappe.__version__), ("ERPNext", erpnext_version)):
		if not version or int(version.split(".")[0]) != SUPPORTED_MAJOR:
			message = (
				f"agri_coop 需要 {app} 第 {SUPPORTED_MAJOR} 版，本站点是 {version or '未安装'}。 / "
				f"agri_coop requires {app} version {SUPPORTED_MAJOR}; this bench has {version or 'none'}."
			)
			click.secho(message, fg="red")
			raise UnsupportedVersionError(message)


def before_install():
	check_versions()


def before_migrate():
	check_versions()
	show_yuan_symbol()


def after_install():
	sync_app_records()
	show_yuan_symbol()


def sync_app_records(args=None):
	"""Roles, custom fields and masters the app relies on; safe to run again.

	Also the setup wizard's completion hook, which passes the wizard's answers as `args`.
	"""
	make_roles()
	make_role_permissions()
	create_custom_fields(CUSTOM_FIELDS, ignore_validate=True)
	ensure_customer_group()
	ensure_member_customer_groups()
	ensure_subsidy_dimension()


def make_roles():
	for role in ROLES:
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
				ignore_permissions=True
			)


def make_role_permissions():
	"""The app roles' own DocPerms on ERPNext DocTypes (constants/roles.py ROLE_PERMISSIONS), as
	Custom DocPerms: exactly the rights listed, whatever an earlier version or a hand gave."""
	from frappe.permissions import rights, setup_custom_perms

	for (role, doctype), granted in ROLE_PERMISSIONS.items():
		if not frappe.db.exists("DocType", doctype):
			continue
		setup_custom_perms(doctype)  # keeps the standard rules: Custom DocPerms replace them
		name = frappe.db.get_value(
			"Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0, "if_owner": 0}
		)
		perm = frappe.get_doc("Custom DocPerm", name) if name else frappe.new_doc("Custom DocPerm")
		perm.update({"parent": doctype, "parenttype": "DocType", "parentfield": "permissions", "role": role})
		perm.update({right: int(right in granted) for right in rights})
		perm.save(ignore_permissions=True)
		frappe.clear_cache(doctype=doctype)


def before_uninstall():
	for doctype, fields in CUSTOM_FIELDS.items():
		for field in fields:
			name = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": field["fieldname"]})
			if name:
				frappe.delete_doc("Custom Field", name, ignore_permissions=True)
