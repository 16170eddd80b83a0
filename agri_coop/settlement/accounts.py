"""Posting a settlement and paying it out.

Accounts (created in code, idempotent, per company):
- 统购返利支出 - ABBR: expense (under Indirect Expenses), debited with the returned pool;
- 应付合作社积累 - ABBR, 应付社员返利 - ABBR, 应付工作人员奖励 - ABBR: payables (account type
  Payable, under the group of the company's default payable account), credited per co-op.

The party on the payable lines is the co-op itself, through the Party Type "Cooperative"
(account type Payable) that is created with the accounts. ERPNext refuses a Customer on a
Payable account ("Account and Party Type have different account types"), and a co-op's
rebate is something the county SMC owes it, not a receivable of its customer record; with
its own party type the Accounts Payable report, the Payment Ledger and Payment Entry all
work per co-op, and the co-op's Customer keeps only its purchases.

Posting: one or more Journal Entries (at most 100 lines each, so ERPNext submits them at
once), tagged with the campaign and the settlement.

Paying out: `make_payment_entry` prepares an ordinary Payment Entry (Pay) from the
company's cash or bank account to one of the co-op's payables, allocated against the
settlement's Journal Entry. What is paid and still due per co-op comes from the Payment
Ledger against that Journal Entry (`payment_status`): due = the ledger's outstanding on
the co-op's rows of the entry, paid = its allocation less what is due. A payment counts
once it is allocated against the settlement's entry (a Payment Entry made here always is;
an unallocated advance counts after Payment Reconciliation).
"""

from collections import defaultdict

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Sum
from frappe.utils import flt, nowdate

from agri_coop.overrides.campaign_guard import APP_FLOW
from agri_coop.settlement.allocation import to_fen, to_yuan
from agri_coop.settlement.computation import SHARE_LABELS, SHARES
from agri_coop.utils.messages import Msg, throw

PARTY_TYPE = "Cooperative"
EXPENSE_ACCOUNT = "统购返利支出"
PAYABLE_ACCOUNTS = {
	"accumulation": "应付合作社积累",
	"member_rebate": "应付社员返利",
	"staff_reward": "应付工作人员奖励",
}
# ERPNext queues the submission of a Journal Entry of more than 100 lines.
ENTRY_LINES = 100


class NothingDueError(frappe.ValidationError):
	pass


def ensure_party_type():
	if not frappe.db.exists("Party Type", PARTY_TYPE):
		frappe.get_doc({"doctype": "Party Type", "party_type": PARTY_TYPE, "account_type": "Payable"}).insert(
			ignore_permissions=True
		)


def ensure_settlement_accounts(company: str) -> dict:
	"""{"expense": account, "accumulation": ..., "member_rebate": ..., "staff_reward": ...}"""
	ensure_party_type()
	accounts = {"expense": ensure_account(company, EXPENSE_ACCOUNT, expense_group(company), "Expense", "")}
	payable_group = payables_group(company)
	for share, account_name in PAYABLE_ACCOUNTS.items():
		accounts[share] = ensure_account(company, account_name, payable_group, "Liability", "Payable")
	return accounts


def settlement_accounts(company: str) -> dict:
	"""The accounts if they exist (no creation): for reading payments."""
	names = {"expense": EXPENSE_ACCOUNT, **PAYABLE_ACCOUNTS}
	return {
		key: frappe.db.get_value("Account", {"company": company, "account_name": name, "is_group": 0})
		for key, name in names.items()
	}


def ensure_account(company: str, account_name: str, parent: str, root_type: str, account_type: str) -> str:
	existing = frappe.db.get_value(
		"Account", {"company": company, "account_name": account_name, "is_group": 0}
	)
	if existing:
		return existing
	account = frappe.get_doc(
		{
			"doctype": "Account",
			"company": company,
			"account_name": account_name,
			"parent_account": parent,
			"root_type": root_type,
			"account_type": account_type,
			"is_group": 0,
		}
	)
	account.flags.ignore_permissions = True
	account.insert()
	return account.name


def expense_group(company: str) -> str:
	return frappe.db.get_value(
		"Account", {"company": company, "account_name": "Indirect Expenses", "is_group": 1}
	) or root_group(company, "Expense")


def payables_group(company: str) -> str:
	default_payable = frappe.get_cached_value("Company", company, "default_payable_account")
	parent = default_payable and frappe.db.get_value("Account", default_payable, "parent_account")
	return (
		parent
		or frappe.db.get_value(
			"Account",
			{"company": company, "account_type": "Payable", "is_group": 1, "root_type": "Liability"},
		)
		or root_group(company, "Liability")
	)


def root_group(company: str, root_type: str) -> str:
	return frappe.db.get_value(
		"Account",
		{"company": company, "root_type": root_type, "is_group": 1, "parent_account": ("in", ("", None))},
	)


# -- posting


def make_journal_entries(settlement, progress=None) -> list[str]:
	"""Debit the rebate expense with the returned pool, credit each co-op's payables (one
	line per share), in submitted Journal Entries of at most ENTRY_LINES lines each (ERPNext
	moves the submission of a larger entry to a background job of its own, which would post
	the settlement piecemeal); a co-op's lines stay in one entry. Nothing is posted when
	nothing is returned. `progress(done, count)` is called after each entry."""
	rows = [row for row in settlement.cooperatives if flt(row.total) > 0]
	if not rows:
		return []
	accounts = ensure_settlement_accounts(settlement.company)
	cost_center = frappe.get_cached_value("Company", settlement.company, "cost_center")
	batches = credit_batches([credit_lines(row, accounts, cost_center) for row in rows])
	check_credits(settlement, batches)
	entries = []
	for number, credits in enumerate(batches, 1):
		entries.append(
			post_entry(settlement, number, len(batches), credits, accounts["expense"], cost_center)
		)
		if progress:
			progress(number, len(batches))
	return entries


def credit_lines(row, accounts: dict, cost_center: str) -> list[dict]:
	"""A co-op's payable credits, one per share it gets."""
	return [
		{
			"account": accounts[share],
			"party_type": PARTY_TYPE,
			"party": row.cooperative,
			"credit_in_account_currency": flt(row.get(share), 2),
			"cost_center": cost_center,
			"user_remark": f"{SHARE_LABELS[share]}: {row.cooperative}",
		}
		for share in SHARES
		if flt(row.get(share), 2) > 0
	]


def credit_batches(lines_per_coop: list[list[dict]]) -> list[list[dict]]:
	"""The co-ops' credit lines in batches of at most ENTRY_LINES - 1 (one line of each entry
	is the expense debit), a co-op's lines never split between two."""
	batches, batch = [], []
	for lines in lines_per_coop:
		if len(batch) + len(lines) > ENTRY_LINES - 1:
			batches.append(batch)
			batch = []
		batch += lines
	batches.append(batch)
	return batches


def check_credits(settlement, batches: list[list[dict]]):
	"""The credits add up to the returned pool to the fen, or nothing is posted."""
	posted = sum(to_fen(line["credit_in_account_currency"]) for credits in batches for line in credits)
	if posted != to_fen(settlement.returned_pool):
		frappe.throw(
			f"settlement {settlement.name}: credits of {posted} fen, pool {settlement.returned_pool}"
		)


def post_entry(settlement, number: int, count: int, credits: list[dict], expense: str, cost_center) -> str:
	"""Insert and submit entry `number` of `count`: the credits and the expense debit that
	balances them."""
	total = sum(to_fen(line["credit_in_account_currency"]) for line in credits)
	entry = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": "Journal Entry",
			"company": settlement.company,
			"posting_date": settlement.posting_date,
			"agri_coop_campaign": settlement.campaign,
			"agri_coop_settlement": settlement.name,
			"user_remark": f"统购结算 {settlement.name} ({number}/{count}): {settlement.campaign}",
			"accounts": [
				{
					"account": expense,
					"debit_in_account_currency": float(to_yuan(total)),
					"cost_center": cost_center,
				},
				*credits,
			],
		}
	)
	entry.flags.ignore_permissions = True
	entry.flags[APP_FLOW] = True  # only the settlement posts and reverses its entries
	entry.insert()
	entry.submit()
	return entry.name


def settlement_entries(settlement: str) -> list[str]:
	return frappe.get_all(
		"Journal Entry", {"agri_coop_settlement": settlement, "docstatus": 1}, pluck="name", order_by="name"
	)


def payments_against(entries: list[str]) -> list[str]:
	"""Vouchers (Payment Entries, Journal Entries) allocated against the entries."""
	if not entries:
		return []
	Ledger = DocType("Payment Ledger Entry")
	rows = (
		frappe.qb.from_(Ledger)
		.select(Ledger.voucher_no)
		.distinct()
		.where(
			(Ledger.against_voucher_type == "Journal Entry")
			& (Ledger.against_voucher_no.isin(entries))
			& (Ledger.voucher_no.notin(entries))
			& (Ledger.delinked == 0)
		)
		.run()
	)
	return sorted(r[0] for r in rows)


def cancel_journal_entries(settlement: str):
	for name in settlement_entries(settlement):
		entry = frappe.get_doc("Journal Entry", name)
		entry.flags.ignore_permissions = True
		entry.flags[APP_FLOW] = True
		entry.cancel()


# -- paying out


def ledger_rows(entries: list[str], party: str | None = None) -> list:
	"""The live Payment Ledger rows against the entries (a cancelled voucher's rows are
	delinked): the entries' own bookings and the payments allocated against them."""
	if not entries:
		return []
	Ledger = DocType("Payment Ledger Entry")
	query = (
		frappe.qb.from_(Ledger)
		.select(
			Ledger.party,
			Ledger.account,
			Ledger.against_voucher_no,
			Ledger.voucher_type,
			Ledger.voucher_no,
			Sum(Ledger.amount),
		)
		.where(
			(Ledger.against_voucher_type == "Journal Entry")
			& (Ledger.against_voucher_no.isin(entries))
			& (Ledger.party_type == PARTY_TYPE)
			& (Ledger.delinked == 0)
			& (Ledger.docstatus == 1)
		)
		.groupby(
			Ledger.party, Ledger.account, Ledger.against_voucher_no, Ledger.voucher_type, Ledger.voucher_no
		)
	)
	if party:
		query = query.where(Ledger.party == party)
	own = set(entries)
	# (party, account, entry, is the entry's own booking, amount)
	return [
		(p, account, entry, voucher_type == "Journal Entry" and voucher_no in own, amount)
		for p, account, entry, voucher_type, voucher_no, amount in query.run()
	]


def outstanding(entries: list[str], party: str | None = None) -> dict:
	"""{(co-op, account, entry): fen still due} on the entries, from the Payment Ledger."""
	due = defaultdict(int)
	for p, account, entry, _booking, amount in ledger_rows(entries, party):
		due[(p, account, entry)] += to_fen(flt(amount, 2))
	return dict(due)


def payment_status(settlement) -> dict:
	"""{co-op: {"paid": fen, "due": fen}} for a submitted settlement, from the Payment Ledger
	of submitted vouchers only: booked = what the settlement's live entries owe the co-op,
	paid = what live payments allocated against them, due = booked - paid. An entry that
	is not submitted books nothing, so nothing of it looks paid."""
	if settlement.docstatus != 1:
		return {}
	booked, paid = defaultdict(int), defaultdict(int)
	for party, _account, _entry, booking, amount in ledger_rows(settlement_entries(settlement.name)):
		if booking:
			booked[party] += to_fen(flt(amount, 2))
		else:
			paid[party] -= to_fen(flt(amount, 2))
	return {
		row.cooperative: {
			"paid": paid[row.cooperative],
			"due": booked[row.cooperative] - paid[row.cooperative],
		}
		for row in settlement.cooperatives
	}


def refresh_payment_status(settlement):
	"""Store paid / still due on the settlement's co-op rows (after a payment or its cancel);
	`settlement` is its name, or the document when the caller has it loaded already."""
	if isinstance(settlement, str):
		settlement = frappe.get_doc("Campaign Settlement", settlement)
	status = payment_status(settlement)
	Row = DocType("Campaign Settlement Cooperative")
	for row in settlement.cooperatives:
		figures = status.get(row.cooperative, {"paid": 0, "due": 0})
		paid, due = float(to_yuan(figures["paid"])), float(to_yuan(figures["due"]))
		if (flt(row.paid_amount, 2), flt(row.due_amount, 2)) != (paid, due):
			frappe.qb.update(Row).set(Row.paid_amount, paid).set(Row.due_amount, due).where(
				Row.name == row.name
			).run()


@frappe.whitelist()
def make_payment_entry(
	settlement: str, cooperative: str, share: str | None = None, paid_from: str | None = None
):
	"""A draft Payment Entry (Pay) of what the settlement still owes `cooperative` on one
	share's payable (the first one with something due when `share` is not given)."""
	doc = frappe.get_doc("Campaign Settlement", settlement)
	doc.check_permission("read")
	frappe.has_permission("Payment Entry", "create", throw=True)
	if share and share not in SHARES:
		throw("Field {0}: {1} is not one of the shares", Msg("Rebate Share"), share)
	if doc.docstatus != 1:
		throw("Settlement {0} is not submitted: nothing to pay yet", doc.name, exc=NothingDueError)
	accounts = settlement_accounts(doc.company)
	due = outstanding(settlement_entries(doc.name), party=cooperative)
	wanted = [accounts.get(s) for s in ([share] if share else SHARES)]
	owed = sorted(
		(wanted.index(account), entry, account, fen)
		for (_party, account, entry), fen in due.items()
		if account in wanted and fen > 0
	)
	if not owed:
		throw("Nothing is due to {0} from settlement {1}", cooperative, doc.name, exc=NothingDueError)
	_position, entry_name, account, fen = owed[0]
	amount = float(to_yuan(fen))
	company = frappe.get_cached_value(
		"Company", doc.company, ["default_cash_account", "default_bank_account"], as_dict=True
	)
	payment = frappe.new_doc("Payment Entry")
	payment.update(
		{
			"payment_type": "Pay",
			"company": doc.company,
			"posting_date": nowdate(),
			"party_type": PARTY_TYPE,
			"party": cooperative,
			"party_name": frappe.db.get_value("Cooperative", cooperative, "cooperative_name"),
			"paid_from": paid_from or company.default_cash_account or company.default_bank_account,
			"paid_to": account,
			"paid_amount": amount,
			"received_amount": amount,
			"source_exchange_rate": 1,
			"target_exchange_rate": 1,
			"reference_no": doc.name,
			"reference_date": nowdate(),
			"remarks": f"统购结算 {doc.name} {cooperative}",
		}
	)
	payment.append(
		"references",
		{
			"reference_doctype": "Journal Entry",
			"reference_name": entry_name,
			"total_amount": amount,
			"outstanding_amount": amount,
			"allocated_amount": amount,
		},
	)
	return payment
