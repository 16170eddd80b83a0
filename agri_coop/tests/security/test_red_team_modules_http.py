"""A red-team pass over the finance, subsidies, reports and traceability modules, over real
HTTP as the demo's scoped users: each test is a way out that was tried and must stay shut."""

import json

import frappe
import pytest

from agri_coop.demo.credit import BANK
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


def claim_of_masking_bank() -> str:
	"""The demo's interest subsidy claim, of a bank that masks its amounts."""
	claim = frappe.get_all("Interest Subsidy Claim", {"docstatus": 1}, ["name", "partner_bank"], limit=1)[0]
	assert frappe.db.get_value("Partner Bank", claim.partner_bank, "mask_amounts")
	return claim.name


def test_the_leadership_office_reads_no_members_interest_claim(login):
	"""A claim line's principal-days divided by the days since the disbursement is the
	disbursed amount (level 1 on Loan Disbursement, which the leadership office may not read)."""
	claim = claim_of_masking_bank()
	line = frappe.get_all("Interest Subsidy Claim Line", {"parent": claim}, ["member"], limit=1)[0]
	assert frappe.db.get_value("Loan Disbursement", {"member": line.member, "docstatus": 1}, "amount")
	client = login(LEADER)
	assert forbidden(client.get_path(f"/api/resource/Interest Subsidy Claim/{claim}"))
	assert forbidden(
		client.call("frappe.desk.form.load.getdoc", doctype="Interest Subsidy Claim", name=claim)
	)
	rows = client.call(
		"frappe.client.get_list",
		doctype="Interest Subsidy Claim Line",
		parent="Interest Subsidy Claim",
		fields=["member", "principal_days", "interest"],
		limit_page_length=0,
	)
	assert forbidden(rows)
	assert forbidden(
		client.get_path(
			"/api/resource/Interest Subsidy Claim",
			fields=json.dumps(["name", "`tabInterest Subsidy Claim Line`.principal_days"]),
		)
	)
	printed = client.get_path(
		"/api/method/frappe.www.printview.get_html_and_style",
		doc="Interest Subsidy Claim",
		name=claim,
		print_format="贴息资金申请表",
	)
	assert forbidden(printed)
	# the county's totals stay in the Credit Purchase report (without the masked bank's amounts)
	report = client.call("frappe.desk.query_report.run", report_name="Credit Purchase", filters={})
	assert report.ok, report.text[:300]


def test_the_accountant_and_the_credit_officer_still_read_the_claim(login):
	claim = claim_of_masking_bank()
	for user in ("accountant@dalate.demo", CREDIT_OFFICER):
		response = login(user).get_path(f"/api/resource/Interest Subsidy Claim/{claim}")
		assert response.ok, (user, response.text[:200])
		assert response.json()["data"]["lines"]


@pytest.mark.parametrize("user", (LEADER, WAREHOUSE, TOWN))
def test_readers_of_a_recall_refresh_its_figures_without_writing_it(login, user):
	"""The recall's "update progress" button ran for any reader and stored the figures: the
	leadership office (and warehouse staff, who only read recalls) changed the document."""
	recall = frappe.get_all("Batch Recall", {"docstatus": 1}, pluck="name", limit=1)[0]
	before = frappe.db.get_value("Batch Recall", recall, ["modified", "modified_by"])
	response = login(user).post(
		login(user).url("/api/method/run_doc_method"),
		data={"dt": "Batch Recall", "dn": recall, "method": "update_progress"},
	)
	assert response.ok, response.text[:300]  # the reader still gets the figures as they are now
	assert "members_affected" in response.text
	frappe.db.rollback()  # read what the server committed
	assert frappe.db.get_value("Batch Recall", recall, ["modified", "modified_by"]) == before


def test_an_emailed_credit_report_carries_only_what_its_user_reads():
	"""Frappe's scheduler runs an Auto Email Report as Administrator: the leadership office's
	weekly Credit Purchase would carry the approved limits a masking bank hides from it."""
	bank = BANK  # the demo's bank (tests may leave other banks, without lines, on the site)
	assert frappe.db.get_value("Partner Bank", bank, "mask_amounts")
	limits = frappe.get_all(
		"Credit Line",
		{"partner_bank": bank, "credit_state": ("not in", ("Applied", "Surveyed"))},
		["cooperative", "sum(approved_limit) as total"],
		group_by="cooperative",
	)
	assert limits and all(row.total for row in limits)
	email = frappe.get_doc(
		{
			"doctype": "Auto Email Report",
			"report": "Credit Purchase",
			"user": LEADER,
			"format": "CSV",
			"email_to": "office@dalate.demo",
			"filters": json.dumps({"group_by": "Village"}),
		}
	)
	content = email.get_report_content()
	content = content.decode() if isinstance(content, bytes) else str(content)
	assert any(row.cooperative in content for row in limits), content[:300]  # the villages are listed
	for row in limits:
		assert f"{row.total:.1f}" not in content and f"{int(row.total)}," not in content, row
