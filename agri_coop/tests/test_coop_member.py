"""Coop Member: identity rules, the member's Customer, and the ID number as personal data."""

import json
from datetime import date

import frappe
import pytest
from frappe.desk.reportview import get as reportview_get

from agri_coop.members.doctype.coop_member.coop_member import DuplicateMemberError, InvalidMemberError
from agri_coop.tests.utils import (
	LINYUAN,
	SMC_USER,
	TOWN_USER,
	VILLAGE_USER,
	XINMINBAO,
	as_user,
	create_member,
	next_resident_id,
	rest_get,
)
from agri_coop.utils.resident_id import check_char, make_resident_id, mask, parse_resident_id
from agri_coop.utils.uscc import make_uscc

ACCOUNTANT = "accountant@dalate.demo"


def test_resident_id_gives_birth_date_and_sex():
	member = create_member(id_number_entry=make_resident_id("150621", date(1968, 3, 9), 123))
	assert member.birth_date == date(1968, 3, 9)
	assert member.gender == "Male"  # 17th digit 3 is odd
	assert member.id_number_masked == member.id_number[:6] + "********" + member.id_number[-4:]
	assert member.id_number_entry is None


@pytest.mark.parametrize(
	"id_number, reason",
	[
		("150621196803091231", "check digit is wrong"),
		("15062119680309123", "must be 18 characters long"),
		("150621196802301230", "impossible birth date"),
		("990621196803091230", "unknown region code"),
	],
)
def test_bad_resident_ids_are_refused(id_number, reason):
	if reason == "impossible birth date":
		id_number = id_number[:17] + check_char(id_number[:17])
	if reason == "unknown region code":
		id_number = id_number[:17] + check_char(id_number[:17])
	with pytest.raises(InvalidMemberError) as error:
		create_member(id_number_entry=id_number)
	message = str(error.value)
	assert reason in message and "身份证号" in message and "ID Number / Credit Code" in message


def test_implausible_age_is_refused():
	child = make_resident_id("150621", date.today().replace(year=date.today().year - 10), 111)
	_, _, reason = parse_resident_id(child)
	assert reason and "plausible" in str(reason)
	with pytest.raises(InvalidMemberError, match="plausible"):
		create_member(id_number_entry=child)


def test_organisations_use_credit_codes():
	code = make_uscc("93150621MA0N00001")
	member = create_member(
		member_type="Farmers' Co-op", member_name="新民堡玉米专业合作社", id_number_entry=code
	)
	assert member.id_number == code and member.birth_date is None
	customer = frappe.get_doc("Customer", member.customer)
	assert customer.customer_type == "Company" and customer.customer_group == "农民专业合作社"
	with pytest.raises(InvalidMemberError):
		create_member(member_type="Enterprise", id_number_entry=next_resident_id())


def test_id_number_is_unique():
	id_number = next_resident_id()
	first = create_member(id_number_entry=id_number)
	with pytest.raises(DuplicateMemberError) as error:
		create_member(cooperative=LINYUAN, id_number_entry=id_number.lower())
	assert first.name in str(error.value)


@pytest.mark.parametrize("mobile", ["1380000000", "23800000000", "138000000001", "abc"])
def test_mobile_must_be_eleven_digits(mobile):
	with pytest.raises(InvalidMemberError, match="Mobile"):
		create_member(mobile=mobile)


def test_member_must_belong_to_a_village():
	from agri_coop.tests.utils import SHULINZHAO

	with pytest.raises(InvalidMemberError, match="not a village co-op"):
		create_member(cooperative=SHULINZHAO)


def test_member_gets_a_customer_scoped_to_its_village():
	member = create_member(member_name="王五")
	customer = frappe.get_doc("Customer", member.customer)
	assert customer.name == member.name
	assert (customer.customer_name, customer.customer_group, customer.agri_coop_cooperative) == (
		"王五", "农户", XINMINBAO)  # fmt: skip
	member.state = "Suspended"
	member.save()
	assert frappe.db.get_value("Customer", member.customer, "disabled") == 1


def test_state_changes():
	member = create_member()
	assert member.state == "Pre-registered"
	member.state = "Active"
	member.save()
	assert member.registered_on
	member.state = "Pre-registered"
	with pytest.raises(InvalidMemberError, match="cannot change"):
		member.save()


def test_village_user_registers_a_member_and_sees_it_masked():
	id_number = next_resident_id()
	with as_user(VILLAGE_USER):
		member = create_member(id_number_entry=id_number)
		loaded = frappe.client.get("Coop Member", member.name)
		assert loaded.get("id_number") is None and loaded.get("birth_date") is None
		assert loaded["id_number_masked"] == mask(id_number)
	assert frappe.db.get_value("Coop Member", member.name, "id_number") == id_number


def test_masking_on_list_report_view_and_export():
	member = create_member()
	for user in (VILLAGE_USER, TOWN_USER, "leader@dalate.demo"):
		with as_user(user):
			rows = frappe.get_list("Coop Member", filters={"name": member.name}, fields=["name", "id_number",
				"id_number_masked"])  # fmt: skip
			assert rows and "id_number" not in rows[0], user
			frappe.local.form_dict = frappe._dict(
				doctype="Coop Member",
				filters=json.dumps({"name": member.name}),
				fields=json.dumps(["`tabCoop Member`.`id_number`", "`tabCoop Member`.`id_number_masked`"]),
			)
			result = reportview_get()
			assert member.id_number not in json.dumps(result, default=str), user


def test_accountant_and_county_manager_see_the_full_number():
	member = create_member()
	for user in (ACCOUNTANT, SMC_USER):
		with as_user(user):
			assert frappe.client.get("Coop Member", member.name)["id_number"] == member.id_number
			assert frappe.get_list("Coop Member", filters={"name": member.name}, pluck="id_number") == [
				member.id_number
			]


def test_rest_masks_for_village_user_not_for_accountant():
	member = frappe.get_all("Coop Member", {"cooperative": XINMINBAO}, ["name", "id_number"], limit=1)
	if not member:
		pytest.skip("the demo county has no members in 新民堡村")
	name, id_number = member[0].name, member[0].id_number
	village = rest_get(VILLAGE_USER, f"/api/resource/Coop Member/{name}").json["data"]
	assert village.get("id_number") is None and village["id_number_masked"] == mask(id_number)
	listed = rest_get(VILLAGE_USER, "/api/resource/Coop Member", {"fields": json.dumps(["name", "id_number"]),
		"filters": json.dumps({"name": name})}).json["data"]  # fmt: skip
	assert listed and "id_number" not in listed[0]
	accountant = rest_get(ACCOUNTANT, f"/api/resource/Coop Member/{name}").json["data"]
	assert accountant["id_number"] == id_number


def test_village_user_sees_only_own_members():
	create_member(cooperative=LINYUAN, member_name="林原社员")
	with as_user(VILLAGE_USER):
		villages = set(frappe.get_list("Coop Member", pluck="cooperative", limit_page_length=0))
	assert villages <= {XINMINBAO}
