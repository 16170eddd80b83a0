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

from datetime import date, datetime, timedelta

import frappe
from frappe.utils import flt
from freezegun import freeze_time

from agri_coop.constants.cooperatives import TOWN, VILLAGE
from agri_coop.demo import masters
from agri_coop.finance.closed_loop import credit_rows_of_invoice, disburse_invoice
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


# --- the demo steps -------------------------------------------------------------------------
def clock(moment):
	# the campaign step's ticking clock (agri_coop.demo.campaigns.clock), kept here so that the
	# campaign step can import this module
	return freeze_time(moment + timedelta(microseconds=1), tick=True)


def demo_villages() -> list[str]:
	"""The first four villages of 树林召镇: the first two get whole-village credit."""
	town = frappe.db.get_value("Cooperative", {"region_name": DEMO_CREDIT_TOWN, "cooperative_type": TOWN})
	return frappe.get_all(
		"Cooperative",
		{"town": town, "cooperative_type": VILLAGE, "disabled": 0},
		pluck="name",
		order_by="lft",
	)[:4]


def load_demo_credit_lines():
	"""Before the campaigns: the bank, its credit officer's scope, and the members' lines
	(surveyed and granted in early September 2023, before the trial campaign)."""
	with clock(datetime(2023, 9, 5, 10)):
		bank = create_partner_bank()
		officer_scope(CREDIT_OFFICER_USER, bank)
		villages = demo_villages()
		for village in villages[:2]:
			whole_village_credit(village, bank)
		for village in villages[2:]:
			for index, member in enumerate(active_members(village)):
				create_credit_line(member, bank, DEMO_LIMIT - 5000 * (index % 3))


def officer_scope(user: str, bank: str):
	if not frappe.db.exists("User", user) or frappe.db.exists(
		"User Permission", {"user": user, "allow": "Partner Bank", "for_value": bank}
	):
		return
	frappe.get_doc(
		{
			"doctype": "User Permission",
			"user": user,
			"allow": "Partner Bank",
			"for_value": bank,
			"apply_to_all_doctypes": 1,
		}
	).insert(ignore_permissions=True)


def active_members(village: str) -> list[str]:
	return frappe.get_all(
		"Coop Member", {"cooperative": village, "state": "Active"}, pluck="name", order_by="name"
	)


def whole_village_credit(village: str, bank: str):
	"""整村授信: the bank's sheet for the village, granted and activated."""
	if frappe.db.exists("Credit Batch", {"cooperative": village, "partner_bank": bank}):
		batch = frappe.get_doc("Credit Batch", {"cooperative": village, "partner_bank": bank})
	else:
		batch = frappe.get_doc(
			{
				"doctype": "Credit Batch",
				"cooperative": village,
				"partner_bank": bank,
				"product": PRODUCT,
				"valid_from": LINE_PERIOD[0],
				"valid_to": LINE_PERIOD[1],
			}
		).insert()
		rows = ["社员编号,授信额度"] + [f"{m},{DEMO_LIMIT}" for m in active_members(village)]
		rows.append(
			"SY-不存在,10000"
		)  # the bank's sheet has a row the village does not know: listed as an error
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"整村授信-{batch.name}.csv",
				"content": "\n".join(rows),
				"is_private": 1,
				"attached_to_doctype": "Credit Batch",
				"attached_to_name": batch.name,
			}
		).insert(ignore_permissions=True)
		batch.db_set("import_file", file.file_url)
	if batch.batch_state in ("Draft", "Failed"):
		batch.reload()
		batch.grant()
	for name in frappe.get_all(
		"Credit Line", {"credit_batch": batch.name, "credit_state": "Approved"}, pluck="name"
	):
		frappe.get_doc("Credit Line", name).activate()


def disburse_campaign_credit(campaign: str, day):
	"""受托支付 at invoicing (called by the campaign step before the villages pay): the bank
	pays its members' credit parts of each village invoice — except the last one's, the
	village that still owes (agri_coop.demo.campaigns.collect_payments), which has not
	confirmed its invoice to the bank either."""
	invoices = frappe.get_all(
		"Sales Invoice", {"agri_coop_campaign": campaign, "docstatus": 1}, pluck="name", order_by="name"
	)
	still_owing = invoices[-1] if len(invoices) > 1 else None
	for invoice in invoices:
		if invoice == still_owing or not frappe.db.get_value("Sales Invoice", invoice, "outstanding_amount"):
			continue
		if credit_rows_of_invoice(invoice, BANK):
			disburse_invoice(invoice, BANK, day, f"NSH-{invoice}")


def load_demo_credit():
	"""After the campaigns: disbursements still missing, a repayment, the 2024 Q1 claim and its funds."""
	if not frappe.db.exists("Partner Bank", BANK):
		return
	ensure_credit_campaign()
	for campaign in frappe.get_all("Purchase Campaign", {"campaign_state": ("!=", "Draft")}, pluck="name"):
		with clock(datetime(2024, 3, 15, 11)):
			disburse_campaign_credit(campaign, date(2024, 3, 15))
	with clock(datetime(2024, 3, 28, 10)):
		first_repayment()
	with clock(datetime(2024, 4, 10, 10)):
		claim = quarter_claim(create_interest_program())
	if claim and not claim.fund_journal_entry:
		with clock(datetime(2024, 4, 25, 10)):
			claim.record_funds(date(2024, 4, 25), "CZ-TX-2024Q1")


CREDIT_CAMPAIGN = "2024 春耕追肥 赊购"


def ensure_credit_campaign():
	"""On a county whose campaigns were placed before this module (no order line names a
	credit line, their invoices long paid), a small campaign of the lines' villages bought on
	credit, taken through its documents like the others; on a new county the campaign step
	has done this and nothing happens here."""
	if frappe.db.exists("Campaign Order Line", {"credit_line": ("is", "set"), "docstatus": 1}) and not (
		frappe.db.exists("Purchase Campaign", CREDIT_CAMPAIGN)
	):
		return
	# function-level import: agri_coop.demo.campaigns imports this module (its orders buy on credit)
	from agri_coop.demo import campaigns

	opens, closes = datetime(2024, 1, 8, 9), datetime(2024, 1, 20, 18)
	offer = {masters.UREA: campaigns.OFFER[masters.UREA], masters.DAP: campaigns.OFFER[masters.DAP]}
	if not frappe.db.exists("Purchase Campaign", CREDIT_CAMPAIGN):
		campaigns.create_campaign(CREDIT_CAMPAIGN, offer, opens, closes, date(2024, 2, 20), 0)
	campaign = frappe.get_doc("Purchase Campaign", CREDIT_CAMPAIGN)
	if campaign.campaign_state == "Draft":
		with clock(opens):
			campaign.open_campaign()
	if campaign.campaign_state == "Open":
		with clock(opens + timedelta(hours=2)):
			if not frappe.db.exists("Campaign Order", {"campaign": CREDIT_CAMPAIGN}):
				for village in demo_villages():
					lines = [
						{"member": m, "item_code": item, "qty": qty, "payment_mode": "On Credit"}
						for m in active_members(village)[:3]
						if has_active_line(m)
						for item, qty in ((masters.UREA, 20), (masters.DAP, 10))
					]
					if lines:
						campaigns.create_order(CREDIT_CAMPAIGN, village, lines)
		with clock(closes + timedelta(minutes=5)):
			campaigns.close_campaign(CREDIT_CAMPAIGN)
	for moment, step in (
		(datetime(2024, 2, 10, 10), campaigns.receive_and_bill),
		(datetime(2024, 2, 20, 14), campaigns.deliver_and_invoice),
		(datetime(2024, 2, 25, 10), campaigns.collect_payments),
	):
		with clock(moment):
			step(CREDIT_CAMPAIGN, moment.date())


def first_repayment():
	if frappe.db.exists("Loan Repayment", {"partner_bank": BANK}):
		return
	loan = frappe.get_all(
		"Loan Disbursement",
		{"docstatus": 1, "partner_bank": BANK},
		["credit_line", "amount"],
		order_by="name",
		limit=1,
	)
	if not loan:
		return
	doc = frappe.get_doc(
		{
			"doctype": "Loan Repayment",
			"credit_line": loan[0].credit_line,
			"posting_date": date(2024, 3, 28),
			"bank_reference": "NSH-HK-20240328-0001",
			"principal_amount": flt(loan[0].amount / 2, 2),
			"interest_amount": 1.2,
		}
	).insert()
	doc.submit()


def quarter_claim(program: str):
	existing = frappe.db.get_value(
		"Interest Subsidy Claim", {"partner_bank": BANK, "period_start": CLAIM_QUARTER, "docstatus": 1}
	)
	if existing:
		return frappe.get_doc("Interest Subsidy Claim", existing)
	if not frappe.db.exists(
		"Loan Disbursement", {"docstatus": 1, "partner_bank": BANK, "posting_date": ("<=", "2024-03-31")}
	):
		return None
	claim = frappe.get_doc(
		{
			"doctype": "Interest Subsidy Claim",
			"partner_bank": BANK,
			"subsidy_program": program,
			"period_type": "Quarter",
			"period_start": CLAIM_QUARTER,
		}
	).insert()
	claim.submit()
	return claim


def check_demo_credit() -> list[str]:
	problems = []
	if not frappe.db.exists("Partner Bank", BANK):
		return [f"partner bank {BANK} missing"]
	lines = frappe.db.count("Credit Line", {"partner_bank": BANK})
	if lines < 10:
		problems.append(f"credit lines of {BANK}: {lines}, expected at least 10")
	if not frappe.db.count("Credit Batch", {"partner_bank": BANK, "batch_state": ("like", "Done%")}):
		problems.append("no whole-village credit batch done")
	if not frappe.db.count("Loan Disbursement", {"docstatus": 1}):
		problems.append("no loan disbursement")
	if not frappe.db.count("Loan Repayment", {"docstatus": 1}):
		problems.append("no loan repayment")
	claim = frappe.db.get_value(
		"Interest Subsidy Claim",
		{"partner_bank": BANK, "docstatus": 1},
		["total_subsidy", "fund_journal_entry"],
		as_dict=True,
	)
	if not claim or not claim.total_subsidy or not claim.fund_journal_entry:
		problems.append("no interest subsidy claim with its funds")
	return problems


def has_active_line(member: str) -> bool:
	"""For the campaign step: a member buys on credit only with an active line."""
	return bool(frappe.db.exists("Credit Line", {"member": member, "credit_state": "Active"}))
