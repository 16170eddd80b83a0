"""Every co-op that trades has an ERPNext Customer, kept in step with it."""

import frappe
import pytest

from agri_coop.demo.builders import create_cooperative
from agri_coop.demo.county import COUNTY_SMC
from agri_coop.tests.utils import SHULINZHAO, XINMINBAO


def test_new_village_gets_a_customer():
	village = create_cooperative("客户测试村股份经济合作社", "Village Cooperative", SHULINZHAO)
	customer = frappe.get_doc("Customer", village.customer)
	assert customer.customer_name == village.cooperative_name
	assert customer.customer_group == "Cooperatives"
	assert customer.agri_coop_cooperative == village.name
	assert customer.disabled == 0


def test_demo_towns_and_villages_have_customers_the_county_has_none():
	missing = frappe.get_all(
		"Cooperative",
		filters={"cooperative_type": ("!=", "County SMC"), "customer": ("is", "not set")},
		pluck="name",
	)
	assert missing == []
	assert not frappe.db.get_value("Cooperative", COUNTY_SMC, "customer")


def test_rename_follows_to_customer():
	village = create_cooperative("改名前村股份经济合作社", "Village Cooperative", SHULINZHAO)
	new_name = frappe.rename_doc("Cooperative", village.name, "改名后村股份经济合作社")
	village = frappe.get_doc("Cooperative", new_name)
	assert village.cooperative_name == new_name
	customer = frappe.get_doc("Customer", village.customer)
	assert customer.customer_name == new_name
	assert customer.agri_coop_cooperative == new_name


def test_disable_follows_to_customer():
	village = frappe.get_doc("Cooperative", XINMINBAO)
	village.disabled = 1
	village.save()
	assert frappe.db.get_value("Customer", village.customer, "disabled") == 1
	village.disabled = 0
	village.save()
	assert frappe.db.get_value("Customer", village.customer, "disabled") == 0


def test_registered_code_becomes_customer_tax_id():
	village = frappe.get_doc("Cooperative", XINMINBAO)
	assert village.uscc
	assert frappe.db.get_value("Customer", village.customer, "tax_id") == village.uscc


def test_deleting_an_unused_village_deletes_its_customer():
	village = create_cooperative("删除测试村股份经济合作社", "Village Cooperative", SHULINZHAO)
	customer = village.customer
	frappe.delete_doc("Cooperative", village.name)
	assert not frappe.db.exists("Customer", customer)


def test_sync_never_rewrites_another_coops_customer():
	from agri_coop.tests.utils import LINYUAN, XINMINBAO

	victim = frappe.db.get_value("Cooperative", XINMINBAO, "customer")
	frappe.db.set_value("Cooperative", LINYUAN, "customer", victim)  # as if it had slipped in
	doc = frappe.get_doc("Cooperative", LINYUAN)
	with pytest.raises(frappe.PermissionError, match="is not the customer of co-op"):
		doc.sync_customer()
	assert frappe.db.get_value("Customer", victim, "agri_coop_cooperative") == XINMINBAO
