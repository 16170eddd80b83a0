"""A red-team pass over the finance, subsidies, reports and traceability modules, over real
HTTP as the demo's scoped users: each test is a way out that was tried and must stay shut."""

import json

import frappe
import pytest

from agri_coop.tests.utils import XINMINBAO

VILLAGE = "xinminbao@dalate.demo"
TOWN = "shulinzhao@dalate.demo"
LEADER = "leader@dalate.demo"
WAREHOUSE = "warehouse@dalate.demo"
CREDIT_OFFICER = "credit@dalate.demo"
SMC = "smc@dalate.demo"


def forbidden(response):
	assert response.status_code == 403, (response.status_code, response.text[:300])
	return True


def village_credit_sheet() -> tuple[str, str]:
	"""The demo's whole-village credit batch of 新民堡村 and its sheet (member, limit per row)."""
	batch = frappe.get_all("Credit Batch", {"cooperative": XINMINBAO}, ["name", "import_file"], limit=1)[0]
	assert batch.import_file, "the demo's batch has its sheet"
	return batch.name, batch.import_file


@pytest.mark.parametrize("user", (VILLAGE, TOWN, LEADER))
def test_the_banks_credit_sheet_is_not_served_to_users_who_may_not_read_amounts(login, user):
	"""The sheet holds every member's approved limit (and may hold full ID numbers): it is the
	level-1 data of Credit Line, of a bank that masks amounts from co-op users."""
	batch, url = village_credit_sheet()
	client = login(user)
	record = client.get_path(f"/api/resource/Credit Batch/{batch}")
	assert record.ok, record.text[:300]  # the batch itself (counts, state) is theirs to read
	assert not record.json()["data"].get("import_file")
	assert forbidden(client.get_path(url))
	assert forbidden(client.call("frappe.handler.download_file", file_url=url))
	assert client.get_path("/api/method/download_file", file_url=url).status_code == 403
	rows = frappe.get_all("File", {"file_url": url}, pluck="name")
	zipped = client.call("frappe.core.api.file.zip_files", files=json.dumps(rows))
	assert "20000" not in zipped.content.decode("latin-1")
	for row in rows:
		assert forbidden(client.call("frappe.client.get", doctype="File", name=row))


def test_the_credit_officer_and_the_county_still_read_the_sheet(login):
	_batch, url = village_credit_sheet()
	for user in (CREDIT_OFFICER, SMC):
		response = login(user).get_path(url)
		assert response.ok, (user, response.status_code)
		assert "授信额度" in response.content.decode("utf-8-sig")
