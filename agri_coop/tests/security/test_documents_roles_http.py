"""Over real HTTP: a campaign's ERPNext documents, the app roles' rights and scoped-user
creation (issue 9, items 4, 5 and 7).

Every refused write is checked in the database afterwards (the server commits what it
keeps, so the test's own connection starts a fresh snapshot first)."""

import frappe
import pytest
import requests
from frappe.utils import nowdate

from agri_coop.demo.county import DEMO_PASSWORD
from agri_coop.security.boundary import allowed_cooperatives
from agri_coop.tests.utils import SHULINZHAO, TOWN_USER, VILLAGE_USER, XINMINBAO

CAMPAIGN = "2023 秋季试运营 第一批"
SETTLED = "2024 春耕备肥 第一期"
SMC, ACCOUNTANT, WAREHOUSE = "smc@dalate.demo", "accountant@dalate.demo", "warehouse@dalate.demo"
LEADER, CREDIT = "leader@dalate.demo", "credit@dalate.demo"
SELLING = ("Sales Order", "Delivery Note", "Sales Invoice")


def fresh():
	"""See what the server committed since the test process last read."""
	frappe.db.rollback()


def messages(response) -> str:
	return response.text.encode().decode("unicode_escape", errors="ignore")


def campaign_item() -> str:
	return frappe.db.get_value("Purchase Campaign Item", {"parent": CAMPAIGN}, "item_code")


def village_customer() -> str:
	return frappe.db.get_value("Cooperative", XINMINBAO, "customer")


def penny_order(**values) -> dict:
	"""The attack of issue 9: a ¥0.01 Sales Order of the village, tagged with a campaign."""
	return {
		"doctype": "Sales Order",
		"company": frappe.db.get_value("Purchase Campaign", CAMPAIGN, "company"),
		"customer": village_customer(),
		"transaction_date": nowdate(),
		"delivery_date": nowdate(),
		"agri_coop_campaign": CAMPAIGN,
		"agri_coop_cooperative": XINMINBAO,
		"items": [{"item_code": campaign_item(), "qty": 1000, "rate": 0.01, "delivery_date": nowdate()}],
		**values,
	}


def tagged_count(doctype: str, campaign: str = CAMPAIGN) -> int:
	fresh()
	return frappe.db.count(doctype, {"agri_coop_campaign": campaign})


# -- item 4: campaign documents


def test_village_user_cannot_make_or_submit_a_sales_order(login):
	client = login(VILLAGE_USER)
	before = tagged_count("Sales Order")
	response = client.post(client.url("/api/resource/Sales Order"), json=penny_order())
	assert response.status_code == 403, response.text[:300]
	response = client.call("frappe.client.insert", doc=penny_order(docstatus=1))
	assert response.status_code == 403, response.text[:300]
	response = client.call("frappe.client.submit", doc=penny_order())
	assert response.status_code == 403, response.text[:300]
	assert tagged_count("Sales Order") == before


def test_county_manager_cannot_hand_make_a_campaign_sales_order(login):
	"""Sales Manager may make Sales Orders, but not one tagged with a campaign."""
	client = login(SMC)
	before = tagged_count("Sales Order")
	response = client.call("frappe.client.insert", doc=penny_order())
	assert response.status_code == 403, response.text[:300]
	assert "made by the campaign's consolidation only, not by hand" in messages(response)
	assert tagged_count("Sales Order") == before


def test_accountant_cannot_invoice_what_the_campaign_did_not_order(login):
	"""A Sales Invoice tagged with the campaign but not made from its Sales Orders would
	count as revenue in the settlement."""
	client = login(ACCOUNTANT)
	before = tagged_count("Sales Invoice")
	invoice = {
		**penny_order(doctype="Sales Invoice", due_date=nowdate(), posting_date=nowdate()),
		"items": [{"item_code": campaign_item(), "qty": 1000, "rate": 0.01}],
	}
	response = client.call("frappe.client.insert", doc=invoice)
	assert response.status_code == 417, response.text[:300]
	assert "is made from the campaign's own" in messages(response)
	assert tagged_count("Sales Invoice") == before


def test_warehouse_staff_cannot_invoice_a_campaign(login):
	client = login(WAREHOUSE)
	delivery = frappe.get_all(
		"Delivery Note", {"agri_coop_campaign": CAMPAIGN, "docstatus": 1}, pluck="name", limit=1
	)[0]
	response = client.call(
		"frappe.client.cancel",
		doctype="Sales Invoice",
		name=frappe.db.get_value("Sales Invoice Item", {"delivery_note": delivery}, "parent"),
	)
	assert response.status_code == 403, response.text[:300]
	fresh()
	assert frappe.db.count("Sales Invoice", {"agri_coop_campaign": CAMPAIGN, "docstatus": 2}) == 0


def test_village_user_reads_only_its_own_selling_documents(login):
	client = login(VILLAGE_USER)
	for doctype in SELLING:
		response = client.get_path(
			f"/api/resource/{doctype}", fields=["name", "agri_coop_cooperative"], limit_page_length=0
		)
		assert response.status_code == 200, response.text[:300]
		expected = frappe.get_all(doctype, {"agri_coop_cooperative": XINMINBAO}, pluck="name")
		assert expected, doctype
		assert sorted(r["name"] for r in response.json()["data"]) == sorted(expected)
	other = frappe.db.get_value(
		"Sales Order", {"agri_coop_cooperative": ("not in", [XINMINBAO]), "docstatus": 1}, "name"
	)
	assert client.get_path(f"/api/resource/Sales Order/{other}").status_code == 403
	# child rows: only the village's own orders' lines
	response = client.get_path(
		"/api/resource/Sales Order Item", parent="Sales Order", fields=["parent"], limit_page_length=0
	)
	assert response.status_code == 200, response.text[:300]
	own = set(frappe.get_all("Sales Order", {"agri_coop_cooperative": XINMINBAO}, pluck="name"))
	parents = {r["parent"] for r in response.json()["data"]}
	assert parents == own


def test_town_user_reads_its_villages_selling_documents(login):
	client = login(TOWN_USER)
	scope = allowed_cooperatives(TOWN_USER)
	response = client.get_path(
		"/api/resource/Sales Order", fields=["name", "agri_coop_cooperative"], limit_page_length=0
	)
	assert response.status_code == 200
	expected = frappe.get_all("Sales Order", {"agri_coop_cooperative": ("in", scope)}, pluck="name")
	assert expected and sorted(r["name"] for r in response.json()["data"]) == sorted(expected)


def test_village_user_reads_its_sales_order_read_only(login):
	client = login(VILLAGE_USER)
	order = frappe.db.get_value("Sales Order", {"agri_coop_cooperative": XINMINBAO, "docstatus": 1}, "name")
	assert client.get_path(f"/api/resource/Sales Order/{order}").status_code == 200
	response = client.put(client.url(f"/api/resource/Sales Order/{order}"), json={"customer_name": "x"})
	assert response.status_code == 403
	response = client.call("frappe.client.cancel", doctype="Sales Order", name=order)
	assert response.status_code == 403
	fresh()
	assert frappe.db.get_value("Sales Order", order, "docstatus") == 1


# -- item 7: the settlement's own Journal Entries


def test_settlement_journal_entry_is_reversed_only_by_its_settlement(login):
	entry = frappe.db.get_value("Campaign Settlement", {"campaign": SETTLED, "docstatus": 1}, "journal_entry")
	assert entry
	client = login(ACCOUNTANT)
	response = client.call("frappe.client.cancel", doctype="Journal Entry", name=entry)
	assert response.status_code == 403, response.text[:300]
	assert "cancel the settlement to reverse it" in messages(response)
	fresh()
	assert frappe.db.get_value("Journal Entry", entry, "docstatus") == 1


def test_no_hand_made_journal_entry_for_a_settlement(login):
	settlement = frappe.db.get_value("Campaign Settlement", {"campaign": SETTLED, "docstatus": 1}, "name")
	company = frappe.db.get_value("Campaign Settlement", settlement, "company")
	cash = frappe.get_cached_value("Company", company, "default_cash_account")
	client = login(ACCOUNTANT)
	before = frappe.db.count("Journal Entry", {"agri_coop_settlement": settlement})
	response = client.call(
		"frappe.client.insert",
		doc={
			"doctype": "Journal Entry",
			"company": company,
			"posting_date": nowdate(),
			"agri_coop_settlement": settlement,
			"accounts": [
				{"account": cash, "debit_in_account_currency": 1},
				{"account": cash, "credit_in_account_currency": 1},
			],
		},
	)
	assert response.status_code == 403, response.text[:300]
	assert "only the settlement posts and reverses it" in messages(response)
	fresh()
	assert frappe.db.count("Journal Entry", {"agri_coop_settlement": settlement}) == before


# -- item 5: roles least-privilege and scoped-user creation


def test_roles_carry_only_what_the_job_needs():
	assert "Sales User" not in frappe.get_roles(VILLAGE_USER)
	assert "Sales User" not in frappe.get_roles(TOWN_USER)
	assert "Report Manager" not in frappe.get_roles(LEADER)
	assert "Accounts User" not in frappe.get_roles(CREDIT)


def test_leadership_office_reads_but_writes_nothing(login):
	client = login(LEADER)
	response = client.get_path("/api/resource/Sales Order", limit_page_length=1)
	assert response.status_code == 200 and response.json()["data"]
	report = {
		"doctype": "Report",
		"report_name": "领导偷改",
		"ref_doctype": "Sales Order",
		"report_type": "Report Builder",
		"is_standard": "No",
	}
	assert client.call("frappe.client.insert", doc=report).status_code == 403
	assert client.call("frappe.client.insert", doc=penny_order()).status_code == 403
	fresh()
	assert not frappe.db.exists("Report", "领导偷改")


def test_credit_officer_reads_no_payment_entries(login):
	client = login(CREDIT)
	assert client.get_path("/api/resource/Payment Entry").status_code == 403
	assert client.get_path("/api/resource/Journal Entry").status_code == 403


def test_scoped_user_creation_refuses_other_roles(login):
	client = login(SMC)
	response = client.call(
		"agri_coop.organisation.users.create_scoped_user",
		email="evil.admin@dalate.test",
		first_name="越权",
		cooperative=XINMINBAO,
		role="System Manager",
	)
	assert response.status_code == 403, response.text[:300]
	assert "gets the role" in messages(response)
	fresh()
	assert not frappe.db.exists("User", "evil.admin@dalate.test")


def test_scoped_user_creation_takes_over_no_account(login, server_url):
	client = login(SMC)
	roles_before = sorted(frappe.get_roles(ACCOUNTANT))
	for victim in (ACCOUNTANT, "Administrator", SMC):
		response = client.call(
			"agri_coop.organisation.users.create_scoped_user",
			email=victim,
			first_name="接管",
			cooperative=SHULINZHAO,
			password="taken-over-123",
		)
		assert response.status_code in (403, 417), (victim, response.text[:300])
	fresh()
	assert sorted(frappe.get_roles(ACCOUNTANT)) == roles_before
	assert not frappe.get_all("User Permission", {"user": ACCOUNTANT, "allow": "Cooperative"})
	# the victim's own password still works, the attacker's does not
	assert requests.post(f"{server_url}/api/method/login", data={"usr": ACCOUNTANT, "pwd": DEMO_PASSWORD}).ok
	assert (
		requests.post(
			f"{server_url}/api/method/login", data={"usr": ACCOUNTANT, "pwd": "taken-over-123"}
		).status_code
		== 401
	)


# -- item 6: server-set fields


def test_server_set_fields_of_a_cooperative_ignore_the_api(login):
	"""The county manager PUTs a village's Customer (another village's), tree bounds and an
	approval reference: the save goes through, none of them is taken, and the other
	village's Customer is not rewritten."""
	from agri_coop.tests.utils import LINYUAN

	fields = ["customer", "town", "lft", "rgt", "approval_reference", "approval_state", "is_group"]
	before = frappe.db.get_value("Cooperative", LINYUAN, fields, as_dict=True)
	victim = village_customer()
	victim_before = frappe.db.get_value("Customer", victim, ["customer_name", "agri_coop_cooperative"])
	client = login(SMC)
	response = client.put(
		client.url(f"/api/resource/Cooperative/{LINYUAN}"),
		json={
			"customer": victim,
			"town": None,
			"lft": 1,
			"rgt": 2,
			"approval_reference": "伪造〔2023〕1号",
			"approval_state": "Registered",
			"is_group": 1,
		},
	)
	assert response.status_code in (200, 417), response.text[:300]
	fresh()
	assert frappe.db.get_value("Cooperative", LINYUAN, fields, as_dict=True) == before
	assert (
		frappe.db.get_value("Customer", victim, ["customer_name", "agri_coop_cooperative"]) == victim_before
	)
	response = client.call(
		"frappe.client.set_value", doctype="Cooperative", name=LINYUAN, fieldname="customer", value=victim
	)
	fresh()
	assert frappe.db.get_value("Cooperative", LINYUAN, "customer") == before.customer


def campaign_documents_and_state() -> tuple:
	fresh()
	return (
		frappe.db.get_value("Purchase Campaign", CAMPAIGN, "campaign_state"),
		frappe.db.count("Sales Order", {"agri_coop_campaign": CAMPAIGN}),
		frappe.db.count("Purchase Order", {"agri_coop_campaign": CAMPAIGN}),
	)


@pytest.mark.parametrize("method", ("close_campaign", "consolidate"))
@pytest.mark.parametrize("user", (VILLAGE_USER, TOWN_USER, ACCOUNTANT, WAREHOUSE, LEADER, CREDIT))
def test_only_the_county_manager_closes_and_consolidates(login, user, method):
	"""The campaign's close and consolidation (which makes its Sales and Purchase Orders with
	the app's rights) are the County SMC Manager's; anyone else is refused and nothing changes."""
	before = campaign_documents_and_state()
	client = login(user)
	response = client.post(
		client.url("/api/method/run_doc_method"),
		data={"dt": "Purchase Campaign", "dn": CAMPAIGN, "method": method},
	)
	assert response.status_code in (403, 417), response.text[:300]
	assert campaign_documents_and_state() == before


def test_the_managers_consolidate_again_makes_nothing(login):
	before = campaign_documents_and_state()
	client = login(SMC)
	response = client.post(
		client.url("/api/method/run_doc_method"),
		data={"dt": "Purchase Campaign", "dn": CAMPAIGN, "method": "consolidate"},
	)
	assert response.ok, response.text[:300]
	assert campaign_documents_and_state() == before
