import frappe
from frappe.model.document import Document
from frappe.utils import nowdate

from agri_coop.members.member_rules import (
	check_identity,
	check_land,
	check_mobile,
	check_name,
	ensure_member_customer_groups,
	masked,
	member_customer_values,
)
from agri_coop.organisation.doctype.cooperative.cooperative import VILLAGE, default_territory
from agri_coop.utils.messages import Msg, throw

# Allowed state changes: members are pre-registered by import, go online (Active), may be
# suspended and reinstated.
STATE_CHANGES = {
	"Pre-registered": {"Active", "Suspended"},
	"Active": {"Suspended"},
	"Suspended": {"Active"},
}


class InvalidMemberError(frappe.ValidationError):
	pass


class DuplicateMemberError(frappe.ValidationError):
	pass


class CoopMember(Document):
	def validate(self):
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

	def apply_id_number_entry(self):
		"""The number is typed into a plain field and kept in a field only privileged roles read."""
		if not self.id_number_entry:
			if self.is_new() and not self.id_number:
				throw("Field {0} is required", Msg("ID Number / Credit Code"), exc=InvalidMemberError)
			if self.has_value_changed("member_type") and self.id_number:
				self.id_number_entry = self.id_number  # re-check against the new member type
			else:
				return
		identity, reason = check_identity(self.member_type, self.id_number_entry)
		if reason:
			throw(
				"Field {0}: '{1}' is not valid: {2}",
				Msg("ID Number / Credit Code"),
				masked(self.id_number_entry.strip()),
				reason,
				exc=InvalidMemberError,
			)
		id_number, birth_date, gender = identity
		existing = frappe.db.get_value(
			"Coop Member",
			{"id_number": id_number, "name": ("!=", self.name)},
			["name", "cooperative"],
			as_dict=True,
		)
		if existing:
			throw(
				"Field {0}: {1} is already registered as member {2} of {3}",
				Msg("ID Number / Credit Code"),
				masked(id_number),
				existing.name,
				existing.cooperative,
				exc=DuplicateMemberError,
			)
		self.update(
			{
				"id_number": id_number,
				"birth_date": birth_date,
				"gender": gender,
				"id_number_masked": masked(id_number),
				"id_number_entry": None,
			}
		)

	def validate_village(self):
		village = frappe.db.get_value(
			"Cooperative", self.cooperative, ["cooperative_type", "town"], as_dict=True
		)
		if not village or village.cooperative_type != VILLAGE:
			throw(
				"Field {0}: {1} is not a village co-op",
				Msg("Village Cooperative"),
				self.cooperative,
				exc=InvalidMemberError,
			)
		self.town = village.town

	def validate_state_change(self):
		previous = None if self.is_new() else self.get_db_value("state")
		if previous and previous != self.state and self.state not in STATE_CHANGES.get(previous, ()):
			throw(
				"Field {0}: cannot change from {1} to {2}",
				Msg("Member State"),
				Msg(previous),
				Msg(self.state),
				exc=InvalidMemberError,
			)
		if self.state == "Active" and not self.registered_on:
			self.registered_on = nowdate()

	def on_update(self):
		self.sync_customer()

	def sync_customer(self):
		values = member_customer_values(self)
		if self.customer and frappe.db.exists("Customer", self.customer):
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
