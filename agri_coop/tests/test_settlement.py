"""Campaign settlement (seed 000 §三(三)): revenue, cost, profit, and the profit returned to
the co-ops with largest-remainder rounding to the fen; posting, paying out, freezing, the
statement and the Rebates report."""

import random
from decimal import Decimal
from unittest.mock import patch

import frappe
import pytest
from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return
from erpnext.buying.doctype.purchase_order.purchase_order import make_purchase_receipt
from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice
from erpnext.stock.doctype.purchase_receipt.purchase_receipt import make_purchase_invoice
from frappe.utils import flt, nowdate

from agri_coop.settlement.accounts import (
	NothingDueError,
	make_payment_entry,
	settlement_accounts,
	settlement_entries,
)
from agri_coop.settlement.allocation import allocate, allocate_fen, to_fen
from agri_coop.settlement.computation import allocate_profit
from agri_coop.settlement.doctype.campaign_settlement.campaign_settlement import (
	CampaignSettledError,
	DuplicateSettlementError,
	SettlementIncompleteError,
	SettlementPaidError,
	SettlementPostingError,
	render_statement,
)
from agri_coop.settlement.posting import post_settlement
from agri_coop.tests.campaign_factories import create_campaign, create_order
from agri_coop.tests.utils import (
	LINYUAN,
	SHULINZHAO,
	SMC_USER,
	TOWN_USER,
	XINMINBAO,
	ZHAOJUN,
	ZHAOJUN_VILLAGE,
	as_user,
	create_member,
)
from agri_coop.utils.lookups import county_company

UREA, FILM = "测试结算尿素", "测试结算地膜"
# item -> (supplier, purchase rate, uniform sale price): prices that do not divide evenly
ITEMS = {UREA: ("测试供应商甲", 97.13, 103.37), FILM: ("测试供应商乙", 31.07, 33.29)}
POLICY = {
	"rebate_rate": 70,
	"federation_share": 15,
	"accumulation_share": 45,
	"member_rebate_share": 40,
	"staff_reward_share": 15,
}
FREIGHT, LANDED = 12.34, 5.55
ACCOUNTANT = "accountant@dalate.demo"


# -- allocate: largest remainder in whole fen


def test_allocate_adds_up_exactly():
	rng = random.Random(7)
	for _ in range(300):
		total = Decimal(rng.randrange(0, 10_000_000)) / 100
		weights = {
			f"k{i}": rng.choice([0, rng.random() * 1000, rng.randrange(1, 50)])
			for i in range(rng.randrange(1, 30))
		}
		if not any(weights.values()):
			weights["k0"] = 1
		parts = allocate(total, weights)
		assert sum(parts.values()) == total
		assert all(v >= 0 and v == v.quantize(Decimal("0.01")) for v in parts.values())
		assert all(parts[k] == 0 for k, w in weights.items() if not w)


def test_allocate_gives_leftover_fen_to_the_largest_remainders():
	# 10 fen by 1:2:3:4 → quotas 1, 2, 3, 4 exactly
	assert allocate_fen(10, {"a": 1, "b": 2, "c": 3, "d": 4}) == {"a": 1, "b": 2, "c": 3, "d": 4}
	# 100 fen by 1:1:1 → 33.33 each; the one fen left goes to the first key (equal weights)
	assert allocate_fen(100, {"b": 1, "a": 1, "c": 1}) == {"a": 34, "b": 33, "c": 33}
	# 7 fen by 0.2 : 0.3 : 0.5 → quotas 1.4, 2.1, 3.5: floors 1+2+3 = 6, the 7th to c (.5)
	assert allocate_fen(7, {"a": 0.2, "b": 0.3, "c": 0.5}) == {"a": 1, "b": 2, "c": 4}
	# 9 fen by 16:27:47 → quotas 1.6, 2.7, 4.7: floors 7, the 2 fen left go to the two .7s
	# (y and z), not to x's .6
	assert allocate_fen(9, {"x": 16, "y": 27, "z": 47}) == {"x": 1, "y": 3, "z": 5}
	# Hamilton, not rounding each part: 3 parts of 1/3 of 2 fen → 1, 1, 0 (not 1, 1, 1)
	assert sorted(allocate_fen(2, {"a": 1, "b": 1, "c": 1}).values()) == [0, 1, 1]


def test_allocate_breaks_ties_by_weight_then_key_whatever_the_order():
	# remainders tie at .5: the larger weight wins (45:15 of 426 fen → 319.5 / 106.5)
	assert allocate_fen(426, {"staff_reward": 15, "accumulation": 45}) == {
		"accumulation": 320,
		"staff_reward": 106,
	}
	# equal weights and remainders: the key's text decides, not the dict's order
	first = allocate_fen(5, {"乙": 1, "甲": 1})
	second = allocate_fen(5, {"甲": 1, "乙": 1})
	assert first == second and sum(first.values()) == 5


def test_allocate_refuses_what_cannot_be_split():
	with pytest.raises(ValueError):
		allocate_fen(-1, {"a": 1})
	with pytest.raises(ValueError):
		allocate_fen(5, {"a": -1, "b": 2})
	with pytest.raises(ValueError):
		allocate_fen(5, {"a": 0, "b": 0})
	assert allocate_fen(0, {"a": 0}) == {"a": 0}
	assert allocate(Decimal("0.005"), {"a": 1}) == {"a": Decimal("0.01")}  # half a fen rounds up


# -- the hand-computed example
#
# Orders (uniform prices 尿素 103.37, 地膜 33.29; purchase 97.13, 31.07):
#   新民堡村 (树林召镇): m1 尿素 3; m2 尿素 2 + 地膜 5; m3 地膜 1        → SO 716.59
#   林原村   (树林召镇): m4 尿素 4; m5 地膜 7                            → SO 646.51
#   和胜村   (昭君镇):   m6 尿素 1 + 地膜 3                              → SO 203.24
# 新民堡村 returns one 地膜 (credit note −33.29): its net purchases are 683.30.
# Revenue 683.30 + 646.51 + 203.24 = 1533.05
# Purchase invoices: 尿素 10 × 97.13 = 971.30, 地膜 16 × 31.07 = 497.12 → 1468.42
# Campaign costs: freight Journal Entry 12.34 + Landed Cost Voucher 5.55 = 17.89
# Profit 1533.05 − 1468.42 − 17.89 = 46.74 = 4674 fen
#
# 1. 4674 × 70% = 3271.8 / 30% = 1402.2 → returned 3272, kept 1402 (the fen to .8)
# 2. 3272 × 15% = 490.8 / 85% = 2781.2 → federations 491, villages 2781
# 3. 491 by towns' purchases 132981 : 20324 (fen) → 425.908 / 65.092 → 树林召镇 426, 昭君镇 65
# 4. 2781 by 68330 : 64651 : 20324 → 1239.527 / 1172.789 / 368.684 → the 2 fen left go to
#    林原村 (.789) and 和胜村 (.684): 新民堡村 1239, 林原村 1173, 和胜村 369
# 5. 45 / 40 / 15:
#    新民堡村 1239 → 557.55 / 495.6 / 185.85 → 557 / 496 / 186 (fen to staff .85, member .6)
#    林原村   1173 → 527.85 / 469.2 / 175.95 → 528 / 469 / 176 (staff .95, accumulation .85)
#    和胜村    369 → 166.05 / 147.6 / 55.35  → 166 / 148 / 55  (member .6)
#    towns, accumulation : staff = 45 : 15:
#    树林召镇 426 → 319.5 / 106.5 → tie at .5, the larger weight wins → 320 / 106
#    昭君镇    65 → 48.75 / 16.25 → 49 / 16
# 6. members, by order amounts:
#    新民堡村 rebate 496 by 310.11 : 373.19 : 33.29 → 214.648 / 258.310 / 23.042 → 215 / 258 / 23
#      basis 68330 (net of the return) → 29570.349 / 35585.297 / 3174.348 → 29571 / 35585 / 3174
#    林原村 469 by 413.48 : 233.03 → 299.952 / 169.048 → 300 / 169
#    和胜村 148 to m6 alone

EXPECTED_FIGURES = {
	"revenue": 1533.05,
	"purchase_cost": 1468.42,
	"campaign_costs": 17.89,
	"total_cost": 1486.31,
	"profit": 46.74,
	"returned_pool": 32.72,
	"retained_profit": 14.02,
	"federation_pool": 4.91,
	"village_pool": 27.81,
}
# co-op: (net purchases, accumulation, member rebate, staff reward, total)
EXPECTED_COOPS = {
	SHULINZHAO: (1329.81, 3.20, 0, 1.06, 4.26),
	XINMINBAO: (683.30, 5.57, 4.96, 1.86, 12.39),
	LINYUAN: (646.51, 5.28, 4.69, 1.76, 11.73),
	ZHAOJUN: (203.24, 0.49, 0, 0.16, 0.65),
	ZHAOJUN_VILLAGE: (203.24, 1.66, 1.48, 0.55, 3.69),
}
# member key: (village, ordered amount, basis, rebate)
EXPECTED_MEMBERS = {
	"m1": (XINMINBAO, 310.11, 295.71, 2.15),
	"m2": (XINMINBAO, 373.19, 355.85, 2.58),
	"m3": (XINMINBAO, 33.29, 31.74, 0.23),
	"m4": (LINYUAN, 413.48, 413.48, 3.00),
	"m5": (LINYUAN, 233.03, 233.03, 1.69),
	"m6": (ZHAOJUN_VILLAGE, 203.24, 203.24, 1.48),
}


def test_allocation_of_the_example_without_a_database():
	villages = {
		XINMINBAO: {"town": SHULINZHAO, "net": 68330},
		LINYUAN: {"town": SHULINZHAO, "net": 64651},
		ZHAOJUN_VILLAGE: {"town": ZHAOJUN, "net": 20324},
	}
	members = {
		XINMINBAO: {"m1": Decimal("310.11"), "m2": Decimal("373.19"), "m3": Decimal("33.29")},
		LINYUAN: {"m4": Decimal("413.48"), "m5": Decimal("233.03")},
		ZHAOJUN_VILLAGE: {"m6": Decimal("203.24")},
	}
	result = allocate_profit(4674, POLICY, villages, members)
	assert (result.returned_pool, result.retained, result.federation_pool, result.village_pool) == (
		3272,
		1402,
		491,
		2781,
	)
	coops = {
		r.cooperative: (r.net_purchases, r.accumulation, r.member_rebate, r.staff_reward, r.total)
		for r in result.cooperatives
	}
	assert coops == {k: tuple(to_fen(x) for x in v) for k, v in EXPECTED_COOPS.items()}
	assert [r.level for r in result.cooperatives].count("Town Federation") == 2
	got = {r.member: (r.cooperative, r.ordered_amount, r.basis_amount, r.rebate) for r in result.members}
	assert got == {k: (v[0], *(to_fen(x) for x in v[1:])) for k, v in EXPECTED_MEMBERS.items()}


def test_a_loss_or_nothing_allocates_nothing():
	villages = {XINMINBAO: {"town": SHULINZHAO, "net": 100}}
	for profit in (-5326, 0):
		result = allocate_profit(profit, POLICY, villages, {XINMINBAO: {"m": 1}})
		assert result.returned_pool == result.federation_pool == result.village_pool == 0
		assert all(row.total == 0 for row in result.cooperatives) and result.members == []


# -- the example through ERPNext documents


def gl_company():
	return county_company()


def account(account_name: str) -> str:
	return frappe.db.get_value(
		"Account", {"company": gl_company(), "account_name": account_name, "is_group": 0}
	)


def make_campaign_ready(leave_draft_invoice: bool = False, title: str = "测试结算活动"):
	"""The example above taken to Delivered, every order invoiced; returns (campaign, members)."""
	campaign = create_campaign(title, items=ITEMS, **POLICY)
	members = {}
	for key, village in (
		("m1", XINMINBAO),
		("m2", XINMINBAO),
		("m3", XINMINBAO),
		("m4", LINYUAN),
		("m5", LINYUAN),
		("m6", ZHAOJUN_VILLAGE),
	):
		members[key] = create_member(village, state="Active", member_name=f"结算社员{key}").name
	m = members
	create_order(
		campaign.name,
		XINMINBAO,
		[(m["m1"], UREA, 3), (m["m2"], UREA, 2), (m["m2"], FILM, 5), (m["m3"], FILM, 1)],
	)
	create_order(campaign.name, LINYUAN, [(m["m4"], UREA, 4), (m["m5"], FILM, 7)])
	create_order(campaign.name, ZHAOJUN_VILLAGE, [(m["m6"], UREA, 1), (m["m6"], FILM, 3)])
	with as_user(SMC_USER):
		frappe.get_doc("Purchase Campaign", campaign.name).close_campaign()

	for po in sorted(
		frappe.get_all("Purchase Order", {"agri_coop_campaign": campaign.name, "docstatus": 1}, pluck="name")
	):
		receipt = make_purchase_receipt(po)
		receipt.insert()
		receipt.submit()
		if receipt.supplier == ITEMS[UREA][0]:
			landed_cost(campaign.name, receipt)
		invoice = make_purchase_invoice(receipt.name)
		invoice.bill_no, invoice.bill_date = f"FP-{po}", invoice.posting_date
		invoice.insert()
		invoice.submit()

	sales_orders = frappe.get_all(
		"Sales Order",
		{"agri_coop_campaign": campaign.name, "docstatus": 1},
		["name", "agri_coop_cooperative"],
		order_by="name",
	)
	for index, so in enumerate(sales_orders):
		delivery = make_delivery_note(so.name)
		delivery.insert()
		delivery.submit()
		invoice = make_sales_invoice(delivery.name)
		invoice.insert()
		if leave_draft_invoice and index == len(sales_orders) - 1:
			continue
		invoice.submit()
		if so.agri_coop_cooperative == XINMINBAO:
			credit_note(invoice.name, FILM, 1)
	freight(campaign.name, FREIGHT)
	campaign.reload()
	return campaign, members


def landed_cost(campaign: str, receipt):
	voucher = frappe.get_doc(
		{
			"doctype": "Landed Cost Voucher",
			"company": receipt.company,
			"posting_date": nowdate(),
			"agri_coop_campaign": campaign,
			"distribute_charges_based_on": "Amount",
			"purchase_receipts": [
				{
					"receipt_document_type": "Purchase Receipt",
					"receipt_document": receipt.name,
					"supplier": receipt.supplier,
					"grand_total": receipt.grand_total,
				}
			],
			"taxes": [
				{
					"expense_account": frappe.get_cached_value(
						"Company", receipt.company, "expenses_included_in_valuation"
					),
					"description": "装卸费",
					"amount": LANDED,
				}
			],
		}
	)
	voucher.get_items_from_purchase_receipts()
	voucher.insert()
	voucher.submit()
	return voucher


def freight(campaign: str, amount: float):
	entry = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"company": gl_company(),
			"posting_date": nowdate(),
			"agri_coop_campaign": campaign,
			"accounts": [
				{
					"account": account("Freight and Forwarding Charges"),
					"debit_in_account_currency": amount,
					"cost_center": frappe.get_cached_value("Company", gl_company(), "cost_center"),
				},
				{
					"account": frappe.get_cached_value("Company", gl_company(), "default_cash_account"),
					"credit_in_account_currency": amount,
				},
			],
		}
	)
	entry.insert()
	entry.submit()
	return entry


def credit_note(invoice: str, item_code: str, qty: float):
	note = make_sales_return(invoice)
	note.items = [row for row in note.items if row.item_code == item_code]
	note.items[0].qty = -qty
	note.insert()
	note.submit()
	return note


def new_settlement(campaign: str):
	return frappe.get_doc({"doctype": "Campaign Settlement", "campaign": campaign, "posting_date": nowdate()})


def submit(settlement):
	"""Submit, then read back what the posting job (inline in tests) wrote: the entries and
	the posting status."""
	settlement.submit()
	settlement.reload()
	return settlement


@pytest.fixture
def ready():
	return make_campaign_ready()


def test_hand_computed_settlement_is_posted_and_balanced(ready):
	campaign, members = ready
	credit_notes = frappe.get_all(
		"Sales Invoice",
		{"agri_coop_campaign": campaign.name, "is_return": 1, "docstatus": 1},
		["agri_coop_cooperative", "base_net_total"],
	)
	assert [(c.agri_coop_cooperative, flt(c.base_net_total, 2)) for c in credit_notes] == [
		(XINMINBAO, -33.29)
	]

	with as_user(ACCOUNTANT):
		settlement = new_settlement(campaign.name).insert()
		submit(settlement)

	for field, value in EXPECTED_FIGURES.items():
		assert flt(settlement.get(field), 2) == value, field
	coops = {
		r.cooperative: (
			flt(r.net_purchases, 2),
			flt(r.accumulation, 2),
			flt(r.member_rebate, 2),
			flt(r.staff_reward, 2),
			flt(r.total, 2),
		)
		for r in settlement.cooperatives
	}
	assert coops == {k: tuple(float(x) for x in v) for k, v in EXPECTED_COOPS.items()}
	by_member = {
		r.member: (r.cooperative, flt(r.ordered_amount, 2), flt(r.basis_amount, 2), flt(r.rebate, 2))
		for r in settlement.members
	}
	assert by_member == {members[k]: v for k, v in EXPECTED_MEMBERS.items()}
	assert {r.member_name for r in settlement.members} == {f"结算社员{k}" for k in members}

	# parts add up at every level, to the fen
	fen = to_fen
	assert fen(settlement.returned_pool) + fen(settlement.retained_profit) == fen(settlement.profit)
	assert fen(settlement.federation_pool) + fen(settlement.village_pool) == fen(settlement.returned_pool)
	assert sum(fen(r.total) for r in settlement.cooperatives) == fen(settlement.returned_pool)
	for row in settlement.cooperatives:
		assert fen(row.accumulation) + fen(row.member_rebate) + fen(row.staff_reward) == fen(row.total)
		if row.level == "Village Cooperative":
			mine = [m for m in settlement.members if m.cooperative == row.cooperative]
			assert sum(fen(m.rebate) for m in mine) == fen(row.member_rebate)
			assert sum(fen(m.basis_amount) for m in mine) == fen(row.net_purchases)
	kinds = {(v.voucher_type, v.kind) for v in settlement.vouchers}
	assert kinds == {
		("Sales Invoice", "Revenue"),
		("Purchase Invoice", "Purchase Cost"),
		("Journal Entry", "Campaign Cost"),
		("Landed Cost Voucher", "Campaign Cost"),
	}

	# the Journal Entry: expense debited with the pool, one payable line per co-op and share
	assert settlement.journal_entry
	entry = frappe.get_doc("Journal Entry", settlement.journal_entry)
	assert entry.docstatus == 1 and entry.agri_coop_settlement == settlement.name
	accounts = settlement_accounts(settlement.company)
	debits = [(r.account, flt(r.debit, 2)) for r in entry.accounts if r.debit]
	assert debits == [(accounts["expense"], 32.72)]
	credits = {(r.party, r.account): flt(r.credit, 2) for r in entry.accounts if r.credit}
	expected = {}
	for coop, (_net, acc, member, staff, _total) in EXPECTED_COOPS.items():
		for share, amount in (("accumulation", acc), ("member_rebate", member), ("staff_reward", staff)):
			if amount:
				expected[(coop, accounts[share])] = amount
	assert credits == expected
	assert {r.party_type for r in entry.accounts if r.credit} == {"Cooperative"}
	gl = frappe.get_all("GL Entry", {"voucher_no": entry.name, "is_cancelled": 0}, ["debit", "credit"])
	assert flt(sum(g.debit for g in gl), 2) == flt(sum(g.credit for g in gl), 2) == 32.72
	assert frappe.db.get_value("Account", accounts["member_rebate"], ["account_type", "root_type"]) == (
		"Payable",
		"Liability",
	)
	assert frappe.db.get_value("Account", accounts["expense"], "root_type") == "Expense"

	assert frappe.db.get_value("Purchase Campaign", campaign.name, "campaign_state") == "Settled"
	# due = everything, nothing paid yet
	settlement.reload()
	assert {
		r.cooperative: (flt(r.paid_amount, 2), flt(r.due_amount, 2)) for r in settlement.cooperatives
	} == {k: (0.0, v[4]) for k, v in EXPECTED_COOPS.items()}


def test_cancel_reverses_the_posting_and_a_second_settlement_is_refused(ready):
	campaign, _ = ready
	assert not frappe.has_permission("Campaign Settlement", "create", user=TOWN_USER)
	with as_user(SMC_USER):  # the county SMC manager settles without any ERPNext accounts role
		settlement = new_settlement(campaign.name).insert()
		submit(settlement)
		with pytest.raises(DuplicateSettlementError):
			new_settlement(campaign.name).insert()
	entry = settlement.journal_entry
	assert frappe.db.get_value("Journal Entry", entry, "docstatus") == 1

	with as_user(SMC_USER):
		settlement.reload()
		settlement.cancel()
	assert frappe.db.get_value("Journal Entry", entry, "docstatus") == 2
	gl = frappe.get_all("GL Entry", {"voucher_no": entry}, ["debit", "credit", "account"])
	for acct in {g.account for g in gl}:
		assert flt(sum(g.debit - g.credit for g in gl if g.account == acct), 2) == 0
	assert frappe.db.get_value("Purchase Campaign", campaign.name, "campaign_state") == "Delivered"

	# cancelled: the campaign's documents may move again, and it can be settled anew
	again = new_settlement(campaign.name).insert()
	assert flt(again.returned_pool, 2) == 32.72


def test_a_loss_is_shown_and_nothing_is_allocated(ready):
	campaign, _ = ready
	freight(campaign.name, 100)  # costs now exceed the margin: 46.74 − 100 = −53.26
	settlement = new_settlement(campaign.name).insert()
	assert flt(settlement.profit, 2) == -53.26
	assert flt(settlement.returned_pool, 2) == flt(settlement.federation_pool, 2) == 0
	assert all(flt(r.total) == 0 for r in settlement.cooperatives)
	assert {r.cooperative for r in settlement.cooperatives} == set(EXPECTED_COOPS)
	assert settlement.members == []
	submit(settlement)
	assert not settlement.journal_entry
	assert frappe.db.get_value("Purchase Campaign", campaign.name, "campaign_state") == "Settled"


def test_refused_while_an_invoice_is_a_draft():
	campaign, _ = make_campaign_ready(leave_draft_invoice=True)
	draft = frappe.get_all(
		"Sales Invoice", {"agri_coop_campaign": campaign.name, "docstatus": 0}, pluck="name"
	)
	unbilled = frappe.get_all(
		"Sales Order", {"agri_coop_campaign": campaign.name, "per_billed": ("<", 100)}, pluck="name"
	)
	assert len(draft) == len(unbilled) == 1
	with pytest.raises(SettlementIncompleteError) as error:
		new_settlement(campaign.name).insert()
	message = str(error.value)
	assert draft[0] in message and unbilled[0] in message
	assert "草稿" in message and "draft" in message


def test_refused_before_the_campaign_is_delivered():
	campaign = create_campaign("测试未结束活动", items=ITEMS, **POLICY)
	with pytest.raises(SettlementIncompleteError, match="not yet delivered"):
		new_settlement(campaign.name).insert()


def test_a_settled_campaign_is_frozen(ready):
	campaign, _ = ready
	new_settlement(campaign.name).insert().submit()
	invoice = frappe.get_all(
		"Sales Invoice",
		{
			"agri_coop_campaign": campaign.name,
			"docstatus": 1,
			"is_return": 0,
			"agri_coop_cooperative": LINYUAN,
		},
		pluck="name",
	)[0]
	with pytest.raises(CampaignSettledError, match="cancel the settlement first"):
		frappe.get_doc("Sales Invoice", invoice).cancel()
	with pytest.raises(CampaignSettledError):
		credit_note(invoice, UREA, 1)  # a new return would change the settled figures
	for doctype in ("Purchase Invoice", "Delivery Note", "Journal Entry"):
		name = frappe.get_all(
			doctype,
			{"agri_coop_campaign": campaign.name, "docstatus": 1, "agri_coop_settlement": ("is", "not set")}
			if doctype == "Journal Entry"
			else {"agri_coop_campaign": campaign.name, "docstatus": 1},
			pluck="name",
		)[0]
		with pytest.raises(CampaignSettledError):
			frappe.get_doc(doctype, name).cancel()
	order = frappe.get_all("Campaign Order", {"campaign": campaign.name, "docstatus": 1}, pluck="name")[0]
	with pytest.raises(frappe.ValidationError):
		frappe.get_doc("Campaign Order", order).cancel()
	assert frappe.db.get_value("Sales Invoice", invoice, "docstatus") == 1


def test_paying_a_cooperative_and_what_is_still_due(ready):
	campaign, _ = ready
	settlement = new_settlement(campaign.name).insert()
	submit(settlement)

	payment = make_payment_entry(settlement.name, XINMINBAO)  # first share due: accumulation
	assert (payment.party_type, payment.party, flt(payment.paid_amount, 2)) == (
		"Cooperative",
		XINMINBAO,
		5.57,
	)
	payment.insert()
	payment.submit()
	member_payment = make_payment_entry(settlement.name, XINMINBAO, share="member_rebate")
	assert flt(member_payment.paid_amount, 2) == 4.96
	member_payment.insert()
	member_payment.submit()

	settlement.reload()
	row = next(r for r in settlement.cooperatives if r.cooperative == XINMINBAO)
	assert (flt(row.paid_amount, 2), flt(row.due_amount, 2)) == (10.53, 1.86)
	other = next(r for r in settlement.cooperatives if r.cooperative == LINYUAN)
	assert (flt(other.paid_amount, 2), flt(other.due_amount, 2)) == (0, 11.73)
	with pytest.raises(NothingDueError):
		make_payment_entry(settlement.name, XINMINBAO, share="accumulation")

	with pytest.raises(SettlementPaidError):
		frappe.get_doc("Campaign Settlement", settlement.name).cancel()
	payment.reload()
	payment.cancel()
	settlement.reload()
	row = next(r for r in settlement.cooperatives if r.cooperative == XINMINBAO)
	assert (flt(row.paid_amount, 2), flt(row.due_amount, 2)) == (4.96, 7.43)


def test_rebates_report_is_scoped_to_the_users_town(ready):
	from agri_coop.settlement.report.rebates.rebates import execute

	campaign, _ = ready
	new_settlement(campaign.name).insert().submit()

	_columns, data, _m, chart, summary = execute({"campaign": campaign.name})
	assert summary
	coops = {row["cooperative"] for row in data if row["indent"] == 2}
	assert coops == set(EXPECTED_COOPS)
	assert flt(data[0]["total"], 2) == 32.72
	assert chart["data"]["labels"] and len(chart["data"]["datasets"]) == 3

	with as_user(TOWN_USER):
		_columns, data, *_ = execute({"campaign": campaign.name})
	coops = {row["cooperative"] for row in data if row["indent"] == 2}
	assert coops == {SHULINZHAO, XINMINBAO, LINYUAN}
	assert flt(data[0]["total"], 2) == 4.26 + 12.39 + 11.73
	town_rows = [row for row in data if row["indent"] == 1]
	assert len(town_rows) == 1 and flt(town_rows[0]["net_purchases"], 2) == 1329.81

	from frappe.desk.query_report import run

	with as_user(TOWN_USER):  # through the desk's report runner: role check, chart, Excel rows
		result = run("Rebates", {"campaign": campaign.name})
	assert {row["cooperative"] for row in result["result"] if row.get("indent") == 2} == {
		SHULINZHAO,
		XINMINBAO,
		LINYUAN,
	}
	assert result["chart"] and result["report_summary"]

	from io import BytesIO

	from frappe.desk.query_report import _export_query
	from openpyxl import load_workbook

	with as_user(TOWN_USER):  # Excel export, as the report's Export button does
		assert frappe.permissions.can_export("Campaign Settlement")
		params = frappe._dict(
			report_name="Rebates",
			file_format_type="Excel",
			filters={"campaign": campaign.name},
			visible_idx=list(range(len(result["result"]))),
			include_indentation=0,
		)
		_name, extension, content = _export_query(params, {}, populate_response=False)
	cells = {str(c.value) for row in load_workbook(BytesIO(content)).active.iter_rows() for c in row}
	assert extension == "xlsx" and XINMINBAO in cells and ZHAOJUN_VILLAGE not in cells

	with as_user(TOWN_USER):
		columns, data, *_ = execute({"campaign": campaign.name, "share": "member_rebate"})
	assert [c["fieldname"] for c in columns if c["fieldtype"] == "Currency"] == [
		"net_purchases",
		"member_rebate",
	]
	assert flt(data[0]["member_rebate"], 2) == 4.96 + 4.69


def test_statement_of_one_cooperative(ready):
	campaign, _members = ready
	settlement = new_settlement(campaign.name).insert()
	submit(settlement)
	html = render_statement(settlement.name, XINMINBAO)
	assert "统购结算单" in html and campaign.name in html
	assert UREA in html and FILM in html  # what it bought
	assert "683.30" in html and "5.57" in html and "4.96" in html and "1.86" in html and "12.39" in html
	assert "结算社员m1" in html and "2.15" in html
	for signature in ("旗供销社", "合作社（盖章）", "经办人"):
		assert signature in html
	assert LINYUAN not in html  # one co-op's statement only

	with as_user(TOWN_USER):
		assert "12.39" in render_statement(settlement.name, XINMINBAO)
		with pytest.raises(frappe.PermissionError):
			render_statement(settlement.name, ZHAOJUN_VILLAGE)
	town = render_statement(settlement.name, SHULINZHAO)
	assert "辖内嘎查村" in town and XINMINBAO in town and "4.26" in town


def test_a_large_settlement_is_posted_in_several_entries(ready):
	"""ERPNext queues the submission of a Journal Entry of more than 100 lines; a settlement
	posts entries of at most ENTRY_LINES lines, a co-op's lines together."""
	campaign, _ = ready
	with patch("agri_coop.settlement.accounts.ENTRY_LINES", 5):
		settlement = new_settlement(campaign.name).insert()
		submit(settlement)
	entries = settlement_entries(settlement.name)
	# credit lines per co-op: 树林召镇 2, 新民堡村 3, 林原村 3, 昭君镇 2, 和胜村 3 → at most 4 per entry
	assert len(entries) == 5 and settlement.journal_entry == entries[0]
	posted, entry_of = {}, {}
	for name in entries:
		entry = frappe.get_doc("Journal Entry", name)
		assert entry.docstatus == 1 and len(entry.accounts) <= 5
		parties = {row.party for row in entry.accounts if row.credit}
		assert len(parties) == 1
		entry_of[parties.pop()] = name
		assert flt(entry.total_debit, 2) == flt(entry.total_credit, 2)
		for row in entry.accounts:
			if row.credit:
				posted[row.party] = flt(posted.get(row.party, 0) + row.credit, 2)
	assert posted == {coop: figures[4] for coop, figures in EXPECTED_COOPS.items()}

	payment = make_payment_entry(settlement.name, ZHAOJUN_VILLAGE, share="staff_reward")
	assert payment.references[0].reference_name == entry_of[ZHAOJUN_VILLAGE]
	assert flt(payment.paid_amount, 2) == 0.55
	payment.insert()
	payment.submit()
	with pytest.raises(SettlementPaidError):
		frappe.get_doc("Campaign Settlement", settlement.name).cancel()
	payment.cancel()
	frappe.get_doc("Campaign Settlement", settlement.name).cancel()
	assert {frappe.db.get_value("Journal Entry", name, "docstatus") for name in entries} == {2}


# -- posting in the background: Posting -> Posted / Failed, all entries or none


def settlement_gl(settlement: str) -> list:
	entries = frappe.get_all("Journal Entry", {"agri_coop_settlement": settlement}, pluck="name")
	return frappe.get_all("GL Entry", {"voucher_no": ("in", entries or [""])}, pluck="name")


def closed_period(company: str):
	"""ERPNext's own period lock: no Journal Entry may be posted in it."""
	return frappe.get_doc(
		{
			"doctype": "Accounting Period",
			"period_name": "测试结账期间",
			"company": company,
			"start_date": nowdate(),
			"end_date": nowdate(),
			"closed_documents": [{"document_type": "Journal Entry", "closed": 1}],
		}
	).insert(ignore_permissions=True)


def test_posting_runs_after_the_submit_and_ends_posted(ready):
	campaign, _ = ready
	with as_user(ACCOUNTANT):
		settlement = submit(new_settlement(campaign.name).insert())
	assert settlement.posting_status == "Posted" and settlement.posted_at and not settlement.posting_error
	assert settlement_entries(settlement.name) == [settlement.journal_entry]
	# the job again (a retried or duplicated job) posts nothing twice
	post_settlement(settlement.name)
	assert settlement_entries(settlement.name) == [settlement.journal_entry]
	with pytest.raises(SettlementPostingError, match="only a failed posting"):
		settlement.retry_posting()


def test_a_failing_posting_is_failed_with_its_reason_and_posts_nothing(ready):
	"""ERPNext refuses the entries (a closed accounting period): the settlement stays
	submitted, Failed with ERPNext's reason, no entry and no GL row exist, the campaign stays
	frozen; once the period is reopened, posting again posts everything."""
	campaign, _ = ready
	period = closed_period(campaign.company)
	settlement = submit(new_settlement(campaign.name).insert())
	assert settlement.docstatus == 1 and settlement.posting_status == "Failed"
	assert "closed Accounting Period" in settlement.posting_error
	assert not settlement.journal_entry and not settlement_entries(settlement.name)
	assert not frappe.get_all("Journal Entry", {"agri_coop_settlement": settlement.name})
	assert not settlement_gl(settlement.name)
	assert frappe.db.get_value("Purchase Campaign", campaign.name, "campaign_state") == "Settled"
	invoice = frappe.get_all(
		"Sales Invoice", {"agri_coop_campaign": campaign.name, "docstatus": 1}, pluck="name"
	)[0]
	with pytest.raises(CampaignSettledError):  # frozen from the moment posting started
		frappe.get_doc("Sales Invoice", invoice).cancel()
	with as_user(TOWN_USER), pytest.raises(frappe.PermissionError):
		settlement.retry_posting()

	period.delete()
	settlement.retry_posting()
	settlement.reload()
	assert settlement.posting_status == "Posted" and not settlement.posting_error
	entry = frappe.get_doc("Journal Entry", settlement.journal_entry)
	assert entry.docstatus == 1 and flt(entry.total_debit, 2) == flt(entry.total_credit, 2) == 32.72


def test_a_posting_failing_at_its_third_entry_leaves_none_of_the_first_two(ready):
	"""Five entries; the third fails (injected after ERPNext submitted the first two): the
	two are gone with their GL and Payment Ledger rows."""
	from agri_coop.settlement import accounts

	campaign, _ = ready
	real_post_entry, calls = accounts.post_entry, []

	def post_entry(settlement, number, *args):
		calls.append(number)
		if number == 3:
			raise frappe.ValidationError("the third entry cannot be posted")
		return real_post_entry(settlement, number, *args)

	ledgers = ("Journal Entry", "GL Entry", "Payment Ledger Entry")
	before = {doctype: frappe.db.count(doctype) for doctype in ledgers}
	with patch("agri_coop.settlement.accounts.ENTRY_LINES", 5):
		with patch("agri_coop.settlement.accounts.post_entry", post_entry):
			settlement = submit(new_settlement(campaign.name).insert())
		assert calls == [1, 2, 3]
		assert settlement.posting_status == "Failed" and "third entry" in settlement.posting_error
		assert {doctype: frappe.db.count(doctype) for doctype in ledgers} == before
		assert not frappe.get_all("Journal Entry", {"agri_coop_settlement": settlement.name})
		settlement.retry_posting()
	settlement.reload()
	assert settlement.posting_status == "Posted" and len(settlement_entries(settlement.name)) == 5


def test_a_lost_posting_job_is_posted_again_and_cancel_waits_for_the_posting(ready):
	"""A worker killed mid-job leaves the settlement Posting with nothing posted (its
	transaction died with it): cancelling waits, posting again (no job queued for it) posts."""
	campaign, _ = ready
	period = closed_period(campaign.company)  # keeps the first posting from posting anything
	settlement = submit(new_settlement(campaign.name).insert())
	period.delete()
	settlement.db_set("posting_status", "Posting")  # as the killed job left it
	with pytest.raises(SettlementPostingError, match="being posted"):
		frappe.get_doc("Campaign Settlement", settlement.name).cancel()
	settlement.retry_posting()
	settlement.reload()
	assert settlement.posting_status == "Posted" and settlement_entries(settlement.name) == [
		settlement.journal_entry
	]
