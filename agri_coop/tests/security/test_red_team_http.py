"""What a red-team pass over the demo desk found after the first round of fixes, each tried
again over real HTTP: field names written with JSON escapes, the `table.column` shorthand,
Frappe's Data Import / Data Export tools, ERPNext helpers that check no permission, and the
leadership office writing through Frappe's "All" role."""

import json

import frappe
import pytest

from agri_coop.security.privacy import decrypt_id_number
from agri_coop.tests.utils import LINYUAN, SHULINZHAO, XINMINBAO

VILLAGE = "xinminbao@dalate.demo"
TOWN = "shulinzhao@dalate.demo"
LEADER = "leader@dalate.demo"
WAREHOUSE = "warehouse@dalate.demo"
UNPRIVILEGED = (VILLAGE, TOWN, LEADER, WAREHOUSE)
BIRTH_DATE = "\\u0062irth_date"  # birth_date, as a JSON escape: the raw request text differs


def full_numbers() -> list[str]:
	rows = frappe.get_all("Coop Member", pluck="id_number_encrypted")
	return [decrypt_id_number(token) for token in rows if token]


def forbidden(response):
	assert response.status_code == 403, (response.status_code, response.text[:300])
	return True


@pytest.mark.parametrize("user", UNPRIVILEGED)
def test_escaped_field_names_are_still_refused(login, user):
	client = login(user)
	count = client.call(
		"frappe.client.get_count",
		doctype="Coop Member",
		filters='{"' + BIRTH_DATE + '": [">", "1980-01-01"]}',
	)
	assert forbidden(count)
	listing = client.call(
		"frappe.client.get_list", doctype="Coop Member", fields='["name", "' + BIRTH_DATE + '"]'
	)
	assert forbidden(listing)


@pytest.mark.parametrize("user", UNPRIVILEGED)
def test_data_import_template_exports_nothing_personal(login, user):
	"""The masked number (digits 1-6, 15-18) beside the birth date (7-14) is the full number."""
	response = login(user).call(
		"frappe.core.doctype.data_import.data_import.download_template",
		doctype="Coop Member",
		export_records="all",
		file_type="CSV",
		export_fields='{"Coop Member": ["name", "id_number_\\u0068ash", "'
		+ BIRTH_DATE
		+ '", "id_number_masked"]}',
	)
	assert forbidden(response)
	assert not any(number in response.text for number in full_numbers())


@pytest.mark.parametrize("user", (VILLAGE, TOWN))
def test_settlement_rows_of_other_coops_by_table_field_shorthand(login, user):
	client = login(user)
	for fields in (
		["name", "members.member", "members.rebate", "members.cooperative"],
		["name", "cooperatives.cooperative", "cooperatives.total"],
		["name", "vouchers.voucher_no", "vouchers.amount"],
		["name", "`tab\\u0043ampaign Settlement Member`.member"],
	):
		text = "[" + ", ".join(f'"{f}"' for f in fields) + "]"
		assert forbidden(client.get_path("/api/resource/Campaign Settlement", fields=text)), fields
		assert forbidden(client.call("frappe.client.get_list", doctype="Campaign Settlement", fields=text))
		assert forbidden(
			client.call("frappe.desk.reportview.get", doctype="Campaign Settlement", fields=text)
		)


@pytest.mark.parametrize("user", (VILLAGE, TOWN, LEADER))
def test_settlement_rows_through_the_export_tools(login, user):
	client = login(user)
	template = client.call(
		"frappe.core.doctype.data_import.data_import.download_template",
		doctype="Campaign Settlement",
		export_records="all",
		file_type="CSV",
		export_fields=json.dumps(
			{"Campaign Settlement": ["name"], "members": ["member", "rebate", "cooperative"]}
		),
	)
	assert forbidden(template)
	exported = client.call(
		"frappe.core.doctype.data_export.exporter.export_data",
		doctype="Campaign Settlement",
		select_columns=json.dumps(
			{
				"Campaign Settlement": ["name"],
				"Campaign Settlement Member": ["member", "rebate", "cooperative"],
			}
		),
		all_doc=1,
		with_data=1,
	)
	assert forbidden(exported)


def test_county_accountant_still_exports_with_the_tools(login):
	response = login("accountant@dalate.demo").call(
		"frappe.core.doctype.data_import.data_import.download_template",
		doctype="Coop Member",
		export_records="5_records",
		file_type="CSV",
		export_fields=json.dumps({"Coop Member": ["name", "member_name"]}),
	)
	assert response.ok, response.text[:300]
	assert "member_name" in response.text or "社员" in response.text or response.content


def other_coops(doctype: str) -> str:
	"""A submitted selling document of a co-op outside 树林召镇: outside the village user's
	scope (新民堡村) and the town user's alike (a sibling village's is in the town's)."""
	town_tree = [SHULINZHAO, *frappe.get_all("Cooperative", {"town": SHULINZHAO}, pluck="name")]
	return frappe.get_all(
		doctype, {"docstatus": 1, "agri_coop_cooperative": ("not in", town_tree)}, pluck="name", limit=1
	)[0]


@pytest.mark.parametrize("user", (VILLAGE, LEADER))
def test_status_of_orders_cannot_be_changed_without_write_permission(login, user):
	client = login(user)
	sales_order = other_coops("Sales Order")
	purchase_order = frappe.get_all("Purchase Order", {"docstatus": 1}, pluck="name", limit=1)[0]
	before = (
		frappe.db.get_value("Sales Order", sales_order, "status"),
		frappe.db.get_value("Purchase Order", purchase_order, "status"),
	)
	assert forbidden(
		client.call(
			"erpnext.selling.doctype.sales_order.sales_order.update_status", status="Closed", name=sales_order
		)
	)
	assert forbidden(
		client.call(
			"erpnext.buying.doctype.purchase_order.purchase_order.update_status",
			status="On Hold",
			name=purchase_order,
		)
	)
	assert forbidden(
		client.call(
			"erpnext.selling.doctype.sales_order.sales_order.close_or_unclose_sales_orders",
			names=json.dumps([sales_order]),
			status="Closed",
		)
	)
	frappe.db.rollback()  # read what the server committed
	after = (
		frappe.db.get_value("Sales Order", sales_order, "status"),
		frappe.db.get_value("Purchase Order", purchase_order, "status"),
	)
	assert after == before


@pytest.mark.parametrize("user", (VILLAGE, TOWN, LEADER))
def test_balances_of_other_coops_are_not_answered(login, user):
	client = login(user)
	company = (
		frappe.db.get_value("Cooperative", {"cooperative_type": "County SMC"}, "company")
		or frappe.get_all("Company", pluck="name")[0]
	)
	balance = client.call(
		"erpnext.accounts.utils.get_balance_on",
		party_type="Cooperative",
		party=LINYUAN,
		company=company,
		date="2030-01-01",
	)
	assert forbidden(balance)
	party = client.call(
		"erpnext.accounts.doctype.payment_entry.payment_entry.get_party_details",
		company=company,
		party_type="Cooperative",
		party=LINYUAN,
		date="2030-01-01",
	)
	assert forbidden(party)
	invoice = other_coops("Sales Invoice")
	reference = client.call(
		"erpnext.accounts.doctype.payment_entry.payment_entry.get_reference_details",
		reference_doctype="Sales Invoice",
		reference_name=invoice,
		party_account_currency="CNY",
	)
	if user == LEADER:  # reads every campaign invoice anyway: its totals are no secret to it
		assert reference.ok
	else:
		assert forbidden(reference)


def test_the_accountant_still_reads_balances(login):
	response = login("accountant@dalate.demo").call(
		"erpnext.accounts.utils.get_balance_on",
		party_type="Cooperative",
		party=LINYUAN,
		company=frappe.get_all("Company", pluck="name")[0],
		date="2030-01-01",
	)
	assert response.ok, response.text[:300]


def test_the_leadership_office_writes_nothing(login):
	client = login(LEADER)
	member = frappe.get_all("Coop Member", {"cooperative": XINMINBAO}, pluck="name", limit=1)[0]
	comment = client.call(
		"frappe.desk.form.utils.add_comment",
		reference_doctype="Coop Member",
		reference_name=member,
		content="领导批示",
		comment_email=LEADER,
		comment_by="领导小组办公室",
	)
	assert forbidden(comment)
	contact = client.call(
		"frappe.client.insert", doc=json.dumps({"doctype": "Contact", "first_name": "测试联系人"})
	)
	assert forbidden(contact)
	address = client.call(
		"frappe.client.insert",
		doc=json.dumps(
			{
				"doctype": "Address",
				"address_title": "x",
				"address_line1": "x",
				"city": "达拉特旗",
				"country": "China",
			}
		),
	)
	assert forbidden(address)
	frappe.db.rollback()
	assert not frappe.db.exists("Comment", {"reference_name": member, "owner": LEADER})
	assert not frappe.db.exists("Contact", {"first_name": "测试联系人"})
	# and still reads: its own desk and a report
	assert client.get_path("/app").ok
	assert client.get_path("/api/resource/Coop Member", limit_page_length=5).ok


def test_likes_need_read_permission(login):
	other = frappe.get_all("Coop Member", {"cooperative": LINYUAN}, pluck="name", limit=1)[0]
	response = login(VILLAGE).call(
		"frappe.desk.like.toggle_like", doctype="Coop Member", name=other, add="Yes"
	)
	assert forbidden(response)
	frappe.db.rollback()
	assert VILLAGE not in (frappe.db.get_value("Coop Member", other, "_liked_by") or "")


# -- second pass


def test_a_comment_sign_hides_no_field_name(login):
	client = login(VILLAGE)
	count = client.call(
		"frappe.client.get_count",
		doctype="Coop Member",
		filters=json.dumps({"owner": ["!=", "#"], "birth_date": [">", "1900-01-01"]}),
	)
	assert forbidden(count)
	dashed = client.call(
		"frappe.desk.reportview.get_count",
		doctype="Coop Member",
		filters=json.dumps(
			[["Coop Member", "owner", "!=", "--"], ["Coop Member", "birth_date", ">", "1900-01-01"]]
		),
	)
	assert forbidden(dashed)
	rows = client.get_path(
		"/api/resource/Campaign Settlement",
		fields='["name as `a#`", "members.member", "members.rebate"]',
	)
	assert forbidden(rows)


@pytest.mark.parametrize("user", (VILLAGE, TOWN, LEADER))
def test_ad_hoc_dashboard_charts_are_refused(login, user):
	chart = {
		"document_type": "Coop Member",
		"type": "Heatmap",
		"chart_type": "Sum",
		"based_on": "birth_date",
		"heatmap_year": 1960,
		"value_based_on": "to_days(birth_date)",
		"filters_json": "[]",
	}
	response = login(user).call(
		"frappe.desk.doctype.dashboard_chart.dashboard_chart.get", chart=json.dumps(chart), no_cache=1
	)
	assert forbidden(response)


def test_calendar_field_map_cannot_name_hidden_fields(login):
	response = login(VILLAGE).call(
		"frappe.desk.calendar.get_events",
		doctype="Coop Member",
		start="1900-01-01",
		end="2030-01-01",
		field_map=json.dumps({"start": "birth_date", "end": "birth_date", "title": "member_name"}),
	)
	assert forbidden(response)


def test_outstanding_documents_and_order_events_stay_in_scope(login):
	client = login(VILLAGE)
	outstanding = client.call(
		"erpnext.accounts.doctype.payment_entry.payment_entry.get_outstanding_reference_documents",
		args=json.dumps(
			{
				"company": frappe.get_all("Company", pluck="name")[0],
				"party_type": "Customer",
				"party": LINYUAN,
				"party_account": "Debtors - DLTGX",
				"posting_date": "2030-01-01",
				"get_outstanding_invoices": True,
			}
		),
	)
	assert forbidden(outstanding)
	events = client.call(
		"erpnext.selling.doctype.sales_order.sales_order.get_events", start="2000-01-01", end="2030-01-01"
	)
	assert events.ok, events.text[:300]
	names = {e["name"] for e in events.json()["message"]}
	own = set(
		frappe.get_all("Sales Order", {"agri_coop_cooperative": XINMINBAO, "docstatus": 1}, pluck="name")
	)
	assert names and names <= own
	work_order_items = client.call(
		"erpnext.selling.doctype.sales_order.sales_order.get_work_order_items",
		sales_order=other_coops("Sales Order"),
	)
	assert forbidden(work_order_items)


def test_the_website_comment_form_needs_read_permission(login):
	other = frappe.get_all("Coop Member", {"cooperative": LINYUAN}, pluck="name", limit=1)[0]
	response = login(VILLAGE).call(
		"frappe.templates.includes.comments.comments.add_comment",
		comment="x",
		comment_email="someone@example.com",
		comment_by="某人",
		reference_doctype="Coop Member",
		reference_name=other,
		route="x",
	)
	assert forbidden(response)
	frappe.db.rollback()
	assert not frappe.db.exists("Comment", {"reference_name": other, "comment_email": "someone@example.com"})


# -- third pass: a sweep of Frappe's and ERPNext's whitelisted methods


def test_number_cards_cannot_filter_on_hidden_fields(login):
	response = login(VILLAGE).call(
		"frappe.desk.doctype.number_card.number_card.get_result",
		doc=json.dumps({"document_type": "Coop Member", "function": "Count"}),
		filters=json.dumps([["birth_date", ">", "1900-01-01"]]),
	)
	assert forbidden(response)


@pytest.mark.parametrize("user", (VILLAGE, TOWN))
def test_ledger_helpers_answer_nothing_of_other_coops(login, user):
	client = login(user)
	company = frappe.get_all("Company", pluck="name")[0]
	invoice = other_coops("Sales Invoice")
	calls = {
		"erpnext.controllers.stock_controller.show_accounting_ledger_preview": {
			"company": company,
			"doctype": "Sales Invoice",
			"docname": invoice,
		},
		"erpnext.accounts.doctype.unreconcile_payment.unreconcile_payment.get_linked_payments_for_doc": {
			"company": company,
			"doctype": "Sales Invoice",
			"docname": invoice,
		},
		"erpnext.accounts.doctype.journal_entry.journal_entry.get_payment_entry_against_invoice": {
			"dt": "Sales Invoice",
			"dn": invoice,
		},
		"erpnext.accounts.doctype.invoice_discounting.invoice_discounting.get_invoices": {"filters": "{}"},
		"erpnext.manufacturing.doctype.production_plan.production_plan.get_so_details": {
			"sales_order": other_coops("Sales Order")
		},
	}
	for method, params in calls.items():
		assert forbidden(client.call(method, **params)), method


def test_nobody_sets_another_users_notification_flag(login):
	response = login(LEADER).call(
		"frappe.desk.doctype.notification_settings.notification_settings.set_seen_value",
		value=1,
		user=VILLAGE,
	)
	assert forbidden(response)


def test_unlocking_needs_write_permission(login):
	other = frappe.get_all("Coop Member", {"cooperative": LINYUAN}, pluck="name", limit=1)[0]
	response = login(VILLAGE).call("frappe.model.document.unlock_document", doctype="Coop Member", name=other)
	assert forbidden(response)
