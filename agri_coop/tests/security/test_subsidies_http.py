"""Subsidies over real HTTP (the committed demo's programmes and applications): a town user
(树林召镇) reads only its own organisations' applications — list, document, child rows,
report rows and totals — and can neither apply for another town, set the acceptance result
nor pay; a village user sees no town application; the leadership office reads and writes
nothing."""

import frappe
import pytest

from agri_coop.demo.subsidies import OTHER_TOWN, PROGRAMS
from agri_coop.security.boundary import allowed_cooperatives
from agri_coop.tests.security.responses import message
from agri_coop.tests.utils import SHULINZHAO, TOWN_USER, VILLAGE_USER, ZHAOJUN

LEADER = "leader@dalate.demo"
ACCOUNTANT = "accountant@dalate.demo"


def scope_of(user) -> set:
	return set(allowed_cooperatives(user) or [])


def other_town_application() -> str:
	name = frappe.db.get_value("Subsidy Application", {"beneficiary": OTHER_TOWN})
	assert name, "the demo has an application of 王爱召镇"
	return name


def own_submitted_application() -> frappe._dict:
	return frappe.get_all(
		"Subsidy Application",
		{"cooperative": SHULINZHAO, "docstatus": 1, "program": PROGRAMS["project"]},
		["name", "acceptance_result"],
	)[0]


@pytest.mark.parametrize("user", [TOWN_USER, VILLAGE_USER])
def test_list_holds_the_scope(login, user):
	client = login(user)
	rows = message(
		client.call(
			"frappe.client.get_list",
			doctype="Subsidy Application",
			fields=["name", "cooperative", "eligible_amount"],
			limit_page_length=0,
		)
	)
	allowed = scope_of(user)
	assert all(row["cooperative"] in allowed for row in rows), rows
	names = {row["name"] for row in rows}
	assert other_town_application() not in names
	if user == TOWN_USER:
		expected = set(
			frappe.get_all("Subsidy Application", {"cooperative": ("in", list(allowed))}, pluck="name")
		)
		assert names == expected and names
	else:
		assert not any(row["cooperative"] == SHULINZHAO for row in rows)


def test_another_towns_application_and_its_rows_are_closed(login):
	client = login(TOWN_USER)
	other = other_town_application()
	assert client.get_path(f"/api/resource/Subsidy Application/{other}").status_code == 403
	assert client.call("frappe.client.get", doctype="Subsidy Application", name=other).status_code == 403
	rows = message(
		client.call(
			"frappe.client.get_list",
			doctype="Subsidy Tranche",
			filters={"parent": other},
			fields=["name", "amount"],
			parent="Subsidy Application",
		)
	)
	assert rows == []
	print_page = client.get_path(
		"/printview", doctype="Subsidy Application", name=other, format="奖补资金拨付审批表"
	)
	assert other not in print_page.text or print_page.status_code != 200


def test_report_rows_and_totals_are_the_towns_own(login):
	client = login(TOWN_USER)
	result = message(
		client.call(
			"frappe.desk.query_report.run",
			report_name="Subsidies",
			filters={},
			ignore_prepared_report=1,
		)
	)
	rows = [row for row in result["result"] if isinstance(row, dict) and row.get("name")]
	own = set(
		frappe.get_all(
			"Subsidy Application", {"cooperative": ("in", list(scope_of(TOWN_USER)))}, pluck="name"
		)
	)
	assert {row["name"] for row in rows} == own
	paid = sum(
		frappe.get_all(
			"Subsidy Application", {"name": ("in", list(own)), "docstatus": 1}, pluck="paid_amount"
		)
	)
	summary = {item["label"]: item["value"] for item in result["report_summary"]}
	assert round(summary["已拨付"] if "已拨付" in summary else summary["Paid Out"], 2) == round(paid, 2)
	by_programme = message(
		client.call(
			"frappe.desk.query_report.run",
			report_name="Subsidies",
			filters={"group_by": "Programme"},
			ignore_prepared_report=1,
		)
	)
	fields = {column["fieldname"] for column in by_programme["columns"]}
	assert not fields & {"budget", "remaining_budget", "gl_balance", "difference"}  # the county's figures


def test_town_user_cannot_apply_for_another_town_nor_decide_acceptance(login):
	client = login(TOWN_USER)
	response = client.call(
		"frappe.client.insert",
		doc={
			"doctype": "Subsidy Application",
			"program": PROGRAMS["acceptance"],
			"beneficiary_type": "Cooperative",
			"beneficiary": ZHAOJUN,
			"year": 2024,
			"part": "Credit Cooperation",
		},
	)
	assert response.status_code in (403, 417), response.text[:300]
	assert not frappe.db.exists(
		"Subsidy Application", {"beneficiary": ZHAOJUN, "program": PROGRAMS["acceptance"]}
	)
	own = own_submitted_application()
	client.call(
		"frappe.client.set_value",
		doctype="Subsidy Application",
		name=own.name,
		fieldname="acceptance_result",
		value="Acceptance Passed",
	)
	frappe.db.rollback()
	assert frappe.db.get_value("Subsidy Application", own.name, "acceptance_result") == own.acceptance_result


@pytest.mark.parametrize("user", [TOWN_USER, LEADER])
def test_only_the_accounts_roles_pay(login, user):
	client = login(user)
	app = frappe.get_doc("Subsidy Application", own_submitted_application().name)
	unpaid = [row.name for row in app.tranches if not row.journal_entry] or [app.tranches[0].name]
	response = client.call(
		"agri_coop.subsidies.payments.pay_tranche", application=app.name, tranche=unpaid[0]
	)
	assert response.status_code == 403, response.text[:300]
	response = client.call(
		"agri_coop.subsidies.payments.receive_funds",
		program=PROGRAMS["project"],
		amount=1,
		posting_date="2024-05-01",
	)
	assert response.status_code == 403, response.text[:300]


def test_leadership_office_reads_all_and_writes_nothing(login):
	client = login(LEADER)
	rows = message(client.call("frappe.client.get_list", doctype="Subsidy Application", limit_page_length=0))
	assert len(rows) == frappe.db.count("Subsidy Application")
	other = other_town_application()
	response = client.call(
		"frappe.client.set_value",
		doctype="Subsidy Application",
		name=other,
		fieldname="evidence_notes",
		value="x",
	)
	assert response.status_code in (403, 417), response.text[:300]
	response = client.call(
		"frappe.client.insert",
		doc={"doctype": "Subsidy Program", "program_name": "x", "rule_type": "Project Fund"},
	)
	assert response.status_code in (403, 417)


def test_accountant_sees_the_county_and_the_reconciliation(login):
	client = login(ACCOUNTANT)
	result = message(
		client.call(
			"frappe.desk.query_report.run",
			report_name="Subsidies",
			filters={"group_by": "Programme"},
			ignore_prepared_report=1,
		)
	)
	rows = [row for row in result["result"] if isinstance(row, dict) and row.get("program")]
	assert {row["program"] for row in rows} >= set(PROGRAMS.values())
	assert all(row["difference"] == 0 for row in rows), rows


def excel_rows(response) -> list[tuple]:
	import io

	from openpyxl import load_workbook

	assert response.status_code == 200, response.text[:300]
	assert response.content[:2] == b"PK"
	sheet = load_workbook(io.BytesIO(response.content)).active
	return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


@pytest.mark.parametrize("user", [TOWN_USER, LEADER])
def test_excel_export_holds_the_scope(login, user):
	client = login(user)
	response = client.call(
		"frappe.desk.query_report.export_query",
		report_name="Subsidies",
		file_format_type="Excel",
		filters={},
		visible_idx=[],
		include_indentation=0,
	)
	cells = {str(value) for row in excel_rows(response) for value in row if value}
	other = other_town_application()
	if user == TOWN_USER:
		assert other not in cells
		own = frappe.get_all("Subsidy Application", {"cooperative": SHULINZHAO}, pluck="name")
		assert set(own) <= cells
	else:
		assert other in cells
