"""Shared test records and helpers."""

from contextlib import contextmanager
from unittest.mock import patch

import frappe
from frappe.utils import get_test_client

from agri_coop.demo.county import DEMO_TOWN_USER, DEMO_VILLAGE_USER, town_name, village_name
from agri_coop.demo.runner import load_demo_county
from agri_coop.tests.jobs import run_app_jobs_inline

TOWN_USER = DEMO_TOWN_USER[0]  # Federation User of 树林召镇
VILLAGE_USER = DEMO_VILLAGE_USER[0]  # Village Purchasing User of 树林召镇 新民堡村
SMC_USER = "smc@dalate.demo"
SHULINZHAO = town_name("树林召镇")
ZHAOJUN = town_name("昭君镇")
XINMINBAO = village_name("树林召镇", "新民堡村")
LINYUAN = village_name("树林召镇", "林原村")  # sibling of 新民堡村
ZHAOJUN_VILLAGE = village_name("昭君镇", "和胜村")


def before_tests():
	"""Loaded once per test site and committed: the demo county, with API keys for REST.
	The app's background jobs run inline from here on (agri_coop.tests.jobs)."""
	run_app_jobs_inline()
	frappe.clear_cache()
	load_demo_county()
	for user in (TOWN_USER, VILLAGE_USER, SMC_USER, "accountant@dalate.demo"):
		api_keys(user)
	frappe.db.commit()


def api_keys(user: str) -> tuple[str, str]:
	"""Token credentials for a user (the secret is kept in a site default for reuse)."""
	key = frappe.db.get_value("User", user, "api_key")
	secret = frappe.db.get_default(f"agri_coop_test_secret:{user}")
	if not key or not secret:
		secret = frappe.generate_hash(length=15)
		doc = frappe.get_doc("User", user)
		doc.api_key = key or frappe.generate_hash(length=15)
		doc.api_secret = secret
		doc.flags.ignore_permissions = True
		doc.save()
		key = doc.api_key
		frappe.db.set_default(f"agri_coop_test_secret:{user}", secret)
	return key, secret


def rest_get(user: str, path: str, params: dict | None = None):
	"""GET through Frappe's WSGI app, as a real client would, authenticated as `user`.

	Runs in its own thread (its own frappe.local and connection), so it sees committed
	data only.
	"""
	key, secret = api_keys(user)
	site = frappe.local.site
	result = {}

	def call():
		with patch("frappe.app.get_site_name", return_value=site):
			client = get_test_client()
			result["response"] = client.get(
				path, query_string=params or {}, headers={"Authorization": f"token {key}:{secret}"}
			)

	import threading

	thread = threading.Thread(target=call)
	thread.start()
	thread.join()
	return result["response"]


@contextmanager
def as_user(user: str):
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(previous)


_member_sequence = iter(range(100, 1000))


def next_resident_id(birth=None, region: str = "150621") -> str:
	"""A valid resident ID number not yet used on this site."""
	from datetime import date

	from agri_coop.security.privacy import id_number_hash
	from agri_coop.utils.resident_id import make_resident_id

	birth = birth or date(1975, 5, 17)
	while True:
		code = make_resident_id(region, birth, next(_member_sequence))
		if not frappe.db.exists("Coop Member", {"id_number_hash": id_number_hash(code)}):
			return code


def create_member(cooperative: str = XINMINBAO, **values):
	"""A Coop Member in `cooperative` (rolled back after the test unless committed); the
	state, which only the server sets, goes through Coop Member.change_state."""
	state = values.pop("state", None)
	doc = frappe.get_doc(
		{
			"doctype": "Coop Member",
			"member_name": values.pop("member_name", "测试社员"),
			"member_type": values.pop("member_type", "Household"),
			"cooperative": cooperative,
			"mobile": values.pop("mobile", "13800000000"),
			"id_number_entry": values.pop("id_number_entry", None) or next_resident_id(),
			**values,
		}
	).insert()
	if state and state != doc.state:
		doc.change_state(state)
	return doc


# Purchasing masters (items, item groups, suppliers, whitelist entries): the builders of
# agri_coop.demo.builders, which tests import from there.


def export_report_rows(report_name: str, filters: dict, include_indentation: int = 0) -> list[tuple]:
	"""The rows of a Script Report's Excel export, as the current user gets it from the desk."""
	import json
	from io import BytesIO

	from frappe.desk.query_report import export_query
	from openpyxl import load_workbook

	frappe.local.form_dict = frappe._dict(
		report_name=report_name,
		file_format_type="Excel",
		filters=json.dumps(filters),
		visible_idx=json.dumps([]),
		include_indentation=include_indentation,
	)
	try:
		export_query()
		content = frappe.response.pop("filecontent")
	finally:
		frappe.local.form_dict = frappe._dict()
		frappe.response.pop("type", None)
		frappe.response.pop("filename", None)
	return list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
