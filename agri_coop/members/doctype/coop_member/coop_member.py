import frappe
from frappe.model.document import Document
from frappe.utils import nowdate

from agri_coop.members.member_rules import (
	check_identity,
	check_land,
	check_name,
	ensure_member_customer_groups,
	member_customer_values,
)
from agri_coop.organisation.doctype.cooperative.cooperative import default_territory
from agri_coop.security.boundary import allowed_cooperatives
from agri_coop.security.privacy import decrypt_id_number, encrypt_id_number, id_number_hash
from agri_coop.utils.lookups import village_town
from agri_coop.utils.messages import Msg, throw
from agri_coop.utils.mobile import check_mobile
from agri_coop.utils.resident_id import mask

# Allowed state changes: members are pre-registered by import, go online (Active), may be
# suspended and reinstated.
STATE_CHANGES = {
	"Pre-registered": {"Active", "Suspended"},
	"Active": {"Suspended"},
	"Suspended": {"Active"},
}
# Set by the server only: a value sent by a client for these is ignored (reset from the database).
SERVER_FIELDS = (
	"customer",
	"state",
	"registered_on",
	"town",
	"import_batch",
	"id_number_masked",
	"id_number_encrypted",
	"id_number_hash",
	"birth_date",
	"gender",
)


class InvalidMemberError(frappe.ValidationError):
	pass


class DuplicateMemberError(frappe.ValidationError):
	pass


class CoopMember(Document):
	def validate(self):
		self.keep_server_fields()
		self.apply_id_number_entry()
		self.validate_village()
		for fieldname, label, check in (
			("member_name", "Name (Person or Organisation)", check_name),
			("mobile", "Mobile", check_mobile),
			("land_area_mu", "Land (mu)", check_land),
		):
			value, reason = check(self.get(fieldname))
			if reason:
				throw(
					"Field {0}: '{1}' is not valid: {2}",
					Msg(label),
					self.get(fieldname) or "",
					reason,
					exc=InvalidMemberError,
				)
			self.set(fieldname, value)
		self.validate_state_change()

	def keep_server_fields(self):
		"""Whatever a client sends for a computed field is replaced by the server's value."""
		# state changes, or server code marking its save (agri_coop.utils.integrity.allow_server_fields)
		if self.flags.server_fields_set or self.flags.get("agri_coop_server_fields"):
			return
		if self.is_new():
			self.update(
				{"customer": None, "import_batch": None, "registered_on": None, "state": "Pre-registered"}
			)
			for fieldname in (
				"id_number_masked",
				"id_number_encrypted",
				"id_number_hash",
				"birth_date",
				"gender",
			):
				self.set(fieldname, None)
			return
		self.update(frappe.db.get_value(self.doctype, self.name, SERVER_FIELDS, as_dict=True) or {})

	def apply_id_number_entry(self):
		"""The number is typed into a plain field that is never stored; the row keeps it encrypted,
		a keyed hash of it and its mask. `id_number` sent by an API client counts as an entry."""
		entry = self.id_number_entry or self.__dict__.pop("id_number", None)
		if not entry:
			if self.is_new() and not self.id_number_hash:
				throw("Field {0} is required", Msg("ID Number / Credit Code"), exc=InvalidMemberError)
			if self.has_value_changed("member_type") and self.id_number_encrypted:
				entry = decrypt_id_number(self.id_number_encrypted)  # re-check against the new type
			else:
				return
		identity, reason = check_identity(self.member_type, entry)
		if reason:
			throw(
				"Field {0}: '{1}' is not valid: {2}",
				Msg("ID Number / Credit Code"),
				mask(str(entry).strip()),
				reason,
				exc=InvalidMemberError,
			)
		id_number, birth_date, gender = identity
		hashed = id_number_hash(id_number)
		existing = frappe.db.get_value(
			"Coop Member",
			{"id_number_hash": hashed, "name": ("!=", self.name)},
			["name", "cooperative"],
			as_dict=True,
		)
		if existing:
			duplicate_error(id_number, existing)
		self.update(
			{
				"id_number_encrypted": encrypt_id_number(id_number),
				"id_number_hash": hashed,
				"birth_date": birth_date,
				"gender": gender,
				"id_number_masked": mask(id_number),
				"id_number_entry": None,
			}
		)

	def validate_village(self):
		village, town = village_town(self.cooperative)
		if not village:
			throw(
				"Field {0}: {1} is not a village co-op",
				Msg("Village Cooperative"),
				self.cooperative,
				exc=InvalidMemberError,
			)
		self.town = town

	def validate_state_change(self):
		previous = None if self.is_new() else self.get_db_value("state")
		if previous and previous != self.state and self.state not in STATE_CHANGES.get(previous, ()):
			throw(
				"Field {0}: cannot change from {1} to {2}",
				Msg("Member State"),
				Msg(previous, context=self.doctype),
				Msg(self.state, context=self.doctype),
				exc=InvalidMemberError,
			)
		if self.state == "Active" and not self.registered_on:
			self.registered_on = nowdate()

	@frappe.whitelist()
	def change_state(self, state: str):
		"""Member State is the server's: it changes only here, along STATE_CHANGES."""
		self.check_permission("write")
		self.state = state
		self.validate_state_change()
		self.flags.server_fields_set = True
		self.save()
		return self.state

	def on_update(self):
		self.sync_customer()

	def on_change(self):
		# The reply of a REST write is this object: keep in it only what the caller may read.
		if not self.flags.ignore_permissions:
			self.apply_fieldlevel_read_permissions()

	def sync_customer(self):
		values = member_customer_values(self)
		# Only the member's own Customer follows the member (never one linked by hand).
		if self.customer and frappe.db.get_value("Customer", self.customer, "agri_coop_member") == self.name:
			customer = frappe.get_doc("Customer", self.customer)
			if all(customer.get(k) == v for k, v in values.items()):
				return
			customer.update(values)
			customer.flags.ignore_permissions = True
			customer.save()
			return
		ensure_member_customer_groups()
		customer = frappe.get_doc({"doctype": "Customer", "territory": default_territory(), **values})
		customer.flags.ignore_permissions = True
		customer.insert(set_name=self.name)
		self.db_set("customer", customer.name, update_modified=False)


def on_doctype_update():
	"""(cooperative, state, registered_on): the registration rate and its weekly trend count
	members per village and state without reading the table; it also serves every lookup
	by village. Every index is kept up by each of the import's 100,000 rows, so there is none
	that nothing reads: none of `cooperative` alone, and none on the masked number, which the
	link search and the list's filters look up with LIKE '%…%' (no index serves that; the
	full number is found by its unique hash)."""
	frappe.db.add_index("Coop Member", ["cooperative", "state", "registered_on"])


def duplicate_error(id_number: str, existing):
	"""Name the other member only when the caller may see it."""
	allowed = allowed_cooperatives()
	if allowed is None or existing.cooperative in allowed:
		throw(
			"Field {0}: {1} is already registered as member {2} of {3}",
			Msg("ID Number / Credit Code"),
			mask(id_number),
			existing.name,
			existing.cooperative,
			exc=DuplicateMemberError,
		)
	throw(
		"Field {0}: {1} is already registered in another co-op",
		Msg("ID Number / Credit Code"),
		mask(id_number),
		exc=DuplicateMemberError,
	)
