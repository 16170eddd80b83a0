"""Whitelisted methods of the personal-data part of the security model.

- Frappe's write methods answer with the whole document (`doc.as_dict()`, frappe/client.py),
  without the permlevel filtering its reads apply; the overrides here answer with what the
  caller may read.
- `reveal_id_number`: the one way a full ID number leaves the server, for the roles that
  need it, each time written to the Personal Data Access Log.
"""

import frappe
from frappe import client
from frappe.utils import now_datetime

from agri_coop.constants.roles import COOP_ACCOUNTANT, COUNTY_SMC_MANAGER
from agri_coop.security.privacy import decrypt_id_number, strip_unreadable
from agri_coop.utils.messages import throw

REVEAL_ROLES = (COUNTY_SMC_MANAGER, COOP_ACCOUNTANT)


@frappe.whitelist(methods=["POST", "PUT"])
def set_value(doctype, name, fieldname, value=None):
	return strip_unreadable(client.set_value(doctype, name, fieldname, value))


@frappe.whitelist(methods=["POST", "PUT"])
def insert(doc=None):
	return strip_unreadable(client.insert(doc))


@frappe.whitelist(methods=["POST", "PUT"])
def save(doc):
	return strip_unreadable(client.save(doc))


@frappe.whitelist(methods=["POST", "PUT"])
def submit(doc):
	return strip_unreadable(client.submit(doc))


@frappe.whitelist(methods=["POST", "PUT"])
def cancel(doctype, name):
	return strip_unreadable(client.cancel(doctype, name))


@frappe.whitelist(methods=["POST"])
def reveal_id_number(member: str, reason: str) -> str:
	"""The member's full ID number, for the county manager and the accountant; logged."""
	if not set(REVEAL_ROLES) & set(frappe.get_roles()):
		throw(
			"Only the county SMC manager and the co-op accountant may see full ID numbers",
			exc=frappe.PermissionError,
		)
	reason = " ".join(str(reason or "").split())
	if len(reason) < 4:
		throw("Say why you need the full ID number (at least 4 characters)")
	doc = frappe.get_doc("Coop Member", member)
	doc.check_permission("read")
	frappe.get_doc(
		{
			"doctype": "Personal Data Access Log",
			"user": frappe.session.user,
			"member": doc.name,
			"cooperative": doc.cooperative,
			"data_revealed": "ID Number / Credit Code",
			"reason": reason[:500],
			"accessed_at": now_datetime(),
			"ip_address": getattr(frappe.local, "request_ip", None),
		}
		# the log is an audit record nobody may write by hand, so it is inserted past permissions
	).insert(ignore_permissions=True)
	return decrypt_id_number(doc.id_number_encrypted)
