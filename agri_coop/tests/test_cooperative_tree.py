"""The organisation is one tree: county SMC -> town federations -> village co-ops."""

import frappe
import pytest

from agri_coop.demo.builders import create_cooperative
from agri_coop.demo.county import COUNTY_SMC
from agri_coop.organisation.doctype.cooperative.cooperative import CooperativeTreeError
from agri_coop.tests.utils import (
	LINYUAN,
	SHULINZHAO,
	TOWN_USER,
	XINMINBAO,
	ZHAOJUN,
	as_user,
)


def test_demo_county_has_nine_towns_in_two_batches():
	towns = frappe.get_list(
		"Cooperative",
		filters={"cooperative_type": "Town Federation"},
		fields=["region_name", "batch", "parent_cooperative"],
	)
	assert {t.region_name for t in towns if t.batch == "First"} == {
		"树林召镇",
		"吉格斯太镇",
		"王爱召镇",
		"昭君镇",
	}
	assert {t.region_name for t in towns if t.batch == "Second"} == {
		"白泥井镇",
		"风水梁镇",
		"展旦召苏木",
		"恩格贝镇",
		"中和西镇",
	}
	assert {t.parent_cooperative for t in towns} == {COUNTY_SMC}


def test_village_under_town_is_a_leaf_and_knows_its_town():
	village = create_cooperative(
		"测试村股份经济合作社", "Village Cooperative", SHULINZHAO, producer_count=120
	)
	assert village.is_group == 0
	assert village.town == SHULINZHAO
	town = frappe.get_doc("Cooperative", SHULINZHAO)
	assert town.is_group == 1 and town.town == SHULINZHAO
	assert town.lft < village.lft < village.rgt < town.rgt


@pytest.mark.parametrize(
	"cooperative_type, parent",
	[
		("Village Cooperative", COUNTY_SMC),  # a village only under a town
		("Village Cooperative", XINMINBAO),  # not under another village
		("Town Federation", SHULINZHAO),  # a town only under the county
		("Town Federation", XINMINBAO),
		("Village Cooperative", None),  # nothing but the county is a root
		("Town Federation", None),
	],
)
def test_wrong_place_in_tree_is_refused(cooperative_type, parent):
	with pytest.raises(CooperativeTreeError) as error:
		create_cooperative("错位合作社", cooperative_type, parent)
	assert "must sit under" in str(error.value)
	assert "必须" in str(error.value)  # the zh half of the message
	assert not frappe.db.exists("Cooperative", "错位合作社")


def test_second_county_is_refused():
	with pytest.raises(CooperativeTreeError, match="one site serves one county"):
		create_cooperative("另一个旗供销社", "County SMC", None, company=frappe.db.get_value("Company", {}))


def test_county_cannot_get_a_parent():
	county = frappe.get_doc("Cooperative", COUNTY_SMC)
	county.parent_cooperative = SHULINZHAO
	with pytest.raises(CooperativeTreeError):
		county.save()


def test_town_with_villages_cannot_change_type():
	town = frappe.get_doc("Cooperative", SHULINZHAO)
	town.cooperative_type = "Village Cooperative"
	town.parent_cooperative = ZHAOJUN
	with pytest.raises(CooperativeTreeError, match="cannot change"):
		town.save()


def test_village_moves_to_another_town():
	village = frappe.get_doc("Cooperative", LINYUAN)
	village.parent_cooperative = ZHAOJUN
	village.save()
	assert village.town == ZHAOJUN
	zhaojun = frappe.get_doc("Cooperative", ZHAOJUN)
	assert zhaojun.lft < village.lft < zhaojun.rgt


def test_town_user_adds_village_only_under_own_town():
	with as_user(TOWN_USER):
		village = create_cooperative("树林召镇新村股份经济合作社", "Village Cooperative", SHULINZHAO)
		assert village.town == SHULINZHAO
		with pytest.raises(frappe.PermissionError):
			create_cooperative("昭君镇新村股份经济合作社", "Village Cooperative", ZHAOJUN)
	assert not frappe.db.exists("Cooperative", "昭君镇新村股份经济合作社")
