"""Creating a properly scoped town or village user."""

import frappe
import pytest

from agri_coop.organisation.users import ScopedUserError, create_scoped_user
from agri_coop.setup.demo import COUNTY_SMC
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
