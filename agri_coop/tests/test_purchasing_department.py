"""Purchasing departments (统购部): one per town federation and village co-op, set up ->
established -> certified (挂牌) by the county SMC as its Service Station (供销合作服务站),
whose ERPNext warehouse sits under the county company's 服务站 group (seed 000 §二(一)2)."""

import frappe
import pytest

from agri_coop.demo import builders
from agri_coop.demo.builders import create_cooperative, create_station
from agri_coop.demo.county import COUNTY_SMC, TOWNS, VILLAGES, town_name, village_name
from agri_coop.demo.departments import ECOMMERCE_POINTS, load_demo_departments
from agri_coop.organisation.doctype.purchasing_department.purchasing_department import (
	DepartmentTransitionError,
	DuplicateDepartmentError,
	PurchasingDepartmentError,
)
from agri_coop.organisation.doctype.service_station.service_station import (
	SMC_SERVICE_STATION,
	STATION_WAREHOUSE_GROUP,
	ServiceStationError,
)
from agri_coop.tests.utils import (
	SHULINZHAO,
	SMC_USER,
	TOWN_USER,
	VILLAGE_USER,
	XINMINBAO,
	ZHAOJUN,
	ZHAOJUN_VILLAGE,
	as_user,
)
from agri_coop.utils.lookups import county_company

TEST_TOWN = "测试镇股份经济合作联合社"
TEST_VILLAGE = "树林召镇测试村股份经济合作社"


def create_department(cooperative: str = XINMINBAO, **values):
	"""Idempotent: the co-op's department, made when it has none (rolled back after the test)."""
	head = values.pop("head", "测试负责人")
	head_mobile = values.pop("head_mobile", "13900000001")
	staff = values.pop("staff", [{"staff_name": "测试专员", "post": "统购专员"}])
	return builders.create_department(cooperative, head, head_mobile, staff, **values)


@pytest.fixture
def new_town():
	return create_cooperative(TEST_TOWN, "Town Federation", COUNTY_SMC, batch="Second", region_name="测试镇")


@pytest.fixture
def new_village():
	village = create_cooperative(TEST_VILLAGE, "Village Cooperative", SHULINZHAO, region_name="测试村")
	frappe.clear_cache(user=TOWN_USER)  # the town user's scope now includes the new village
	return village


def abbr() -> str:
	return frappe.get_cached_value("Company", county_company(), "abbr")


# -- one department per co-op


def test_second_department_for_a_coop_is_refused():
	first = create_department(XINMINBAO)
	second = frappe.get_doc({"doctype": "Purchasing Department", "cooperative": XINMINBAO, "head": "另一人"})
	with pytest.raises(DuplicateDepartmentError) as refused:
		second.insert()
	message = str(refused.value)
	assert "already has a purchasing department" in message and "已有统购部" in message
	assert "Cooperative" in message and XINMINBAO in message and first.name in message
	assert frappe.db.count("Purchasing Department", {"cooperative": XINMINBAO}) == 1


def test_county_smc_has_no_department():
	with pytest.raises(PurchasingDepartmentError, match="county SMC"):
		frappe.get_doc({"doctype": "Purchasing Department", "cooperative": COUNTY_SMC}).insert()


def test_name_and_department_name_follow_the_coop(new_town):
	department = create_department(new_town.name)
	assert department.name == f"{TEST_TOWN}统购部"
	assert department.department_name == "测试镇统购部"
	assert (department.state, department.cooperative_type, department.town) == (
		"Set Up",
		"Town Federation",
		new_town.name,
	)


def test_cooperative_cannot_be_moved(new_town):
	department = create_department(new_town.name)
	other = create_cooperative("测试二镇股份经济合作联合社", "Town Federation", COUNTY_SMC, batch="Second")
	department.cooperative = other.name  # a co-op without a department
	with pytest.raises(frappe.CannotChangeConstantError):
		department.save()


def test_mobile_numbers_are_checked(new_town):
	with pytest.raises(PurchasingDepartmentError, match="Head's Mobile No"):
		create_department(new_town.name, head_mobile="12345")
	with pytest.raises(PurchasingDepartmentError, match="Row 1"):
		create_department(new_town.name, staff=[{"staff_name": "甲", "mobile": "1390000"}])
	department = create_department(new_town.name, head_mobile="139 0000 0002")
	assert department.head_mobile == "13900000002"


# -- set up -> established -> certified


def test_establish_then_certify_creates_station_with_warehouse(new_town):
	department = create_department(new_town.name)
	with as_user(SMC_USER):
		department = frappe.get_doc("Purchasing Department", department.name)
		department.establish(established_on="2023-09-05")
		assert department.state == "Established"
		department.certify(certified_on="2023-09-08")
	department.reload()
	assert (department.state, str(department.established_on), str(department.certified_on)) == (
		"Certified",
		"2023-09-05",
		"2023-09-08",
	)

	station = frappe.get_doc("Service Station", department.service_station)
	assert station.name == "测试镇供销合作服务站"
	assert (station.station_type, station.cooperative, str(station.certified_on)) == (
		SMC_SERVICE_STATION,
		new_town.name,
		"2023-09-08",
	)
	company = county_company()
	assert company == frappe.db.get_value("Cooperative", COUNTY_SMC, "company")
	warehouse = frappe.get_doc("Warehouse", station.warehouse)
	group = f"{STATION_WAREHOUSE_GROUP} - {abbr()}"
	assert warehouse.name == f"测试镇供销合作服务站 - {abbr()}"
	assert (warehouse.company, warehouse.parent_warehouse, warehouse.is_group, warehouse.disabled) == (
		company,
		group,
		0,
		0,
	)
	root = frappe.db.get_value("Warehouse", group, "parent_warehouse")
	assert root == f"All Warehouses - {abbr()}"
	assert not frappe.db.get_value("Warehouse", root, "parent_warehouse")
	assert frappe.db.get_value("Warehouse", group, "is_group") == 1


def test_certifying_links_the_existing_station_and_never_makes_a_second(new_town):
	existing = create_station("测试镇为农服务站", new_town.name)
	department = create_department(new_town.name)
	department.establish()
	department.certify()
	assert department.service_station == existing.name
	with pytest.raises(DepartmentTransitionError):
		department.certify()
	assert frappe.db.count("Service Station", {"cooperative": new_town.name}) == 1
	assert frappe.db.get_value("Service Station", existing.name, "certified_on") is not None


def test_steps_cannot_be_skipped_or_repeated(new_town):
	department = create_department(new_town.name)
	with pytest.raises(DepartmentTransitionError, match="Cannot move from Set Up to Certified"):
		department.certify()
	department.establish()
	with pytest.raises(DepartmentTransitionError):
		department.establish()
	with pytest.raises(DepartmentTransitionError, match="before the department was established"):
		department.certify(certified_on="2000-01-01")
	assert frappe.db.get_value("Purchasing Department", department.name, "state") == "Established"
	assert not frappe.db.exists("Service Station", {"cooperative": new_town.name})


def test_only_the_county_smc_certifies(new_village):
	with as_user(TOWN_USER):
		department = create_department(new_village.name)
		department.establish()  # the town may record its village's establishment
		with pytest.raises(frappe.PermissionError):
			department.certify()
	assert frappe.db.get_value("Purchasing Department", department.name, "state") == "Established"
	assert not frappe.db.exists("Service Station", {"cooperative": new_village.name})
	with as_user(SMC_USER):
		frappe.get_doc("Purchasing Department", department.name).certify()
	assert frappe.db.get_value("Purchasing Department", department.name, "state") == "Certified"


def test_state_cannot_be_typed_in(new_town):
	department = create_department(new_town.name, state="Certified", certified_on="2023-09-08")
	assert (department.state, department.certified_on) == ("Set Up", None)
	department.state = "Certified"
	with pytest.raises(DepartmentTransitionError, match="Department State"):
		department.save()
	department.reload()
	department.certified_on = "2023-09-08"
	with pytest.raises(DepartmentTransitionError, match="Certified On"):
		department.save()
	assert frappe.db.get_value("Purchasing Department", department.name, "state") == "Set Up"


# -- scoping


def test_town_user_lists_only_own_town():
	for cooperative in (SHULINZHAO, XINMINBAO, ZHAOJUN, ZHAOJUN_VILLAGE):
		create_department(cooperative)
	create_station("树林召镇测试服务站", SHULINZHAO)
	create_station("昭君镇测试服务站", ZHAOJUN)
	shulinzhao_tree = set(frappe.get_all("Cooperative", {"town": SHULINZHAO}, pluck="name"))

	with as_user(TOWN_USER):
		departments = frappe.get_list("Purchasing Department", fields=["name", "cooperative"], limit=0)
		stations = frappe.get_list("Service Station", fields=["name", "cooperative"], limit=0)
	assert {d.cooperative for d in departments} >= {SHULINZHAO, XINMINBAO}
	assert {d.cooperative for d in departments} <= shulinzhao_tree
	assert "树林召镇测试服务站" in {s.name for s in stations}
	assert {s.cooperative for s in stations} <= shulinzhao_tree

	with as_user(VILLAGE_USER):
		assert {d.cooperative for d in frappe.get_list("Purchasing Department", fields=["cooperative"])} == {
			XINMINBAO
		}
		assert frappe.get_list("Service Station", {"cooperative": SHULINZHAO}) == []


def test_town_user_cannot_make_a_department_for_another_town():
	with as_user(TOWN_USER), pytest.raises(frappe.PermissionError):
		frappe.get_doc({"doctype": "Purchasing Department", "cooperative": ZHAOJUN_VILLAGE}).insert()


def test_scoped_users_cannot_make_stations(new_village):
	with as_user(TOWN_USER), pytest.raises(frappe.PermissionError):
		create_station("测试村私设服务站", new_village.name)


# -- the station and its warehouse


def test_disabling_a_station_disables_its_warehouse(new_town):
	station = create_station("测试镇物流服务点", new_town.name, "Logistics Service Point")
	assert frappe.db.get_value("Warehouse", station.warehouse, "disabled") == 0
	station.disabled = 1
	station.save()
	assert frappe.db.get_value("Warehouse", station.warehouse, "disabled") == 1
	station.disabled = 0
	station.save()
	assert frappe.db.get_value("Warehouse", station.warehouse, "disabled") == 0


def test_warehouse_cannot_be_swapped(new_town):
	station = create_station("测试镇物流服务点", new_town.name, "Logistics Service Point")
	station.warehouse = f"{STATION_WAREHOUSE_GROUP} - {abbr()}"
	with pytest.raises(ServiceStationError, match="Warehouse"):
		station.save()


def test_renaming_a_station_renames_its_warehouse(new_town):
	station = create_station("测试镇物流服务点", new_town.name, "Logistics Service Point")
	frappe.rename_doc("Service Station", station.name, "测试镇物流中心", show_alert=False)
	station = frappe.get_doc("Service Station", "测试镇物流中心")
	assert station.station_name == "测试镇物流中心"
	assert station.warehouse == f"测试镇物流中心 - {abbr()}"
	assert frappe.db.get_value("Warehouse", station.warehouse, "warehouse_name") == "测试镇物流中心"


def test_deleting_an_unused_station_removes_its_warehouse(new_town):
	station = create_station("测试镇物流服务点", new_town.name, "Logistics Service Point")
	warehouse = station.warehouse
	frappe.delete_doc("Service Station", station.name)
	assert not frappe.db.exists("Warehouse", warehouse)


# -- the demo


def test_demo_departments_and_stations_are_loaded_once():
	load_demo_departments()
	snapshot = (
		frappe.db.count("Purchasing Department"),
		frappe.db.count("Service Station"),
		frappe.db.count("Warehouse"),
		frappe.db.sql("select max(modified) from `tabPurchasing Department`")[0][0],
	)
	load_demo_departments()
	assert snapshot == (
		frappe.db.count("Purchasing Department"),
		frappe.db.count("Service Station"),
		frappe.db.count("Warehouse"),
		frappe.db.sql("select max(modified) from `tabPurchasing Department`")[0][0],
	)

	for batch, towns in TOWNS.items():
		for town in towns:
			for cooperative in (town_name(town), *(village_name(town, v) for v, _ in VILLAGES[town])):
				department = frappe.get_doc("Purchasing Department", {"cooperative": cooperative})
				assert department.head and 1 <= len(department.staff) <= 2
				if batch == "First":
					assert department.state == "Certified"
					warehouse = frappe.db.get_value(
						"Service Station", department.service_station, "warehouse"
					)
					assert frappe.db.get_value("Warehouse", warehouse, "parent_warehouse") == (
						f"{STATION_WAREHOUSE_GROUP} - {abbr()}"
					)
				else:
					assert (department.state, department.service_station) == ("Established", None)
	assert frappe.db.get_value("Purchasing Department", {"cooperative": XINMINBAO}, "department_name") == (
		"新民堡村统购部"
	)
	for station_name, cooperative, *_ in ECOMMERCE_POINTS:
		assert frappe.db.get_value("Service Station", station_name, ["station_type", "cooperative"]) == (
			"E-commerce Service Point",
			cooperative,
		)
