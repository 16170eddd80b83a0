"""A town user sees their town and its villages, a village user their village, on every
read path: get_list, REST, client.get/get_value/get_count, link search, report view,
export, tree."""

import json

import frappe
import pytest
from frappe.desk.reportview import get as reportview_get
from frappe.desk.search import search_link

from agri_coop.organisation.doctype.cooperative.cooperative import get_children
from agri_coop.tests.utils import (
	LINYUAN,
	SHULINZHAO,
	SMC_USER,
	TOWN_USER,
	VILLAGE_USER,
	XINMINBAO,
	ZHAOJUN,
	ZHAOJUN_VILLAGE,
	as_user,
	rest_get,
)


def shulinzhao_tree():
	return set(frappe.get_all("Cooperative", {"town": SHULINZHAO}, pluck="name"))


def zhaojun_tree():
	return set(frappe.get_all("Cooperative", {"town": ZHAOJUN}, pluck="name"))


def test_town_user_list_is_own_town_and_villages():
	expected = shulinzhao_tree()
	assert len(expected) == 6  # the town and its five villages
	with as_user(TOWN_USER):
		seen = set(frappe.get_list("Cooperative", pluck="name", limit_page_length=0))
		count = frappe.client.get_count("Cooperative")
	assert seen == expected
	assert count == len(expected)


def test_village_user_sees_only_own_village():
	with as_user(VILLAGE_USER):
		assert frappe.get_list("Cooperative", pluck="name") == [XINMINBAO]
		assert frappe.client.get_count("Cooperative") == 1
		with pytest.raises(frappe.PermissionError):
			frappe.client.get("Cooperative", LINYUAN)


def test_town_user_cannot_read_another_town_by_name():
	with as_user(TOWN_USER):
		assert frappe.client.get("Cooperative", XINMINBAO)["name"] == XINMINBAO
		with pytest.raises(frappe.PermissionError):
			frappe.client.get("Cooperative", ZHAOJUN_VILLAGE)
		assert not frappe.client.get_value("Cooperative", "producer_count", {"name": ZHAOJUN_VILLAGE})
		assert frappe.client.get_count("Cooperative", {"town": ZHAOJUN}) == 0


def test_link_search_is_scoped():
	with as_user(TOWN_USER):
		zhaojun = search_link("Cooperative", "昭君")
		own = search_link("Cooperative", "新民堡")
	assert zhaojun == []
	assert [r["value"] for r in own] == [XINMINBAO]


def test_report_view_and_export_are_scoped():
	with as_user(TOWN_USER):
		frappe.local.form_dict = frappe._dict(
			doctype="Cooperative", limit_page_length=0, fields=json.dumps(["`tabCooperative`.`name`"])
		)
		result = reportview_get()
		names = {row[0] for row in result["values"]}
		assert names == shulinzhao_tree()

		frappe.local.form_dict = frappe._dict(
			doctype="Cooperative",
			file_format_type="CSV",
			fields=json.dumps(["`tabCooperative`.`name`", "`tabCooperative`.`producer_count`"]),
		)
		from frappe.desk.reportview import export_query

		export_query()
		exported = frappe.response["filecontent"]
		exported = exported.decode() if isinstance(exported, bytes) else exported
	assert XINMINBAO in exported
	assert not any(name in exported for name in zhaojun_tree())


def test_customers_are_scoped_like_their_cooperative():
	# scoped roles no longer read Customers at all (no Sales User); the boundary still scopes them
	from agri_coop.security.boundary import query_conditions

	condition = query_conditions(TOWN_USER, "Customer")
	customers = {
		r[0]
		for r in frappe.db.sql(
			f"select name from tabCustomer where customer_group = 'Cooperatives' and {condition}"
		)
	}
	expected = set(frappe.get_all("Cooperative", {"town": SHULINZHAO}, pluck="customer"))
	assert customers == expected
	with as_user(TOWN_USER):
		if frappe.has_permission("Customer", "read"):
			listed = set(
				frappe.get_list("Customer", filters={"customer_group": "Cooperatives"}, pluck="name")
			)
			assert listed == expected


def test_tree_starts_at_the_users_own_town():
	with as_user(TOWN_USER):
		roots = get_children("Cooperative", is_root=True)
		assert [r.value for r in roots] == [SHULINZHAO]
		children = {r.value for r in get_children("Cooperative", parent=SHULINZHAO)}
	assert children == shulinzhao_tree() - {SHULINZHAO}


def test_rest_list_and_get_are_scoped():
	response = rest_get(TOWN_USER, "/api/resource/Cooperative", {"limit_page_length": 0})
	assert response.status_code == 200
	assert {row["name"] for row in response.json["data"]} == shulinzhao_tree()

	response = rest_get(TOWN_USER, f"/api/resource/Cooperative/{ZHAOJUN_VILLAGE}")
	assert response.status_code == 403

	response = rest_get(VILLAGE_USER, f"/api/resource/Cooperative/{LINYUAN}")
	assert response.status_code == 403
	response = rest_get(VILLAGE_USER, f"/api/resource/Cooperative/{XINMINBAO}")
	assert response.status_code == 200 and response.json["data"]["name"] == XINMINBAO


def test_rest_count_and_search_are_scoped():
	response = rest_get(TOWN_USER, "/api/method/frappe.client.get_count", {"doctype": "Cooperative"})
	assert response.json["message"] == len(shulinzhao_tree())
	response = rest_get(
		TOWN_USER, "/api/method/frappe.desk.search.search_link", {"doctype": "Cooperative", "txt": "昭君"}
	)
	assert response.json["message"] == []


def test_county_user_sees_the_whole_county():
	with as_user(SMC_USER):
		assert frappe.client.get_count("Cooperative") == frappe.db.count("Cooperative")
