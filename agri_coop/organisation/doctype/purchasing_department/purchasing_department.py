"""The purchasing department (统购部) of a town federation or a village co-op.

Seed 000 §二(一)2: every town federation sets up a purchasing department and guides its
villages to set up theirs, with a head, posts and duties; once set up, the county SMC
certifies (挂牌) each as one of its 供销合作服务站. Here: set up -> established -> certified,
certifying creates (or links) the co-op's Service Station with its warehouse.
"""

import frappe
from frappe.model.document import Document
from frappe.utils import getdate, nowdate

from agri_coop.constants.roles import COUNTY_SMC_MANAGER, FEDERATION_USER, VILLAGE_PURCHASING_USER
from agri_coop.organisation.doctype.cooperative.cooperative import COUNTY, VILLAGE
from agri_coop.organisation.doctype.service_station.service_station import SMC_SERVICE_STATION
from agri_coop.utils.messages import Msg, throw
from agri_coop.utils.mobile import check_mobile as mobile_rule
from agri_coop.utils.transitions import StateMachine, in_transition

SET_UP, ESTABLISHED, CERTIFIED = "Set Up", "Established", "Certified"
# Fields only the transitions write.
TRANSITION_FIELDS = ("state", "established_on", "certified_on", "service_station")


class PurchasingDepartmentError(frappe.ValidationError):
	pass


class DuplicateDepartmentError(PurchasingDepartmentError):
	pass


class DepartmentTransitionError(PurchasingDepartmentError):
	pass


# Who records each step: the co-op itself (or its town) establishes, only the county certifies.
STEPS = StateMachine(
	"state",
	{
		(SET_UP, ESTABLISHED): {COUNTY_SMC_MANAGER, FEDERATION_USER, VILLAGE_PURCHASING_USER},
		(ESTABLISHED, CERTIFIED): {COUNTY_SMC_MANAGER},
	},
	DepartmentTransitionError,
)


class PurchasingDepartment(Document):
	def autoname(self):
		# The co-op's name is unique, a town's or village's short name need not be.
		if self.cooperative:
			self.name = f"{self.cooperative}统购部"

	def validate(self):
		self.validate_state_unchanged()
		self.validate_cooperative()
		self.validate_contacts()

	def validate_cooperative(self):
		if not self.cooperative:
			return  # the mandatory check names the field
		coop = frappe.db.get_value(
			"Cooperative", self.cooperative, ["cooperative_type", "region_name"], as_dict=True
		)
		if not coop:
			return  # the link check names the field
		if coop.cooperative_type == COUNTY:
			throw(
				"Field {0}: {1} is the county SMC; purchasing departments belong to town federations and village co-ops",
				Msg("Cooperative"),
				self.cooperative,
				exc=PurchasingDepartmentError,
			)
		filters = {"cooperative": self.cooperative}
		if not self.is_new():
			filters["name"] = ("!=", self.name)
		other = frappe.db.get_value("Purchasing Department", filters, "name")
		if other:
			throw(
				"Field {0}: {1} already has a purchasing department ({2}); each town federation and village co-op has one",
				Msg("Cooperative"),
				self.cooperative,
				other,
				exc=DuplicateDepartmentError,
			)
		self.department_name = (self.department_name or "").strip() or (
			f"{coop.region_name or self.cooperative}统购部"
		)

	def validate_contacts(self):
		self.head_mobile = check_mobile(self.head_mobile, "Head's Mobile No")
		seen_users = {}
		for row in self.staff:
			row.mobile = check_mobile(row.mobile, "Mobile No", row.idx)
			if not row.user:
				continue
			if row.user in seen_users:
				throw(
					"Row {0}: {1} is already listed in row {2}",
					row.idx,
					row.user,
					seen_users[row.user],
					exc=PurchasingDepartmentError,
				)
			seen_users[row.user] = row.idx
			if not row.staff_name:
				row.staff_name = frappe.db.get_value("User", row.user, "full_name")

	def validate_state_unchanged(self):
		if in_transition(self):
			return
		if self.is_new():
			self.update(
				{"state": SET_UP, "established_on": None, "certified_on": None, "service_station": None}
			)
			return
		for fieldname in TRANSITION_FIELDS:
			if str(self.get_db_value(fieldname) or "") != str(self.get(fieldname) or ""):
				throw(
					"Field {0} changes only through the department's actions (establish, certify)",
					Msg(self.meta.get_label(fieldname)),
					exc=DepartmentTransitionError,
				)

	# -- set up -> established -> certified (挂牌) as a service station of the county SMC

	@frappe.whitelist()
	def establish(self, established_on=None):
		"""Record that the department is established: head, posts and duties are in place."""
		self._check_transition(ESTABLISHED)
		self._apply_transition(ESTABLISHED, established_on=getdate(established_on or nowdate()))

	@frappe.whitelist()
	def certify(self, certified_on=None):
		"""The county SMC certifies the department as its 供销合作服务站 (creates or links the station)."""
		self._check_transition(CERTIFIED)
		certified_on = getdate(certified_on or nowdate())
		if self.established_on and certified_on < getdate(self.established_on):
			throw(
				"Field {0}: {1} is before the department was established ({2})",
				Msg("Certified On"),
				certified_on,
				getdate(self.established_on),
				exc=DepartmentTransitionError,
			)
		self._apply_transition(CERTIFIED, certified_on=certified_on)

	def _check_transition(self, target_state):
		STEPS.check(self, target_state)

	def _apply_transition(self, target_state, **values):
		STEPS.apply(
			self,
			target_state,
			restore_fields=TRANSITION_FIELDS,
			before_save=link_service_station if target_state == CERTIFIED else None,
			**values,
		)

	def ensure_service_station(self) -> str:
		"""The co-op's SMC service station: the existing one, or a new one with its warehouse."""
		existing = frappe.db.get_value(
			"Service Station",
			{"cooperative": self.cooperative, "station_type": SMC_SERVICE_STATION},
			"name",
			order_by="disabled asc, creation asc",
		)
		if existing:
			if not frappe.db.get_value("Service Station", existing, "certified_on"):
				station = frappe.get_doc("Service Station", existing)
				station.certified_on = self.certified_on
				station.flags.ignore_permissions = True
				station.save()
			return existing
		station = frappe.get_doc(
			{
				"doctype": "Service Station",
				"station_name": station_name_for(self.cooperative),
				"station_type": SMC_SERVICE_STATION,
				"cooperative": self.cooperative,
				"certified_on": self.certified_on,
				"services": "农资统购",
			}
		)
		station.insert(ignore_permissions=True)
		return station.name


def link_service_station(department):
	department.service_station = department.ensure_service_station()


def station_name_for(cooperative: str) -> str:
	"""`{town or village}供销合作服务站`; with the town in front (or the full co-op name) when
	another co-op's station already has that name."""
	coop = frappe.db.get_value(
		"Cooperative", cooperative, ["region_name", "cooperative_type", "town"], as_dict=True
	)
	region = coop.region_name or cooperative
	candidates = [f"{region}供销合作服务站"]
	if coop.cooperative_type == VILLAGE and coop.town:
		town_region = frappe.db.get_value("Cooperative", coop.town, "region_name") or ""
		candidates.append(f"{town_region}{region}供销合作服务站")
	candidates.append(f"{cooperative}供销合作服务站")
	for name in candidates:
		if not frappe.db.exists("Service Station", name):
			return name
	return f"{cooperative}供销合作服务站-{frappe.generate_hash(length=5)}"


def check_mobile(value, label, row=None):
	"""An 11-digit mainland mobile number (the members' rule), or nothing."""
	if not (value or "").strip():
		return None
	mobile, reason = mobile_rule(value)
	if reason:
		if row:
			throw(
				"Row {0}: field {1}: '{2}' is not an 11-digit mobile number",
				row,
				Msg(label),
				value,
				exc=PurchasingDepartmentError,
			)
		throw(
			"Field {0}: '{1}' is not an 11-digit mobile number",
			Msg(label),
			value,
			exc=PurchasingDepartmentError,
		)
	return mobile
