"""The scope boundary over real HTTP: a village user (新民堡村) and a town user (树林召镇) try
the generic paths where Frappe does not apply User Permissions (child tables, searches
that drop user permissions, files, reports, group-by counts, global search).

Expected rows are read in-process from the committed demo county."""

import frappe
import pytest

from agri_coop.security.boundary_api import MAX_PAGE_LENGTH
from agri_coop.tests.security.responses import data, message
from agri_coop.tests.utils import SHULINZHAO, SMC_USER, TOWN_USER, VILLAGE_USER, XINMINBAO

DEMO_SHEET = "/private/files/demo-社员上线信息采集表.csv"


def own_members(cooperatives=(XINMINBAO,)) -> set[str]:
	return set(frappe.get_all("Coop Member", {"cooperative": ("in", cooperatives)}, pluck="name"))


def town_tree() -> list[str]:
	return frappe.get_all("Cooperative", {"town": SHULINZHAO}, pluck="name")


def refused(response):
	return response.status_code in (403, 417) or response.json().get("exc_type") == "PermissionError"


def refused_foreign_file(response):
	"""Refused by the app's own rule (not by some other error on the way)."""
	return response.status_code == 403 and "a file you cannot read" in response.text


# --- link search ---------------------------------------------------------------------


@pytest.mark.parametrize("method", ["frappe.desk.search.search_link", "frappe.desk.search.search_widget"])
def test_search_ignoring_user_permissions_keeps_the_village(login, method):
	village = login(VILLAGE_USER)
	expected = own_members()
	assert len(expected) == 12
	reply = message(
		village.call(
			method,
			doctype="Coop Member",
			txt="",
			page_length=50,
			reference_doctype="Campaign Order Line",
			ignore_user_permissions=1,
		)
	)
	names = {row["value"] if isinstance(row, dict) else row[0] for row in reply}
	assert names == expected


def test_search_cooperative_and_customer_ignoring_user_permissions(login):
	village = login(VILLAGE_USER)
	coops = message(
		village.call(
			"frappe.desk.search.search_link",
			doctype="Cooperative",
			txt="",
			page_length=50,
			reference_doctype="Coop Member",
			ignore_user_permissions=1,
		)
	)
	assert [row["value"] for row in coops] == [XINMINBAO]

	response = village.call(
		"frappe.desk.search.search_link",
		doctype="Customer",
		txt="",
		page_length=50,
		reference_doctype="Coop Member",
		ignore_user_permissions=1,
	)
	own = set(frappe.get_all("Customer", {"agri_coop_cooperative": XINMINBAO}, pluck="name"))
	if response.status_code == 403:  # the role may not read Customers at all
		return
	assert {row["value"] for row in message(response)} <= own


def test_search_page_is_clamped(login):
	town = login(TOWN_USER)
	assert len(own_members(town_tree())) > MAX_PAGE_LENGTH
	for page_length in (0, 10_000):
		reply = message(
			town.call(
				"frappe.desk.search.search_link", doctype="Coop Member", txt="", page_length=page_length
			)
		)
		assert len(reply) == MAX_PAGE_LENGTH
		assert {row["value"] for row in reply} <= own_members(town_tree())


def test_search_on_a_hidden_field_is_refused(login):
	meta = frappe.get_meta("Coop Member")
	hidden = [df.fieldname for df in meta.fields if (df.hidden or df.permlevel) and df.fieldtype == "Data"]
	village = login(VILLAGE_USER)
	for fieldname in [*hidden, "no_such_field"]:
		response = village.call(
			"frappe.desk.search.search_widget",
			doctype="Coop Member",
			txt="1",
			searchfield=fieldname,
			page_length=0,
			ignore_user_permissions=1,
		)
		assert refused(response), fieldname


# --- child tables ----------------------------------------------------------------------


def test_campaign_order_lines_by_parent_are_own_orders_only(login):
	village = login(VILLAGE_USER)
	own_orders = set(frappe.get_all("Campaign Order", {"cooperative": XINMINBAO}, pluck="name"))
	expected = set(frappe.get_all("Campaign Order Line", {"parent": ("in", own_orders)}, pluck="name"))
	assert expected
	rows = data(
		village.get_path(
			"/api/resource/Campaign Order Line",
			parent="Campaign Order",
			fields=["name", "parent", "member"],
			limit_page_length=0,
		)
	)
	assert {row["name"] for row in rows} == expected
	assert {row["member"] for row in rows} <= own_members()


def test_child_columns_in_fields_are_scoped(login):
	village = login(VILLAGE_USER)
	rows = data(
		village.get_path(
			"/api/resource/Campaign Order",
			fields=["name", "`tabCampaign Order Line`.member"],
			limit_page_length=0,
		)
	)
	assert {row["member"] for row in rows} - {None} <= own_members()
	assert {row["name"] for row in rows} == set(
		frappe.get_all("Campaign Order", {"cooperative": XINMINBAO}, pluck="name")
	)


def test_settlement_member_rows_are_own_coops_only(login):
	village = login(VILLAGE_USER)
	expected = set(frappe.get_all("Campaign Settlement Member", {"cooperative": XINMINBAO}, pluck="name"))
	assert expected
	rows = data(
		village.get_path(
			"/api/resource/Campaign Settlement Member",
			parent="Campaign Settlement",
			fields=["name", "member", "cooperative"],
			limit_page_length=0,
		)
	)
	assert {row["name"] for row in rows} == expected

	# the settlement is county-wide: its member rows may not be joined in through it
	for params in (
		{
			"fields": [
				"name",
				"`tabCampaign Settlement Member`.member",
				"`tabCampaign Settlement Member`.rebate",
			]
		},
		{"filters": [["Campaign Settlement Member", "member", "=", sorted(own_members())[0]]]},
		{"filters": [["Campaign Settlement Member", "member", "like", "SY-%"]], "order_by": "name"},
	):
		response = village.get_path("/api/resource/Campaign Settlement", limit_page_length=0, **params)
		assert response.status_code == 403, params
		response = village.call("frappe.client.get_count", doctype="Campaign Settlement", **params)
		assert response.status_code == 403, params
	response = village.call(
		"frappe.desk.listview.get_group_by_count",
		doctype="Campaign Settlement",
		current_filters=[["Campaign Settlement Member", "rebate", ">", 0]],
		field="owner",
	)
	assert response.status_code == 403
	response = village.call(
		"frappe.client.get_value",
		doctype="Campaign Settlement",
		fieldname=["`tabCampaign Settlement Member`.rebate"],
		filters={},
	)
	assert response.status_code == 403
	# the county reads them
	smc = login(SMC_USER)
	rows = data(
		smc.get_path(
			"/api/resource/Campaign Settlement",
			limit_page_length=0,
			fields=["name", "`tabCampaign Settlement Member`.member"],
		)
	)
	assert len(rows) == frappe.db.count("Campaign Settlement Member")


@pytest.mark.parametrize(
	"child, parent",
	[
		("Campaign Settlement Cooperative", "Campaign Settlement"),
		("Campaign Settlement Voucher", "Campaign Settlement"),
		("Demand Survey Item", "Demand Survey"),
		("Purchasing Department Staff", "Purchasing Department"),
	],
)
def test_other_child_tables_are_scoped(login, child, parent):
	village = login(VILLAGE_USER)
	response = village.get_path(f"/api/resource/{child}", parent=parent, fields=["name"], limit_page_length=0)
	if response.status_code == 403:  # no read on the parent at all
		return
	from agri_coop.security.boundary import query_conditions

	condition = query_conditions(VILLAGE_USER, child)
	expected = {r[0] for r in frappe.db.sql(f"select name from `tab{child}` where {condition}")}
	assert {row["name"] for row in data(response)} == expected
	assert len(expected) < frappe.db.count(child)


def test_customers_listed_are_own_coops_only(login):
	village = login(VILLAGE_USER)
	response = village.get_path("/api/resource/Customer", fields=["name"], limit_page_length=0)
	if response.status_code == 403:
		return
	own = set(frappe.get_all("Customer", {"agri_coop_cooperative": XINMINBAO}, pluck="name"))
	assert {row["name"] for row in data(response)} == own


# --- files -----------------------------------------------------------------------------


def test_county_import_sheet_and_error_workbook_are_county_only(login):
	county_import = frappe.get_all("Member Import", {"import_file": DEMO_SHEET}, ["name", "error_file"])[0]
	assert frappe.db.get_value("File", {"file_url": DEMO_SHEET}, "attached_to_name") == county_import.name
	for user in (VILLAGE_USER, TOWN_USER):
		client = login(user)
		assert client.get_path(DEMO_SHEET).status_code == 403, user
		if county_import.error_file:
			assert client.get_path(county_import.error_file).status_code == 403, user
		assert client.get_path(f"/api/resource/Member Import/{county_import.name}").status_code == 403
		listed = data(client.get_path("/api/resource/Member Import", limit_page_length=0))
		assert county_import.name not in {row["name"] for row in listed}
		files = data(client.get_path("/api/resource/File", fields=["file_url"], limit_page_length=0))
		assert DEMO_SHEET not in {row["file_url"] for row in files}
	assert login(SMC_USER).get_path(DEMO_SHEET).status_code == 200


@pytest.fixture
def remove_attacker_files():
	yield
	for name in frappe.get_all(
		"File", {"file_url": DEMO_SHEET, "owner": ("in", (VILLAGE_USER, TOWN_USER))}, pluck="name"
	):
		frappe.delete_doc("File", name, force=True, ignore_permissions=True, delete_permanently=True)
	for name in frappe.get_all("Member Import", {"owner": ("in", (VILLAGE_USER, TOWN_USER))}, pluck="name"):
		frappe.delete_doc("Member Import", name, force=True, ignore_permissions=True)
	frappe.db.commit()


@pytest.mark.parametrize("attach_to_member", [False, True])
def test_a_file_row_with_someone_elses_private_url_is_refused(login, remove_attacker_files, attach_to_member):
	village = login(VILLAGE_USER)
	row = {"doctype": "File", "file_url": DEMO_SHEET, "file_name": "x.csv", "is_private": 1}
	if attach_to_member:
		row.update(attached_to_doctype="Coop Member", attached_to_name=sorted(own_members())[0])
	response = village.post(village.url("/api/resource/File"), json=row)
	assert refused_foreign_file(response), response.text[:300]
	assert village.get_path(DEMO_SHEET).status_code == 403


def test_upload_file_with_someone_elses_private_url_is_refused(login, remove_attacker_files):
	village = login(VILLAGE_USER)
	response = village.post(
		village.url("/api/method/upload_file"),
		data={
			"file_url": DEMO_SHEET,
			"is_private": 1,
			"doctype": "Coop Member",
			"docname": sorted(own_members())[0],
		},
	)
	assert refused_foreign_file(response), response.text[:300]
	assert village.get_path(DEMO_SHEET).status_code == 403


def test_an_own_file_row_cannot_be_repointed_at_someone_elses_private_file(login, remove_attacker_files):
	village = login(VILLAGE_USER)
	response = village.post(
		village.url("/api/method/upload_file"), files={"file": ("mine.csv", b"a,b\n")}, data={"is_private": 1}
	)
	own_file = message(response)
	try:
		response = village.put(
			village.url(f"/api/resource/File/{own_file['name']}"), json={"file_url": DEMO_SHEET}
		)
		assert refused_foreign_file(response), response.text[:300]
		assert village.get_path(DEMO_SHEET).status_code == 403
	finally:
		frappe.delete_doc("File", own_file["name"], force=True, ignore_permissions=True)
		frappe.db.commit()


def test_an_import_of_someone_elses_private_file_is_refused(login, remove_attacker_files):
	village = login(VILLAGE_USER)
	response = village.post(village.url("/api/resource/Member Import"), json={"import_file": DEMO_SHEET})
	assert refused_foreign_file(response), response.text[:300]
	assert village.get_path(DEMO_SHEET).status_code == 403


# --- group-by counts, reports, global search ----------------------------------------------


def test_group_by_count_is_scoped(login):
	village = login(VILLAGE_USER)
	counts = message(
		village.call(
			"frappe.desk.listview.get_group_by_count",
			doctype="Coop Member",
			current_filters={},
			field="cooperative",
		)
	)
	assert [(row["name"], row["count"]) for row in counts] == [(XINMINBAO, 12)]


@pytest.fixture
def todo_outside_scope():
	outside = frappe.get_all("Coop Member", {"cooperative": ("!=", XINMINBAO)}, pluck="name", limit=1)[0]
	todo = frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": SMC_USER,
			"reference_type": "Coop Member",
			"reference_name": outside,
			"description": "boundary test",
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	yield todo
	frappe.delete_doc("ToDo", todo.name, force=True, ignore_permissions=True)
	frappe.db.commit()


def test_group_by_assigned_to_counts_only_records_in_scope(login, todo_outside_scope):
	village = login(VILLAGE_USER)
	counts = message(
		village.call(
			"frappe.desk.listview.get_group_by_count",
			doctype="Coop Member",
			current_filters={},
			field="assigned_to",
		)
	)
	assert SMC_USER not in {row["name"] for row in counts}
	smc = login(SMC_USER)
	counts = message(
		smc.call(
			"frappe.desk.listview.get_group_by_count",
			doctype="Coop Member",
			current_filters={},
			field="assigned_to",
		)
	)
	assert SMC_USER in {row["name"] for row in counts}


def test_query_report_ignores_a_caller_supplied_user(login):
	village = login(VILLAGE_USER)
	honest = message(
		village.call(
			"frappe.desk.query_report.run",
			report_name="Member Registration Rate",
			filters={},
			ignore_prepared_report=1,
		)
	)
	forged = message(
		village.call(
			"frappe.desk.query_report.run",
			report_name="Member Registration Rate",
			filters={},
			user="Administrator",
			ignore_prepared_report=1,
		)
	)
	assert forged["result"] == honest["result"]
	assert {row["cooperative"] for row in forged["result"]} - {None} == {XINMINBAO}
	for report in ("Demand Summary", "Rebates"):
		rows = message(
			village.call(
				"frappe.desk.query_report.run",
				report_name=report,
				filters={},
				user="Administrator",
				ignore_prepared_report=1,
			)
		)["result"]
		rows = [row for row in rows if isinstance(row, dict)]
		# the village's own town may head its rows, with the village's figures only
		assert {row.get("cooperative") for row in rows} - {None} <= {XINMINBAO, SHULINZHAO}, report
		if report == "Rebates":
			town = [row for row in rows if row.get("cooperative") == SHULINZHAO]
			own = [row for row in rows if row.get("cooperative") == XINMINBAO]
			assert sum(r["net_purchases"] for r in town) == sum(r["net_purchases"] for r in own)


def test_prepared_reports_of_others_are_not_readable(login):
	village = login(VILLAGE_USER)
	others = frappe.get_all("Prepared Report", {"owner": ("!=", VILLAGE_USER)}, pluck="name")
	response = village.get_path("/api/resource/Prepared Report", limit_page_length=0)
	if response.status_code != 403:  # the role has no DocPerm on Prepared Report
		assert {row["name"] for row in data(response)} & set(others) == set()
	for name in others[:3]:
		assert village.get_path(f"/api/resource/Prepared Report/{name}").status_code == 403


def test_global_search_returns_only_records_in_scope(login):
	village = login(VILLAGE_USER)
	for text in ("村", "镇", "合作社"):
		rows = message(village.call("frappe.utils.global_search.search", text=text, limit=50))
		for row in rows:
			if row["doctype"] in ("Cooperative", "Coop Member", "Customer"):
				assert frappe.get_value(row["doctype"], row["name"], "name")
				from agri_coop.security.boundary import cooperatives_of

				assert cooperatives_of(frappe.get_doc(row["doctype"], row["name"])) <= {XINMINBAO}, row


def test_settlement_document_is_not_read_whole_by_a_village(login):
	"""The settlement holds every co-op's rows: Frappe's User Permissions on the rows' links
	refuse the whole document to a scoped user (its own rows come through the child list)."""
	village = login(VILLAGE_USER)
	name = frappe.get_all("Campaign Settlement", {"docstatus": 1}, pluck="name")[0]
	for response in (
		village.get_path(f"/api/resource/Campaign Settlement/{name}"),
		village.call("frappe.client.get", doctype="Campaign Settlement", name=name),
		village.call("frappe.desk.form.load.getdoc", doctype="Campaign Settlement", name=name),
		village.get_path(
			"/api/method/frappe.utils.print_format.download_pdf", doctype="Campaign Settlement", name=name
		),
		village.get_path("/printview", doctype="Campaign Settlement", name=name),
	):
		assert response.status_code == 403, response.request.url
	assert login(SMC_USER).get_path(f"/api/resource/Campaign Settlement/{name}").status_code == 200


def test_query_report_export_is_the_users_scope(login):
	from agri_coop.tests.utils import LINYUAN

	village = login(VILLAGE_USER)
	response = village.call(
		"frappe.desk.query_report.export_query",
		report_name="Member Registration Rate",
		file_format_type="CSV",
		filters={},
		user="Administrator",
		visible_idx=[],
		include_indentation=0,
	)
	assert response.status_code == 200, response.text[:300]
	text = response.content.decode("utf-8-sig")
	region = frappe.db.get_value("Cooperative", XINMINBAO, "region_name")
	assert region in text or XINMINBAO in text
	sibling = frappe.db.get_value("Cooperative", LINYUAN, "region_name")
	assert sibling not in text and LINYUAN not in text


def test_town_user_sees_its_town_and_villages_on_the_same_paths(login):
	town = login(TOWN_USER)
	tree = set(town_tree())
	coops = message(
		town.call(
			"frappe.desk.search.search_link",
			doctype="Cooperative",
			txt="",
			page_length=50,
			reference_doctype="Coop Member",
			ignore_user_permissions=1,
		)
	)
	assert {row["value"] for row in coops} == tree
	orders = set(frappe.get_all("Campaign Order", {"cooperative": ("in", tree)}, pluck="name"))
	rows = data(
		town.get_path(
			"/api/resource/Campaign Order Line",
			parent="Campaign Order",
			fields=["name", "parent"],
			limit_page_length=0,
		)
	)
	assert {row["name"] for row in rows} == set(
		frappe.get_all("Campaign Order Line", {"parent": ("in", orders)}, pluck="name")
	)
	counts = message(
		town.call(
			"frappe.desk.listview.get_group_by_count",
			doctype="Coop Member",
			current_filters={},
			field="cooperative",
		)
	)
	assert {row["name"]: row["count"] for row in counts} == {
		coop: frappe.db.count("Coop Member", {"cooperative": coop})
		for coop in tree
		if frappe.db.count("Coop Member", {"cooperative": coop})
	}


def test_county_roles_read_the_county(login):
	for user in (SMC_USER, "leader@dalate.demo"):
		client = login(user)
		response = client.get_path("/api/resource/Coop Member", fields=["name"], limit_page_length=0)
		if response.status_code == 403:  # a role without Coop Member read
			continue
		assert len(data(response)) == frappe.db.count("Coop Member"), user
