"""What installing the app sets up, and the version guard."""

from unittest.mock import patch

import frappe
import pytest

from agri_coop.constants.custom_fields import CUSTOM_FIELDS
from agri_coop.constants.roles import ROLES
from agri_coop.setup.install import UnsupportedVersionError, check_versions, sync_app_records


def test_roles_of_the_design_exist_with_desk_access():
	for role in ROLES:
		assert frappe.db.get_value("Role", role, "desk_access") == 1, role


def test_custom_fields_exist():
	for doctype, fields in CUSTOM_FIELDS.items():
		for field in fields:
			assert frappe.get_meta(doctype).has_field(field["fieldname"]), (doctype, field["fieldname"])


def test_sync_is_idempotent():
	before = frappe.db.count("Role"), frappe.db.count("Custom Field"), frappe.db.count("Customer Group")
	sync_app_records()
	assert (
		frappe.db.count("Role"),
		frappe.db.count("Custom Field"),
		frappe.db.count("Customer Group"),
	) == before


def test_this_bench_is_version_15():
	check_versions()


@pytest.mark.parametrize("version", ["14.40.0", "16.0.0"])
def test_other_frappe_versions_are_refused(version):
	with patch.object(frappe, "__version__", version), pytest.raises(UnsupportedVersionError) as error:
		check_versions()
	assert "version 15" in str(error.value) and "第 15 版" in str(error.value)


def test_other_erpnext_versions_are_refused():
	import erpnext

	with (
		patch.object(erpnext, "__version__", "14.2.0"),
		pytest.raises(UnsupportedVersionError, match="ERPNext"),
	):
		check_versions()
