"""Traceability over real HTTP (issue 15): the public QR page as Guest carries no personal
data; a village user reads its own distributions only on every read path (list, document,
child rows, child columns, client helpers, group-by, the three reports and their export,
the batch search of the form); mobiles on the recall list follow the role's masking.

Expected rows are read in-process from the committed demo (agri_coop.demo.traceability)."""

import frappe
import pytest
import requests

from agri_coop.demo.traceability import BATCHES, CAMPAIGN, IMIDACLOPRID, RECALLED_BATCH
from agri_coop.tests.security.responses import data, message
from agri_coop.tests.utils import LINYUAN, TOWN_USER, VILLAGE_USER, XINMINBAO
from agri_coop.utils.mobile import mask_mobile

WAREHOUSE_USER = "warehouse@dalate.demo"


def refused(response):
	return response.status_code in (403, 404, 417) or response.json().get("exc_type") == "PermissionError"


def distributions(cooperatives) -> set[str]:
	return set(
		frappe.get_all(
			"Member Distribution", {"cooperative": ("in", cooperatives), "docstatus": 1}, pluck="name"
		)
	)


def receivers(cooperatives) -> list[dict]:
	names = distributions(cooperatives)
	return frappe.get_all(
		"Member Distribution Item",
		{"parent": ("in", names or [""])},
		["name", "member", "member_name", "parent"],
	)


@pytest.fixture(scope="module")
def demo():
	own, sibling = distributions([XINMINBAO]), distributions([LINYUAN])
	assert own and sibling, "the traceability demo gives both villages a distribution"
	return frappe._dict(own=own, sibling=sibling)


def run_report(client, report, filters, **extra):
	return message(
		client.call(
			"frappe.desk.query_report.run",
			report_name=report,
			filters=filters,
			ignore_prepared_report=1,
			**extra,
		)
	)["result"]


# --- the public QR page -------------------------------------------------------------------


def test_public_trace_page_shows_the_batch_and_no_personal_data(server_url, demo):
	registration = frappe.db.get_value("Item", IMIDACLOPRID, "agri_coop_registration_no")
	people = receivers([XINMINBAO, LINYUAN])
	members = frappe.get_all(
		"Coop Member",
		{"name": ("in", [r.member for r in people])},
		["name", "member_name", "mobile", "id_number_masked"],
	)
	notes = frappe.get_all("Delivery Note", {"agri_coop_campaign": CAMPAIGN}, pluck="name")
	guest = requests.Session()
	for batch in BATCHES:
		token = frappe.db.get_value("Batch", batch, "agri_coop_trace_token")
		assert token and len(token) >= 20 and batch not in token
		page = guest.get(f"{server_url}/trace/{token}")
		assert page.status_code == 200, page.text[:300]
		html = page.text
		assert registration in html and batch in html
		assert frappe.db.get_value("Item", IMIDACLOPRID, "item_name") in html
		for member in members:
			for value in (member.name, member.member_name, member.mobile, member.id_number_masked):
				assert not value or value not in html, f"{value} on the public page of {batch}"
		for value in (*notes, *demo.own, *demo.sibling, XINMINBAO, LINYUAN):
			assert value not in html
		assert ("召回" in html or "recalled" in html.lower()) == (batch == RECALLED_BATCH)
	# neither a guessed token nor the batch name opens a page
	for token in ("x" * 24, RECALLED_BATCH):
		assert guest.get(f"{server_url}/trace/{token}").status_code == 404
	# Guest reads no batch, distribution or recall through the API
	for doctype in ("Batch", "Member Distribution", "Member Distribution Item", "Batch Recall"):
		assert refused(guest.get(f"{server_url}/api/resource/{doctype}"))


# --- a village reads its own distributions only ---------------------------------------------


def test_village_lists_and_opens_only_its_own_distributions(login, demo):
	village = login(VILLAGE_USER)
	listed = data(
		village.get_path(
			"/api/resource/Member Distribution", fields=["name", "cooperative"], limit_page_length=0
		)
	)
	assert {row["name"] for row in listed} == demo.own
	for name in demo.sibling:
		assert refused(village.get_path(f"/api/resource/Member Distribution/{name}"))
		assert refused(village.call("frappe.client.get", doctype="Member Distribution", name=name))
		reply = village.call(
			"frappe.client.get_value", doctype="Member Distribution", filters=name, fieldname="cooperative"
		)
		assert refused(reply) or not (reply.json().get("message") or {}).get("cooperative")
	(own,) = sorted(demo.own)[:1]
	doc = data(village.get_path(f"/api/resource/Member Distribution/{own}"))
	assert doc["cooperative"] == XINMINBAO and doc["items"]


@pytest.fixture(scope="module")
def other_town_user():
	"""Committed, kept like the demo's users: a town user of 昭君镇 (the demo's distributions are
	all 树林召镇's). Not removed after: other tests' users come and go in their own transactions."""
	from frappe.utils.password import update_password

	from agri_coop.demo.county import DEMO_PASSWORD
	from agri_coop.organisation.users import create_scoped_user
	from agri_coop.tests.utils import ZHAOJUN

	frappe.set_user("Administrator")
	user = "zhaojun-town-http@dalate.demo"
	if not frappe.db.exists("User", user):
		create_scoped_user(user, "昭君镇测试", ZHAOJUN)
	update_password(user, DEMO_PASSWORD)
	frappe.db.commit()
	return user


def test_another_town_reads_none_of_these_distributions(login, demo, other_town_user):
	"""A town user of 昭君镇: none of 树林召镇's distributions or their rows, on any path."""
	client = login(other_town_user)
	listed = data(client.get_path("/api/resource/Member Distribution", fields=["name"], limit_page_length=0))
	assert not {row["name"] for row in listed} & (demo.own | demo.sibling)
	count = message(client.call("frappe.client.get_count", doctype="Member Distribution"))
	assert count == len(listed)
	rows = client.call(
		"frappe.client.get_list",
		doctype="Member Distribution Item",
		parent="Member Distribution",
		fields=["name", "member_name"],
		limit_page_length=0,
	)
	assert refused(rows) or not {r["name"] for r in rows.json()["message"]} & {
		r.name for r in receivers([XINMINBAO, LINYUAN])
	}
	for name in sorted(demo.own | demo.sibling):
		assert refused(client.get_path(f"/api/resource/Member Distribution/{name}"))
		assert refused(client.call("frappe.client.get", doctype="Member Distribution", name=name))
	found = message(client.call("frappe.desk.search.search_link", doctype="Member Distribution", txt=""))
	assert not {r.get("value") for r in found} & (demo.own | demo.sibling)
	# the town's own user (树林召镇) does see them: the test above is not vacuous
	own_town = data(
		login(TOWN_USER).get_path("/api/resource/Member Distribution", fields=["name"], limit_page_length=0)
	)
	assert demo.own | demo.sibling <= {row["name"] for row in own_town}


def test_village_reads_only_its_own_receipt_rows(login, demo):
	village = login(VILLAGE_USER)
	own_rows = {r.name for r in receivers([XINMINBAO])}
	own_members = {r.member for r in receivers([XINMINBAO])}
	rows = data(
		village.get_path(
			"/api/resource/Member Distribution Item",
			parent="Member Distribution",
			fields=["name", "member", "batch_no", "qty"],
			limit_page_length=0,
		)
	)
	assert {r["name"] for r in rows} == own_rows
	columns = data(
		village.get_path(
			"/api/resource/Member Distribution",
			fields=["name", "`tabMember Distribution Item`.member"],
			limit_page_length=0,
		)
	)
	assert {r["member"] for r in columns} - {None} <= own_members
	listed = message(
		village.call(
			"frappe.client.get_list",
			doctype="Member Distribution Item",
			parent="Member Distribution",
			fields=["member"],
			limit_page_length=0,
		)
	)
	assert {r["member"] for r in listed} <= own_members
	counts = message(
		village.call(
			"frappe.desk.listview.get_group_by_count",
			doctype="Member Distribution",
			current_filters={},
			field="cooperative",
		)
	)
	assert {row["name"] for row in counts} <= {XINMINBAO}


def test_the_forms_batch_search_is_the_villages_own_delivery(login, demo):
	village = login(VILLAGE_USER)
	own_note = frappe.db.get_value("Member Distribution", sorted(demo.own)[0], "delivery_note")
	sibling_note = frappe.db.get_value("Member Distribution", sorted(demo.sibling)[0], "delivery_note")

	def search(note):
		return message(
			village.call(
				"frappe.desk.search.search_link",
				doctype="Batch",
				txt="",
				query="agri_coop.traceability.api.distribution_batches",
				filters={"delivery_note": note, "item_code": IMIDACLOPRID},
			)
		)

	assert search(sibling_note) == []
	assert search(own_note) == [] or {row["value"] for row in search(own_note)} <= set(BATCHES)


def test_village_may_not_recall_or_forge_a_distribution_for_another_village(login, demo):
	village = login(VILLAGE_USER)
	assert refused(
		village.call(
			"frappe.client.insert", doc={"doctype": "Batch Recall", "batch": RECALLED_BATCH, "reason": "x"}
		)
	)
	sibling_note = frappe.db.get_value("Member Distribution", sorted(demo.sibling)[0], "delivery_note")
	member = receivers([LINYUAN])[0].member
	reply = village.call(
		"frappe.client.insert",
		doc={
			"doctype": "Member Distribution",
			"delivery_note": sibling_note,
			"posting_date": frappe.utils.nowdate(),
			"items": [{"member": member, "item_code": IMIDACLOPRID, "batch_no": RECALLED_BATCH, "qty": 1}],
		},
	)
	assert refused(reply) or reply.status_code == 417
	assert frappe.db.count("Member Distribution", {"delivery_note": sibling_note}) == len(demo.sibling)


# --- reports -----------------------------------------------------------------------------


@pytest.mark.parametrize(
	"report, filters",
	[
		("Batch Trace", {"batch": RECALLED_BATCH}),
		("Batch Recall List", {"batch": RECALLED_BATCH}),
		("Pesticide Sales Ledger", {"from_date": "2024-01-01", "to_date": "2024-12-31"}),
	],
)
def test_reports_show_a_village_its_own_members_only(login, demo, report, filters):
	village = login(VILLAGE_USER)
	sibling_people = {r.member for r in receivers([LINYUAN])} - {r.member for r in receivers([XINMINBAO])}
	own_people = {r.member for r in receivers([XINMINBAO])}
	for extra in ({}, {"user": "Administrator"}):
		rows = [r for r in run_report(village, report, filters, **extra) if isinstance(r, dict)]
		text = str(rows)
		assert not any(m in text for m in sibling_people), report
		assert not any(d in text for d in demo.sibling), report
		if report != "Batch Trace":
			assert {r.get("member") for r in rows} - {None} <= own_people
	# the town sees both villages
	town_rows = str(run_report(login(TOWN_USER), report, filters))
	assert any(d in town_rows for d in demo.sibling) or (report == "Batch Trace" and LINYUAN in town_rows)


def test_ledger_export_is_the_villages_own(login, demo):
	village = login(VILLAGE_USER)
	response = village.call(
		"frappe.desk.query_report.export_query",
		report_name="Pesticide Sales Ledger",
		file_format_type="CSV",
		filters={"from_date": "2024-01-01", "to_date": "2024-12-31"},
		user="Administrator",
		visible_idx=[],
		include_indentation=0,
	)
	assert response.status_code == 200, response.text[:300]
	text = response.content.decode("utf-8-sig")
	assert any(d in text for d in demo.own)
	assert not any(d in text for d in demo.sibling)
	sibling_only = {r.member for r in receivers([LINYUAN])} - {r.member for r in receivers([XINMINBAO])}
	assert not any(m in text for m in sibling_only)


def test_recall_list_mobiles_follow_the_role(login, demo):
	people = {r.member for r in receivers([XINMINBAO, LINYUAN])}
	mobiles = dict(
		frappe.get_all("Coop Member", {"name": ("in", list(people))}, ["name", "mobile"], as_list=True)
	)
	warehouse_rows = [
		r
		for r in run_report(login(WAREHOUSE_USER), "Batch Recall List", {"batch": RECALLED_BATCH})
		if r.get("member")
	]
	assert warehouse_rows
	for row in warehouse_rows:
		assert row["mobile"] == mask_mobile(mobiles[row["member"]]) and "*" in row["mobile"]
		assert "*" in (row["id_number_masked"] or "*")
	village_rows = [
		r
		for r in run_report(login(VILLAGE_USER), "Batch Recall List", {"batch": RECALLED_BATCH})
		if r.get("member")
	]
	assert village_rows and all(row["mobile"] == mobiles[row["member"]] for row in village_rows)


def test_a_village_may_pick_a_batch_but_not_read_batches(login, demo):
	"""Select (link checks, the distribution's and the reports' batch fields), not read."""
	village = login(VILLAGE_USER)
	checked = message(village.call("frappe.client.validate_link", doctype="Batch", docname=RECALLED_BATCH))
	assert checked["name"] == RECALLED_BATCH
	assert refused(village.get_path(f"/api/resource/Batch/{RECALLED_BATCH}"))
	assert refused(village.call("frappe.client.get", doctype="Batch", name=RECALLED_BATCH))
