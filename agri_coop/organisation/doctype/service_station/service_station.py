"""A service station (服务站) of the county SMC and the ERPNext Warehouse its stock lives in.

Seed 000 §二(一)2: once a town's or village's purchasing department is set up, the county
SMC certifies (挂牌) it as one of its 供销合作服务站; seeds 003/004 add farm service centres,
e-commerce and logistics points. Every station gets a warehouse of the county company,
under the group warehouse 服务站, so receipts into a station are ordinary stock entries.
"""

import frappe
from frappe.model.document import Document

from agri_coop.utils.lookups import county_company
from agri_coop.utils.messages import Msg, throw

SMC_SERVICE_STATION = "SMC Service Station"
STATION_WAREHOUSE_GROUP = "服务站"


class ServiceStationError(frappe.ValidationError):
	pass


class ServiceStation(Document):
	def validate(self):
		self.station_name = (self.station_name or "").strip()
		self.validate_warehouse()

	def validate_warehouse(self):
		"""The warehouse is the app's: made on insert, never typed in or swapped afterwards."""
		if not self.is_new():
			if (self.get_db_value("warehouse") or None) != (self.warehouse or None):
				throw(
					"Field {0} is set by the app and cannot be changed",
					Msg("Warehouse"),
					exc=ServiceStationError,
				)
			return
		if self.warehouse:
			check_station_warehouse(self.warehouse, self.name)

	def after_insert(self):
		if not self.warehouse:
			self.db_set(
				"warehouse", ensure_station_warehouse(self.station_name, self.name), update_modified=False
			)
		self.sync_warehouse()

	def on_update(self):
		self.sync_warehouse()

	def sync_warehouse(self):
		"""A disabled station's warehouse is disabled; enabling the station enables it again."""
		if not self.warehouse or not frappe.db.exists("Warehouse", self.warehouse):
			return
		warehouse = frappe.get_doc("Warehouse", self.warehouse)
		if warehouse.disabled == self.disabled:
			return
		warehouse.disabled = self.disabled
		warehouse.flags.ignore_permissions = True
		warehouse.save()

	def after_rename(self, old, new, merge=False):
		"""Keep the warehouse's name in step with the station's (when it has no stock history)."""
		warehouse = frappe.db.get_value("Service Station", new, "warehouse")
		if not warehouse or not frappe.db.exists("Warehouse", warehouse):
			return
		company = frappe.db.get_value("Warehouse", warehouse, "company")
		target = warehouse_docname(new, company)
		if (
			target != warehouse
			and not frappe.db.exists("Warehouse", target)
			and not frappe.db.exists("Stock Ledger Entry", {"warehouse": warehouse})
		):
			frappe.rename_doc("Warehouse", warehouse, target, force=True, show_alert=False)
			warehouse = target
		frappe.db.set_value("Warehouse", warehouse, "warehouse_name", new)

	def on_trash(self):
		"""An unused warehouse goes with the station; one with stock history is kept, disabled."""
		warehouse = self.warehouse
		if not warehouse or not frappe.db.exists("Warehouse", warehouse):
			return
		frappe.db.set_value("Service Station", self.name, "warehouse", None, update_modified=False)
		frappe.db.savepoint("service_station_warehouse")
		try:
			frappe.delete_doc("Warehouse", warehouse, ignore_permissions=True)
		except frappe.ValidationError:
			frappe.db.rollback(save_point="service_station_warehouse")
			frappe.db.set_value("Warehouse", warehouse, "disabled", 1)


def station_company() -> str:
	"""The county SMC's company, which every station's warehouse belongs to."""
	company = county_company()
	if not company:
		throw(
			"The county SMC has no {0}: set it on the county SMC before creating service stations",
			Msg("Company"),
			exc=ServiceStationError,
		)
	return company


def warehouse_docname(warehouse_name: str, company: str) -> str:
	return f"{warehouse_name} - {frappe.get_cached_value('Company', company, 'abbr')}"


def ensure_station_warehouse_group(company: str) -> str:
	"""The group warehouse 服务站 under the company's root warehouse, made once."""
	name = warehouse_docname(STATION_WAREHOUSE_GROUP, company)
	if frappe.db.exists("Warehouse", name):
		return name
	root = frappe.db.get_value(
		"Warehouse",
		{"company": company, "is_group": 1, "parent_warehouse": ("is", "not set")},
		"name",
		order_by="lft asc",
	)
	group = frappe.get_doc(
		{
			"doctype": "Warehouse",
			"warehouse_name": STATION_WAREHOUSE_GROUP,
			"company": company,
			"is_group": 1,
			"parent_warehouse": root,
		}
	)
	group.insert(ignore_permissions=True)
	return group.name


def ensure_station_warehouse(station_name: str, station: str | None = None) -> str:
	"""The station's warehouse under 服务站; an existing unused one of that name is reused."""
	company = station_company()
	name = warehouse_docname(station_name, company)
	if frappe.db.exists("Warehouse", name):
		check_station_warehouse(name, station)
		return name
	warehouse = frappe.get_doc(
		{
			"doctype": "Warehouse",
			"warehouse_name": station_name,
			"company": company,
			"is_group": 0,
			"parent_warehouse": ensure_station_warehouse_group(company),
		}
	)
	warehouse.insert(ignore_permissions=True)
	return warehouse.name


def check_station_warehouse(warehouse: str, station: str | None = None):
	"""A station's warehouse holds stock (not a group), belongs to the county company and to no
	other station."""
	values = frappe.db.get_value("Warehouse", warehouse, ["is_group", "company"], as_dict=True)
	if not values:
		return  # the link check reports a missing warehouse
	if values.is_group or values.company != station_company():
		throw(
			"Field {0}: {1} is not a stock warehouse of the county SMC's company",
			Msg("Warehouse"),
			warehouse,
			exc=ServiceStationError,
		)
	other = frappe.db.get_value(
		"Service Station", {"warehouse": warehouse, "name": ("!=", station or "")}, "name"
	)
	if other:
		throw(
			"Field {0}: {1} already belongs to the service station {2}",
			Msg("Warehouse"),
			warehouse,
			other,
			exc=ServiceStationError,
		)
