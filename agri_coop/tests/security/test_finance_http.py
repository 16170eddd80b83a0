"""Credit lines and the credit report over real HTTP: a village user reads its own members'
lines only and no amounts of a bank that masks them; a town user its villages' lines; the
credit officer only the lines of their own bank — on the list, the document, the count,
link search, the report's rows and totals, and filters on the hidden amounts."""

import frappe
import pytest
from frappe.utils import add_days, nowdate

from agri_coop.demo.credit import BANK, CREDIT_OFFICER_USER, create_credit_line, create_partner_bank
from agri_coop.security.boundary import allowed_cooperatives
from agri_coop.tests.security.responses import message
from agri_coop.tests.utils import TOWN_USER, VILLAGE_USER, ZHAOJUN_VILLAGE, create_member

OTHER_BANK = "测试外地银行"
SMC = "smc@dalate.demo"


@pytest.fixture(scope="module")
def other_bank_line():
	"""Committed: a line of another bank for a member outside 树林召镇 (cleaned up after)."""
	frappe.set_user("Administrator")
	create_partner_bank(OTHER_BANK, mask_amounts=0)
	member = create_member(ZHAOJUN_VILLAGE, state="Active", member_name="外行社员").name
	line = create_credit_line(
		member, OTHER_BANK, 8000, valid_from=nowdate(), valid_to=add_days(nowdate(), 300)
	)
	frappe.db.commit()
	yield line.name
	frappe.set_user("Administrator")
	frappe.db.delete("Credit Line", {"name": line.name})
	frappe.db.delete("Customer", {"name": member})
	frappe.db.delete("Coop Member", {"name": member})
	frappe.db.delete("Partner Bank Product", {"parent": OTHER_BANK})
	frappe.db.delete("Partner Bank", {"name": OTHER_BANK})
	frappe.db.commit()


def lines_of(client, **params):
	return message(
		client.call(
			"frappe.client.get_list",
			doctype="Credit Line",
			fields=["name", "cooperative", "partner_bank", "approved_limit_display"],
			limit_page_length=0,
			**params,
		)
	)


@pytest.mark.parametrize("user", [VILLAGE_USER, TOWN_USER])
def test_coop_users_list_their_own_scope_only(login, other_bank_line, user):
	rows = lines_of(login(user))
	allowed = set(allowed_cooperatives(user))
	assert all(row["cooperative"] in allowed for row in rows), rows
	expected = set(frappe.get_all("Credit Line", {"cooperative": ("in", list(allowed))}, pluck="name"))
	assert {row["name"] for row in rows} == expected
	assert other_bank_line not in {row["name"] for row in rows}
	# the demo bank masks amounts for co-op users
	assert all(row["approved_limit_display"] == "****" for row in rows if row["partner_bank"] == BANK)


def test_another_towns_line_is_closed_on_every_path(login, other_bank_line):
	client = login(TOWN_USER)
	assert client.get_path(f"/api/resource/Credit Line/{other_bank_line}").status_code == 403
	assert client.call("frappe.client.get", doctype="Credit Line", name=other_bank_line).status_code == 403
	count = message(
		client.call("frappe.client.get_count", doctype="Credit Line", filters={"name": other_bank_line})
	)
	assert count == 0
	found = message(client.call("frappe.desk.search.search_link", doctype="Credit Line", txt="外行"))
	assert other_bank_line not in [r.get("value") for r in found]


def test_amounts_are_neither_read_nor_filtered_by_coop_users(login):
	client = login(TOWN_USER)
	# a field list naming the amounts is refused, as a filter on them is
	named = client.call("frappe.client.get_list", doctype="Credit Line", fields=["name", "approved_limit"])
	assert named.status_code == 403, named.text[:200]
	refused = client.call(
		"frappe.client.get_list",
		doctype="Credit Line",
		filters={"approved_limit": [">", 10000]},
		fields=["name"],
	)
	assert refused.status_code in (403, 417), refused.text[:200]
	own = frappe.get_all(
		"Credit Line", {"cooperative": ("in", allowed_cooperatives(TOWN_USER))}, pluck="name", limit=1
	)
	if own:
		doc = message(client.call("frappe.client.get", doctype="Credit Line", name=own[0]))
		assert frappe.db.get_value("Credit Line", own[0], "approved_limit") > 0
		# Frappe blanks a field above the reader's level (a Currency comes back as 0)
		assert not doc.get("approved_limit") and not doc.get("outstanding_principal")


def test_the_credit_officer_sees_only_their_bank(login, other_bank_line):
	client = login(CREDIT_OFFICER_USER)
	rows = lines_of(client)
	assert rows and {row["partner_bank"] for row in rows} == {BANK}
	assert client.call("frappe.client.get", doctype="Credit Line", name=other_bank_line).status_code == 403
	banks = message(client.call("frappe.client.get_list", doctype="Partner Bank", fields=["name"]))
	assert [b["name"] for b in banks] == [BANK]
	# and their bank's amounts are theirs to read
	limits = message(
		client.call(
			"frappe.client.get_list",
			doctype="Credit Line",
			fields=["name", "approved_limit"],
			limit_page_length=3,
		)
	)
	assert all(row.get("approved_limit") for row in limits)


def report(client, **filters):
	return message(
		client.call(
			"frappe.desk.query_report.run",
			report_name="Credit Purchase",
			filters={"from_date": "2024-01-01", "to_date": "2024-03-31", **filters},
		)
	)


def test_the_report_holds_the_scope_of_each_user(login, other_bank_line):
	town = report(login(TOWN_USER), group_by="Village")
	allowed = set(allowed_cooperatives(TOWN_USER))
	groups = [row.get("group") for row in town["result"] if isinstance(row, dict) and row.get("group")]
	assert groups and set(groups) <= allowed
	lines = sum(row.get("lines", 0) for row in town["result"] if isinstance(row, dict) and row.get("group"))
	assert lines == frappe.db.count(
		"Credit Line",
		{"cooperative": ("in", list(allowed)), "credit_state": ("not in", ("Applied", "Surveyed"))},
	)
	refused = login(TOWN_USER).call(
		"frappe.desk.query_report.run",
		report_name="Credit Purchase",
		filters={"from_date": "2024-01-01", "to_date": "2024-03-31", "group_by": "Member"},
	)
	assert refused.status_code != 200
	officer = report(login(CREDIT_OFFICER_USER), group_by="Bank")
	assert [row["group"] for row in officer["result"] if isinstance(row, dict) and row.get("group")] == [BANK]
	county = report(login(SMC), group_by="Bank")
	assert {row["group"] for row in county["result"] if isinstance(row, dict) and row.get("group")} >= {
		BANK,
		OTHER_BANK,
	}


@pytest.mark.parametrize("user", [VILLAGE_USER, TOWN_USER, CREDIT_OFFICER_USER])
def test_only_the_accountants_book_the_banks_money(login, user):
	invoice = frappe.db.get_value("Loan Disbursement", {"docstatus": 1}, "sales_invoice")
	payment = frappe.db.get_value("Loan Disbursement", {"docstatus": 1}, "payment_entry")
	client = login(user)
	booked = client.call(
		"agri_coop.finance.closed_loop.disburse_invoice", sales_invoice=invoice, partner_bank=BANK
	)
	assert booked.status_code == 403, booked.text[:200]
	reversed_ = client.call("agri_coop.finance.closed_loop.reverse_disbursements", payment_entry=payment)
	assert reversed_.status_code == 403, reversed_.text[:200]
	assert frappe.db.get_value("Payment Entry", payment, "docstatus") == 1


NEW_BANK = "测试新开户银行"


@pytest.fixture(scope="module")
def new_bank_payload():
	"""A Partner Bank's fields as the desk posts them (its account committed); what the tests
	create is removed after."""
	from agri_coop.demo import masters
	from agri_coop.demo.credit import RECEIVING_ACCOUNT, ensure_account

	frappe.set_user("Administrator")
	company = masters.company()

	def payload(name: str, **values) -> dict:
		account = ensure_account(company, f"{RECEIVING_ACCOUNT} {name}", "Bank", "Bank")
		frappe.db.commit()
		product = {"product_name": "测试贷", "annual_rate": 4.35, "term_months": 12, "max_limit": 50000}
		return {
			"bank_name": name,
			"company": company,
			"receiving_account": account,
			"day_count": "Actual/360",
			"grace_days": 30,
			"products": [product],
			**values,
		}

	yield payload
	frappe.set_user("Administrator")
	for name in (NEW_BANK, masters.SINOCHEM):
		frappe.db.delete("Partner Bank Product", {"parent": name})
		frappe.db.delete("Partner Bank", {"name": name})
	frappe.db.delete("Supplier", {"supplier_name": NEW_BANK})
	frappe.db.commit()


@pytest.mark.parametrize(
	"user", [CREDIT_OFFICER_USER, VILLAGE_USER, TOWN_USER, "accountant@dalate.demo", "leader@dalate.demo"]
)
def test_only_the_county_makes_a_partner_bank_and_its_supplier(login, new_bank_payload, user):
	response = login(user).post(
		login(user).url("/api/resource/Partner Bank"), json=new_bank_payload(NEW_BANK)
	)
	assert response.status_code == 403, response.text[:300]
	assert not frappe.db.exists("Partner Bank", NEW_BANK)
	assert not frappe.db.exists("Supplier", {"supplier_name": NEW_BANK})


def test_the_county_makes_the_banks_own_supplier_whatever_the_request_names(login, new_bank_payload):
	"""The Supplier is the server's: a request naming a trade supplier gets the bank's own one."""
	from agri_coop.demo.masters import SINOCHEM
	from agri_coop.finance.doctype.partner_bank.partner_bank import FINANCIAL_INSTITUTIONS

	trade_supplier = frappe.db.get_value("Supplier", {"supplier_name": SINOCHEM})
	client = login(SMC)
	response = client.post(
		client.url("/api/resource/Partner Bank"), json=new_bank_payload(NEW_BANK, supplier=trade_supplier)
	)
	assert response.ok, response.text[:300]
	supplier = response.json()["data"]["supplier"]
	assert supplier != trade_supplier
	assert frappe.db.get_value("Supplier", supplier, ["supplier_name", "supplier_group"]) == (
		NEW_BANK,
		FINANCIAL_INSTITUTIONS,
	)
	# a bank named like a trade supplier is refused, naming it: its books stay apart
	named_like = client.post(client.url("/api/resource/Partner Bank"), json=new_bank_payload(SINOCHEM))
	assert named_like.status_code == 417, named_like.text[:300]
	refusal = named_like.json()["exception"]
	assert "PartnerBankError" in refusal and trade_supplier in refusal and "金融机构" in refusal
	assert not frappe.db.exists("Partner Bank", SINOCHEM)
