"""A town federation: drafted -> approved by the town government -> registered with a code
by the county agriculture bureau (seed 000 §三(一)1); who may record each step."""

import frappe
import pytest

from agri_coop.demo.builders import create_cooperative
from agri_coop.demo.county import COUNTY_SMC
from agri_coop.organisation.doctype.cooperative.cooperative import (
	ApprovalTransitionError,
	InvalidUSCCError,
)
from agri_coop.tests.utils import SMC_USER, TOWN_USER, VILLAGE_USER, as_user
from agri_coop.utils.uscc import make_uscc

CODE = make_uscc("N3150621MA888888D")


@pytest.fixture
def new_town():
	return create_cooperative("测试镇股份经济合作联合社", "Town Federation", COUNTY_SMC, batch="Second")


def test_new_town_starts_drafted(new_town):
	assert new_town.approval_state == "Drafted"
	assert frappe.db.get_value("Cooperative", new_town.name, "approval_state") == "Drafted"


def test_smc_manager_records_both_steps(new_town):
	with as_user(SMC_USER):
		town = frappe.get_doc("Cooperative", new_town.name)
		town.approve(approved_on="2023-09-01", approval_reference="测试镇政发〔2023〕1号")
		assert town.approval_state == "Approved"
		town.register(uscc=CODE.lower(), registered_on="2023-09-06")
	town.reload()
	assert (town.approval_state, town.uscc, str(town.registered_on)) == ("Registered", CODE, "2023-09-06")


def test_registration_needs_a_valid_code(new_town):
	new_town.approve(approval_reference="ref")
	with pytest.raises(InvalidUSCCError):
		new_town.register(uscc=None)
	with pytest.raises(InvalidUSCCError, match="check digit is wrong"):
		new_town.register(uscc=CODE[:-1] + ("0" if CODE[-1] != "0" else "1"))
	assert frappe.db.get_value("Cooperative", new_town.name, "approval_state") == "Approved"


def test_approval_needs_the_government_reference(new_town):
	with pytest.raises(ApprovalTransitionError, match="Town Government Approval Reference"):
		new_town.approve(approval_reference="")


def test_steps_cannot_be_skipped_or_repeated(new_town):
	with pytest.raises(ApprovalTransitionError, match="Cannot move from Drafted to Registered"):
		new_town.register(uscc=CODE)
	new_town.approve(approval_reference="ref")
	with pytest.raises(ApprovalTransitionError):
		new_town.approve(approval_reference="ref")


def test_state_cannot_be_typed_in(new_town):
	new_town.approval_state = "Registered"
	with pytest.raises(ApprovalTransitionError):
		new_town.save()


def test_federation_user_approves_own_town_but_cannot_register():
	town = create_cooperative("树林召镇股份经济合作联合社", "Town Federation", COUNTY_SMC)
	frappe.db.set_value("Cooperative", town.name, {"approval_state": "Drafted", "uscc": None})
	with as_user(TOWN_USER):
		own = frappe.get_doc("Cooperative", town.name)
		own.approve(approval_reference="树林召镇政发〔2023〕9号")
		with pytest.raises(frappe.PermissionError):
			own.register(uscc=CODE)
	assert frappe.db.get_value("Cooperative", town.name, "approval_state") == "Approved"


def test_federation_user_cannot_approve_another_town(new_town):
	with as_user(TOWN_USER), pytest.raises(frappe.PermissionError):
		frappe.get_doc("Cooperative", new_town.name).approve(approval_reference="ref")


def test_village_user_cannot_approve(new_town):
	with as_user(VILLAGE_USER), pytest.raises(frappe.PermissionError):
		new_town.approve(approval_reference="ref")


def test_villages_have_no_approval_steps():
	village = frappe.get_doc("Cooperative", {"cooperative_type": "Village Cooperative"})
	with pytest.raises(ApprovalTransitionError, match="Only a town federation"):
		village.approve(approval_reference="ref")
