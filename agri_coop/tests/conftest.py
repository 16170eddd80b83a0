"""pytest against a real site: Frappe is initialised from the bench's sites folder.

AGRI_COOP_BENCH (default ~/agri-coop-bench) and AGRI_COOP_TEST_SITE (default
agri-coop-test.localhost) say where; scripts/test.sh sets both.
"""

import os

import frappe
import pytest

BENCH = os.path.expanduser(os.environ.get("AGRI_COOP_BENCH", "~/agri-coop-bench"))
SITE = os.environ.get("AGRI_COOP_TEST_SITE", "agri-coop-test.localhost")


def pytest_configure(config):
	sites_path = os.path.join(BENCH, "sites")
	os.chdir(sites_path)
	frappe.init(site=SITE, sites_path=sites_path)
	frappe.connect()
	frappe.flags.in_test = True
	frappe.set_user("Administrator")
	for hook in frappe.get_hooks("before_tests", app_name="agri_coop"):
		frappe.get_attr(hook)()
	frappe.db.commit()


def pytest_unconfigure(config):
	if getattr(frappe.local, "site", None):
		frappe.destroy()


@pytest.fixture(autouse=True)
def rollback_after_test():
	"""Each test's own writes are undone; the shared county loaded in before_tests stays."""
	frappe.set_user("Administrator")
	yield
	frappe.db.rollback()
	frappe.set_user("Administrator")
	frappe.local.message_log = []
	frappe.clear_cache()
