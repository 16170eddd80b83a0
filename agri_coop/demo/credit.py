"""Demo credit purchase (赊购) and interest subsidy (贴息): the partner bank 达拉特旗农村商业银行
with its 农资贷 product, credit lines for the members of several villages (two of them by
whole-village credit, 整村授信), the credit orders of the campaign "2024 春耕备肥 第一期"
disbursed against its invoices (受托支付), a repayment, and the 2024 Q1 interest subsidy claim
with its funds' arrival. The builders (bank, accounts, lines, programme) are shared with the
tests and the benchmark. Idempotent: each part is skipped when it is there.

The campaign step runs after the credit lines step (hooks.py agri_coop_demo_steps), so the
members who buy on credit have an active line; on a county whose campaign was placed before
this module existed, the credit orders are those of the lines granted since.
"""

from datetime import date

import frappe

from agri_coop.demo import masters
from agri_coop.finance.doctype.credit_line.credit_line import STEPS

BANK = "达拉特旗农村商业银行"
PRODUCT = "农资贷"
CREDIT_OFFICER_USER = "credit@dalate.demo"
INTEREST_PROGRAM = "达拉特旗农资贷款贴息"
RECEIVING_ACCOUNT = "农商行受托支付户"
FUND_ACCOUNT = "农资贷款贴息专项资金"
SUBSIDY_ARRIVAL_ACCOUNT = "贴息资金专户"
LINE_PERIOD = (date(2023, 9, 1), date(2024, 12, 31))
# the villages whose members get lines (the first two by a whole-village batch)
DEMO_CREDIT_TOWN = "树林召镇"
DEMO_LIMIT = 20000
CLAIM_QUARTER = date(2024, 1, 1)


# --- builders (tests and benchmarks use them too) -----------------------------------------
def ensure_account(company: str, account_name: str, parent_type: str, account_type: str = "") -> str:
	"""A ledger account under the company's first group of `parent_type` ("Bank" or a root type)."""
	name = frappe.db.get_value("Account", {"company": company, "account_name": account_name, "is_group": 0})
	if name:
		return name
	if parent_type == "Bank":
		parent = frappe.db.get_value("Account", {"company": company, "account_type": "Bank", "is_group": 1})
	else:
		parent = frappe.db.get_value(
			"Account", {"company": company, "root_type": parent_type, "is_group": 1}, order_by="lft desc"
		)
	doc = frappe.get_doc(
		{
			"doctype": "Account",
			"account_name": account_name,
			"company": company,
			"parent_account": parent,
			"account_type": account_type,
			"is_group": 0,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def create_partner_bank(bank_name: str = BANK, company: str | None = None, **values) -> str:
	if frappe.db.exists("Partner Bank", bank_name):
		return bank_name
	company = company or masters.company()
	product = {
		"product_name": PRODUCT,
		"annual_rate": 4.35,
		"term_months": 12,
		"max_limit": 50000,
		"subsidy_applies": 1,
		"subsidised_share": 100,
		"subsidy_rate": 2.0,
		**values.pop("product", {}),
	}
	return (
		frappe.get_doc(
			{
				"doctype": "Partner Bank",
				"bank_name": bank_name,
				"company": company,
				"receiving_account": ensure_account(
					company, f"{RECEIVING_ACCOUNT} {bank_name}"[:120], "Bank", "Bank"
				),
				"day_count": "Actual/360",
				"grace_days": 30,
				"mask_amounts": 1,
				"products": [product],
				**values,
			}
		)
		.insert()
		.name
	)


def create_credit_line(
	member: str, bank: str = BANK, limit: float = DEMO_LIMIT, state: str = "Active", **values
):
	"""A member's line taken through the steps to `state` (as the session user)."""
	existing = frappe.db.get_value(
		"Credit Line", {"member": member, "partner_bank": bank, "credit_state": state}
	)
	if existing and not values.pop("new", False):
		return frappe.get_doc("Credit Line", existing)
	values.pop("new", None)
	valid_from, valid_to = values.pop("valid_from", LINE_PERIOD[0]), values.pop("valid_to", LINE_PERIOD[1])
	doc = frappe.get_doc(
		{
			"doctype": "Credit Line",
			"member": member,
			"partner_bank": bank,
			"product": values.pop("product", PRODUCT),
			"approved_limit": limit,
			"valid_from": valid_from,
			"valid_to": valid_to,
			**values,
		}
	).insert()
	for _step, method in (
		("Surveyed", "record_survey"),
		("Approved", "approve"),
		("Active", "activate"),
		("Frozen", "freeze"),
	):
		if doc.credit_state == state:
			break
		getattr(doc, method)()
	return doc


def expire_line(doc):
	"""The app's own step (the daily job does it for lines past their end)."""
	STEPS.apply(doc, "Expired", ignore_permissions=True)
	return doc


def create_interest_program(company: str | None = None, name: str = INTEREST_PROGRAM) -> str:
	if frappe.db.exists("Subsidy Program", name):
		return name
	company = company or masters.company()
	doc = frappe.get_doc(
		{
			"doctype": "Subsidy Program",
			"program_name": name,
			"rule_type": "Interest Subsidy",
			"funder": "达拉特旗财政局",
			"legal_basis": "达拉特旗全域数字化农资统购推广工作实施方案 §二(二)5",
			"company": company,
			"fund_account": ensure_account(company, FUND_ACCOUNT, "Liability"),
			"payment_account": ensure_account(company, SUBSIDY_ARRIVAL_ACCOUNT, "Bank", "Bank"),
			"budget": 1000000,
			"first_year": 2023,
			"last_year": 2027,
		}
	)
	doc.insert()
	return doc.name
