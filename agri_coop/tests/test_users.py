"""Creating a properly scoped town or village user."""

import frappe
import pytest

from agri_coop.demo.county import COUNTY_SMC
from agri_coop.organisation.users import ScopedUserError, create_scoped_user
from agri_coop.tests.utils import SHULINZHAO, SMC_USER, TOWN_USER, XINMINBAO, ZHAOJUN, as_user


def user_permissions(user):
	return frappe.get_all("User Permission", {"user": user}, ["allow", "for_value", "apply_to_all_doctypes"])


def test_town_user_gets_federation_role_and_town_scope():
	with as_user(SMC_USER):
		create_scoped_user("new.town@dalate.test", "新镇用户", ZHAOJUN)
	assert "Federation User" in frappe.get_roles("new.town@dalate.test")
	assert user_permissions("new.town@dalate.test") == [
		{"allow": "Cooperative", "for_value": ZHAOJUN, "apply_to_all_doctypes": 1}
	]
	with as_user("new.town@dalate.test"):
		assert SHULINZHAO not in frappe.get_list("Cooperative", pluck="name")


def test_village_user_gets_village_role():
	create_scoped_user("new.village@dalate.test", "新村用户", XINMINBAO)
	assert "Village Purchasing User" in frappe.get_roles("new.village@dalate.test")


def test_rescoping_replaces_the_old_scope():
	create_scoped_user("moving@dalate.test", "调动用户", ZHAOJUN)
	create_scoped_user("moving@dalate.test", "调动用户", SHULINZHAO)
	assert [p.for_value for p in user_permissions("moving@dalate.test")] == [SHULINZHAO]


def test_only_county_manager_creates_scoped_users():
	with as_user(TOWN_USER), pytest.raises(frappe.PermissionError):
		create_scoped_user("sneaky@dalate.test", "越权", SHULINZHAO)
	assert not frappe.db.exists("User", "sneaky@dalate.test")


def test_county_is_not_a_scope():
	with pytest.raises(ScopedUserError, match="not a town federation or village"):
		create_scoped_user("county@dalate.test", "县级", COUNTY_SMC)


def test_no_other_role_than_the_scoped_one():
	for role in ("System Manager", "County SMC Manager", "Federation User"):
		with as_user(SMC_USER), pytest.raises(frappe.PermissionError, match="gets the role"):
			create_scoped_user("climber@dalate.test", "越权", XINMINBAO, role=role)
	assert not frappe.db.exists("User", "climber@dalate.test")


def test_an_account_that_is_not_a_scoped_user_is_never_taken_over():
	password_hash = frappe.db.sql(
		"select password from __Auth where name=%s and doctype='User'", "accountant@dalate.demo"
	)
	for victim in ("accountant@dalate.demo", SMC_USER, "leader@dalate.demo"):
		roles = sorted(frappe.get_roles(victim))
		with as_user(SMC_USER), pytest.raises(frappe.PermissionError, match="not a town or village user"):
			create_scoped_user(victim, "接管", SHULINZHAO, password="taken-over-123")
		assert sorted(frappe.get_roles(victim)) == roles
		assert not user_permissions(victim)
	assert (
		frappe.db.sql(
			"select password from __Auth where name=%s and doctype='User'", "accountant@dalate.demo"
		)
		== password_hash
	)


def test_rescoping_keeps_the_password_and_switches_the_role():
	create_scoped_user("mover@dalate.test", "调动", XINMINBAO, password="first-password-1")
	before = frappe.db.sql("select password from __Auth where name='mover@dalate.test'")
	with as_user(SMC_USER):
		create_scoped_user("mover@dalate.test", "调动", SHULINZHAO, password="attacker-password-2")
	assert frappe.db.sql("select password from __Auth where name='mover@dalate.test'") == before
	roles = set(frappe.get_roles("mover@dalate.test"))
	assert "Federation User" in roles and "Village Purchasing User" not in roles


def test_migrate_removes_the_extra_erpnext_roles():
	from agri_coop.patches.v1.least_privilege_roles import execute

	create_scoped_user("old.village@dalate.test", "旧村用户", XINMINBAO)
	frappe.get_doc("User", "old.village@dalate.test").add_roles("Sales User")
	frappe.get_doc("User", "credit@dalate.demo").add_roles("Accounts User")
	both = frappe.get_doc("User", "accountant@dalate.demo")
	both.add_roles("Credit Officer")  # an accountant who is also a credit officer keeps Accounts User
	execute()
	assert "Sales User" not in frappe.get_roles("old.village@dalate.test")
	assert "Accounts User" not in frappe.get_roles("credit@dalate.demo")
	assert "Accounts User" in frappe.get_roles("accountant@dalate.demo")
