"""Supplier Whitelist (白名单): the entry's own checks and the rule, written once in
agri_coop.purchasing.whitelist, that campaign items and campaign Purchase Orders obey.

Our own item groups (化肥 → 复合肥, 农膜), items and suppliers; the demo's whitelist is only
checked by the demo-loader test.
"""

import frappe
import pytest

from agri_coop.demo.builders import create_item, create_item_group, create_supplier, create_whitelist
from agri_coop.purchasing.doctype.supplier_whitelist.supplier_whitelist import SupplierWhitelistError
from agri_coop.purchasing.whitelist import (
	SupplierNotWhitelistedError,
	assert_whitelisted,
	check_whitelist,
	is_whitelisted,
	validate_purchase_order,
)
from agri_coop.tests.utils import (
	SMC_USER,
	VILLAGE_USER,
	as_user,
)

FERTILISER = "白名单测试化肥"
COMPOUND = "白名单测试复合肥"
FILM = "白名单测试农膜"
NPK = "白名单测试复合肥15-15-15"
FILM_ITEM = "白名单测试地膜"
SUPPLIER = "白名单测试供应商"
OTHER_SUPPLIER = "白名单测试未入库供应商"
IN_2024 = "2024-06-15"


@pytest.fixture
def catalogue():
	"""化肥 (a group) → 复合肥 with one item; 农膜 beside it with one item; two suppliers."""
	create_item_group(FERTILISER, is_group=1)
	create_item_group(COMPOUND, parent=FERTILISER)
	create_item_group(FILM)
	create_item(NPK, item_group=COMPOUND, item_name="复合肥 15-15-15")
	create_item(FILM_ITEM, item_group=FILM)
	create_supplier(SUPPLIER)
	create_supplier(OTHER_SUPPLIER)


def refusal(supplier, item, on_date, row_label=None) -> str:
	with pytest.raises(SupplierNotWhitelistedError) as error:
		assert_whitelisted(supplier, item, on_date, row_label=row_label)
	return str(error.value)


def test_active_entry_admits_its_group_and_the_groups_under_it(catalogue):
	entry = create_whitelist(SUPPLIER, [FERTILISER])
	assert is_whitelisted(SUPPLIER, NPK, IN_2024)  # 复合肥 lies under 化肥
	assert assert_whitelisted(SUPPLIER, NPK, IN_2024) == entry.name
	assert not is_whitelisted(SUPPLIER, FILM_ITEM, IN_2024)


def test_entry_for_the_item_group_itself(catalogue):
	create_whitelist(SUPPLIER, [COMPOUND, FILM])
	assert is_whitelisted(SUPPLIER, NPK, IN_2024)
	assert is_whitelisted(SUPPLIER, FILM_ITEM, IN_2024)


def test_an_entry_for_a_child_group_does_not_admit_the_parent(catalogue):
	create_item("白名单测试化肥散装", item_group=FERTILISER)
	create_whitelist(SUPPLIER, [COMPOUND])
	assert not is_whitelisted(SUPPLIER, "白名单测试化肥散装", IN_2024)


def test_wrong_group_is_refused_and_named(catalogue):
	create_whitelist(SUPPLIER, [FILM])
	assert check_whitelist(SUPPLIER, NPK, IN_2024)[0] == "wrong group"
	message = refusal(SUPPLIER, NPK, IN_2024)
	assert SUPPLIER in message and NPK in message and "复合肥 15-15-15" in message and IN_2024 in message
	assert FILM in message and COMPOUND in message
	assert "not the item group" in message and "物料组" in message


def test_supplier_without_entry(catalogue):
	create_whitelist(SUPPLIER, [FERTILISER])
	assert not is_whitelisted(OTHER_SUPPLIER, NPK, IN_2024)
	message = refusal(OTHER_SUPPLIER, NPK, IN_2024, row_label=3)
	assert "Row 3" in message and "第 3 行" in message
	assert OTHER_SUPPLIER in message and NPK in message and IN_2024 in message
	assert "no entry in the supplier whitelist" in message and "白名单" in message


def test_suspended_entry_does_not_admit(catalogue):
	entry = create_whitelist(SUPPLIER, [FERTILISER], state="Suspended")
	assert not is_whitelisted(SUPPLIER, NPK, IN_2024)
	message = refusal(SUPPLIER, NPK, IN_2024)
	assert entry.name in message and "is suspended" in message and "暂停" in message

	entry.state = "Active"
	entry.save()  # a suspension can be lifted
	assert is_whitelisted(SUPPLIER, NPK, IN_2024)


def test_suspended_for_one_group_active_for_another(catalogue):
	create_whitelist(SUPPLIER, [FILM], contract_number="白名单测试-农膜")
	create_whitelist(SUPPLIER, [COMPOUND], state="Suspended", contract_number="白名单测试-复合肥")
	assert is_whitelisted(SUPPLIER, FILM_ITEM, IN_2024)
	assert check_whitelist(SUPPLIER, NPK, IN_2024)[0] == "suspended"


def test_removed_entry_does_not_admit_and_cannot_come_back(catalogue):
	entry = create_whitelist(SUPPLIER, [FERTILISER])
	entry.state = "Removed"
	entry.save()
	assert not is_whitelisted(SUPPLIER, NPK, IN_2024)
	message = refusal(SUPPLIER, NPK, IN_2024)
	assert entry.name in message and "has been removed" in message and "移出" in message

	for state in ("Active", "Suspended"):
		entry = frappe.get_doc("Supplier Whitelist", entry.name)
		entry.state = state
		with pytest.raises(SupplierWhitelistError, match="removal is final"):
			entry.save()
	assert frappe.db.get_value("Supplier Whitelist", entry.name, "state") == "Removed"
	# The way back is a new entry under a new contract.
	create_whitelist(SUPPLIER, [FERTILISER], contract_number="白名单测试-重新签约")
	assert is_whitelisted(SUPPLIER, NPK, IN_2024)


def test_expired_entry(catalogue):
	entry = create_whitelist(SUPPLIER, [FERTILISER], valid_from="2023-01-01", valid_to="2023-12-31")
	assert is_whitelisted(SUPPLIER, NPK, "2023-12-31")
	assert not is_whitelisted(SUPPLIER, NPK, "2024-01-01")
	message = refusal(SUPPLIER, NPK, "2024-01-01")
	assert entry.name in message and "expired on 2023-12-31" in message and "已于 2023-12-31 到期" in message


def test_entry_not_yet_valid(catalogue):
	entry = create_whitelist(SUPPLIER, [FERTILISER], valid_from="2025-01-01", valid_to="2025-12-31")
	assert is_whitelisted(SUPPLIER, NPK, "2025-01-01")
	assert not is_whitelisted(SUPPLIER, NPK, "2024-12-31")
	message = refusal(SUPPLIER, NPK, "2024-12-31")
	assert entry.name in message and "not valid yet" in message and "尚未生效" in message


def test_a_later_contract_continues_an_expired_one(catalogue):
	create_whitelist(SUPPLIER, [FERTILISER], valid_from="2023-01-01", valid_to="2023-12-31")
	create_whitelist(
		SUPPLIER, [FERTILISER], valid_from="2024-01-01", valid_to="2024-12-31", contract_number="续签"
	)
	assert is_whitelisted(SUPPLIER, NPK, "2023-06-01") and is_whitelisted(SUPPLIER, NPK, "2024-06-01")
	assert check_whitelist(SUPPLIER, NPK, "2025-01-02")[0] == "expired"


def test_validity_and_score_are_checked(catalogue):
	with pytest.raises(SupplierWhitelistError, match="Valid Until"):
		create_whitelist(SUPPLIER, [FERTILISER], valid_from="2024-12-31", valid_to="2024-01-01")
	for score in (-1, 100.5):
		with pytest.raises((SupplierWhitelistError, frappe.ValidationError)):
			create_whitelist(SUPPLIER, [FERTILISER], evaluation_score=score, contract_number=f"分数{score}")
	entry = create_whitelist(SUPPLIER, [FERTILISER], evaluation_score=100, contract_number="满分")
	assert entry.evaluation_score == 100
	with pytest.raises(frappe.ValidationError):
		create_whitelist(SUPPLIER, [], contract_number="没有物料组")


def test_duplicate_item_groups_are_dropped(catalogue):
	entry = create_whitelist(SUPPLIER, [FERTILISER, FERTILISER, FILM])
	assert [row.item_group for row in entry.item_groups] == [FERTILISER, FILM]


def test_rule_reads_the_whitelist_whatever_the_user_may_see(catalogue):
	create_whitelist(SUPPLIER, [FERTILISER])
	with as_user(VILLAGE_USER):
		assert not frappe.has_permission("Supplier Whitelist", "read")
		assert is_whitelisted(SUPPLIER, NPK, IN_2024)


def test_permissions():
	assert frappe.has_permission("Supplier Whitelist", "create", user=SMC_USER)
	for user in ("accountant@dalate.demo", "leader@dalate.demo"):
		assert frappe.has_permission("Supplier Whitelist", "read", user=user)
		assert not frappe.has_permission("Supplier Whitelist", "write", user=user)
	assert not frappe.has_permission("Supplier Whitelist", "read", user=VILLAGE_USER)
	perms = {p.role: p for p in frappe.get_meta("Supplier Whitelist").permissions}
	assert perms["Purchase Manager"].read and not perms["Purchase Manager"].write


# -- Purchase Orders made for a campaign


def purchase_order(supplier, items, campaign=None):
	doc = frappe.new_doc("Purchase Order")
	doc.supplier = supplier
	doc.transaction_date = IN_2024
	for item_code in items:
		doc.append("items", {"item_code": item_code, "qty": 10, "rate": 100, "schedule_date": IN_2024})
	if campaign:
		doc.set("agri_coop_campaign", campaign)
	return doc


def test_campaign_purchase_order_line_of_a_non_whitelisted_item_is_refused(catalogue):
	create_whitelist(SUPPLIER, [FERTILISER])
	doc = purchase_order(SUPPLIER, [NPK, FILM_ITEM], campaign="测试统购活动")
	with pytest.raises(SupplierNotWhitelistedError) as error:
		validate_purchase_order(doc)
	message = str(error.value)
	assert "Row 2" in message and FILM_ITEM in message and SUPPLIER in message and IN_2024 in message

	validate_purchase_order(purchase_order(SUPPLIER, [NPK, NPK], campaign="测试统购活动"))
	with pytest.raises(SupplierNotWhitelistedError, match="Row 1"):
		validate_purchase_order(purchase_order(OTHER_SUPPLIER, [NPK], campaign="测试统购活动"))


def test_purchase_order_not_made_for_a_campaign_is_left_alone(catalogue):
	validate_purchase_order(purchase_order(OTHER_SUPPLIER, [NPK, FILM_ITEM]))


def test_campaign_purchase_order_needs_a_supplier(catalogue):
	with pytest.raises(SupplierNotWhitelistedError):
		validate_purchase_order(purchase_order(None, [NPK], campaign="测试统购活动"))


def test_purchase_order_hook_is_wired():
	hooks = frappe.get_hooks("doc_events").get("Purchase Order", {}).get("validate", [])
	assert "agri_coop.overrides.purchase_order.validate" in hooks


# -- demo


def test_demo_masters_are_loaded_once():
	from agri_coop.demo import masters as demo

	demo.load_demo_purchasing_masters()
	counts = {
		doctype: frappe.db.count(doctype)
		for doctype in ("Item", "Supplier", "Supplier Whitelist", "Item Price", "Demand Survey")
	}
	demo.load_demo_purchasing_masters()
	assert counts == {
		doctype: frappe.db.count(doctype)
		for doctype in ("Item", "Supplier", "Supplier Whitelist", "Item Price", "Demand Survey")
	}

	assert set(demo.DEMO_ITEMS) <= set(frappe.get_all("Item", pluck="name"))
	assert frappe.db.get_value("Item Group", demo.COMPOUND, "parent_item_group") == demo.FERTILISER
	for supplier in demo.DEMO_SUPPLIERS:
		assert frappe.db.exists("Supplier", supplier)
	assert demo.get_market_price(demo.UREA) == demo.DEMO_ITEMS[demo.UREA]["market_price"]

	on = "2024-03-01"
	assert is_whitelisted(demo.SINOCHEM, demo.NPK, on)  # 化肥 covers 复合肥
	assert is_whitelisted(demo.HUBEI_YIHUA, demo.UREA, on)
	assert check_whitelist(demo.HUBEI_YIHUA, demo.NPK, on)[0] == "suspended"
	assert is_whitelisted(demo.TIANRUN_FILM, demo.MULCH_FILM, on)
	assert not is_whitelisted(demo.TIANRUN_FILM, demo.UREA, on)
	assert check_whitelist(demo.UNLISTED_DEALER, demo.UREA, on)[0] == "no entry"
	assert not any(is_whitelisted(s, demo.CORN_SEED, on) for s in demo.DEMO_SUPPLIERS)

	surveys = frappe.get_all(
		"Demand Survey",
		{"season": demo.DEMO_SEASON},
		["docstatus", "review_state", "is_overdue", "village_name"],
	)
	assert len(surveys) == len(demo.DEMO_SURVEYS)
	states = sorted((s.docstatus, s.review_state or "") for s in surveys)
	assert states == sorted([(1, "Forwarded")] * 3 + [(1, "Reviewed")] + [(1, "Submitted")] * 2 + [(0, "")])
	# 东海心村 was reviewed in September 2023 and never forwarded: overdue.
	overdue = [s.village_name for s in surveys if s.is_overdue]
	assert "东海心村" in overdue and not [
		s for s in surveys if s.is_overdue and s.review_state == "Forwarded"
	]
	# 林原村 reported urea in tonnes: 10 吨 = 200 袋.
	assert (
		frappe.db.get_value(
			"Demand Survey Item",
			{"item_code": demo.UREA, "uom": demo.TON, "parenttype": "Demand Survey"},
			"stock_qty",
		)
		== 200
	)
