"""Credit purchase (赊购, seed 000 §二(二)5, §五(五)): credit lines, reservations in campaign
orders, the closed loop of loan money (受托支付) and its ledger."""

import frappe
import pytest
from frappe.utils import add_days, flt, nowdate

from agri_coop.finance.closed_loop import ClosedLoopError, disburse_invoice, reverse_disbursements
from agri_coop.finance.credit import CreditLimitError, CreditLineError
from agri_coop.finance.doctype.credit_line.credit_line import CreditLineStateError
from agri_coop.finance.doctype.loan_repayment.loan_repayment import LoanRepaymentError
from agri_coop.tests.credit_factories import (
	FILM,
	TEST_BANK,
	UREA,
	bank,
	create_campaign,
	create_credit_line,
	credit_row,
	invoice_campaign,
	member_with_line,
	order,
)
from agri_coop.tests.utils import LINYUAN, XINMINBAO, as_user, create_member

CAMPAIGN = "测试赊购活动"


@pytest.fixture
def campaign():
	bank()
	return create_campaign(CAMPAIGN)


def figures(line):
	return frappe.db.get_value(
		"Credit Line",
		line,
		["reserved_amount", "disbursed_amount", "outstanding_principal", "available_amount"],
		as_dict=True,
	)


def test_order_on_credit_reserves_the_amount_and_cancel_releases_it(campaign):
	member, line = member_with_line(1000)
	placed = order(campaign.name, [credit_row(member, UREA, 5, line.name)])  # 5 × 120 = 600
	assert figures(line.name) == {
		"reserved_amount": 600,
		"disbursed_amount": 0,
		"outstanding_principal": 0,
		"available_amount": 400,
	}
	placed.cancel()
	assert figures(line.name).reserved_amount == 0
	assert figures(line.name).available_amount == 1000
	# what was released can be ordered again
	order(campaign.name, [credit_row(member, UREA, 8, line.name)])  # 960
	assert figures(line.name).available_amount == 40


def test_the_limit_is_never_exceeded_across_orders(campaign):
	member, line = member_with_line(1000)
	order(campaign.name, [credit_row(member, UREA, 5, line.name)])  # 600
	second = order(
		campaign.name,
		[credit_row(member, UREA, 3, line.name), credit_row(member, FILM, 2, line.name)],
		submit=False,
	)
	with pytest.raises(CreditLimitError) as refused:  # 360 + 73 = 433 > 400 left
		second.submit()
	message = str(refused.value)
	assert line.name in message and "433" in message and "400" in message
	assert "赊购社员" in message  # names the member
	assert frappe.db.get_value("Campaign Order", second.name, "docstatus") == 0
	assert figures(line.name).reserved_amount == 600
	# paying the film now fits
	second.reload()
	second.lines[1].payment_mode = "Pay Now"
	second.save()
	second.submit()
	assert figures(line.name).reserved_amount == 960
	assert second.lines[1].credit_line is None


def test_the_only_active_line_is_taken_when_none_is_named(campaign):
	member, line = member_with_line(1000)
	placed = order(campaign.name, [credit_row(member, UREA, 1)])
	assert placed.lines[0].credit_line == line.name


def test_a_member_without_a_line_or_with_another_members_line_is_refused(campaign):
	_, line = member_with_line(1000)
	stranger = create_member(XINMINBAO, state="Active", member_name="无授信社员").name
	with pytest.raises(CreditLineError, match="no active credit line"):
		order(campaign.name, [credit_row(stranger, UREA, 1)])
	with pytest.raises(CreditLineError, match="is member 赊购社员's, not 无授信社员's"):
		order(campaign.name, [credit_row(stranger, UREA, 1, line.name)])


@pytest.mark.parametrize("state", ["Frozen", "Expired"])
def test_frozen_and_expired_lines_are_refused_naming_member_and_line(campaign, state):
	member, line = member_with_line(1000)
	if state == "Frozen":
		line.freeze()
	else:
		from agri_coop.demo.credit import expire_line

		expire_line(line)
	with pytest.raises(CreditLineError) as refused:
		order(campaign.name, [credit_row(member, UREA, 1, line.name)])
	message = str(refused.value)
	assert line.name in message and "赊购社员" in message
	assert ("冻结" in message or "失效" in message or "过期" in message) and state in message


def test_a_line_past_its_validity_is_refused(campaign):
	member, line = member_with_line(1000, valid_from=add_days(nowdate(), -60))
	# its end passed, and the daily job has not expired it yet
	frappe.db.set_value("Credit Line", line.name, "valid_to", add_days(nowdate(), -1))
	with pytest.raises(CreditLineError, match="is valid from"):
		order(campaign.name, [credit_row(member, UREA, 1, line.name)])


def test_one_active_line_per_member_and_bank(campaign):
	member, line = member_with_line(1000)
	second = create_credit_line(
		member, TEST_BANK, 500, state="Approved", new=True, valid_from=line.valid_from, valid_to=line.valid_to
	)
	with pytest.raises(CreditLineStateError, match="one active line per member and bank"):
		second.activate()


def test_credit_officer_takes_the_steps_and_the_village_user_reads_only():
	bank()
	member = create_member(XINMINBAO, state="Active").name
	line = create_credit_line(
		member, TEST_BANK, 3000, state="Applied", valid_from=nowdate(), valid_to=add_days(nowdate(), 200)
	)
	from agri_coop.tests.utils import VILLAGE_USER

	with as_user(VILLAGE_USER):
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc("Credit Line", line.name).record_survey("入户")
		assert frappe.has_permission("Credit Line", "read", line.name)
		assert not frappe.has_permission("Credit Line", "write", line.name)
		# masked: the bank requires it; the amount fields are level 1
		assert frappe.get_doc("Credit Line", line.name).approved_limit_display == "****"
	assert line.credit_state == "Applied"


def make_invoiced_campaign(campaign):
	"""Two members of 新民堡村 buy partly on credit, one of 林原村 too; invoiced."""
	a, line_a = member_with_line(5000, member_name="社员甲")
	b, line_b = member_with_line(5000, member_name="社员乙")
	c, line_c = member_with_line(5000, cooperative=LINYUAN, member_name="社员丙")
	order(
		campaign.name,
		[
			credit_row(a, UREA, 10, line_a.name),  # 1200 on credit
			credit_row(a, FILM, 2, mode="Pay Now"),  # 73 paid now
			credit_row(b, FILM, 10, line_b.name),  # 365 on credit
		],
	)
	order(campaign.name, [credit_row(c, UREA, 1, line_c.name)], cooperative=LINYUAN)
	invoices = invoice_campaign(campaign.name)
	return invoices, {"a": (a, line_a.name), "b": (b, line_b.name), "c": (c, line_c.name)}


def test_disbursement_pays_exactly_the_members_credit_parts_of_the_village_invoice(campaign):
	invoices, people = make_invoiced_campaign(campaign)
	invoice = invoices[XINMINBAO]
	grand_total = flt(frappe.db.get_value("Sales Invoice", invoice, "grand_total"))
	payment_name = disburse_invoice(invoice, TEST_BANK, nowdate(), "FK20240301001")
	payment = frappe.get_doc("Payment Entry", payment_name)
	assert payment.docstatus == 1 and payment.payment_type == "Receive"
	assert payment.paid_amount == 1565  # 1200 + 365, not the 73 paid now
	assert payment.party == frappe.db.get_value("Sales Invoice", invoice, "customer")
	assert payment.paid_to == frappe.db.get_value("Partner Bank", TEST_BANK, "receiving_account")
	assert frappe.db.get_value("Account", payment.paid_to, "account_type") == "Bank"
	assert payment.agri_coop_partner_bank == TEST_BANK
	assert [(r.reference_name, r.allocated_amount) for r in payment.references] == [(invoice, 1565)]
	assert flt(frappe.db.get_value("Sales Invoice", invoice, "outstanding_amount")) == flt(
		grand_total - 1565, 2
	)
	disbursements = frappe.get_all(
		"Loan Disbursement",
		{"payment_entry": payment_name, "docstatus": 1},
		["member", "amount", "credit_line"],
		order_by="amount",
	)
	assert [(d.member, d.amount) for d in disbursements] == [(people["b"][0], 365), (people["a"][0], 1200)]
	line_a = figures(people["a"][1])
	assert (line_a.reserved_amount, line_a.outstanding_principal, line_a.available_amount) == (0, 1200, 3800)
	assert_gl_balanced("Payment Entry", payment_name)
	# the other village's line is untouched: it is another invoice's
	assert figures(people["c"][1]).reserved_amount == 120
	# twice: nothing left to disburse on this invoice
	with pytest.raises(ClosedLoopError, match="no undisbursed purchase on credit"):
		disburse_invoice(invoice, TEST_BANK, nowdate(), "FK-again")
	# reversed: the reservation comes back, the invoice is due again
	reverse_disbursements(payment_name)
	assert figures(people["a"][1]).reserved_amount == 1200
	assert figures(people["a"][1]).outstanding_principal == 0
	assert flt(frappe.db.get_value("Sales Invoice", invoice, "outstanding_amount")) == flt(grand_total, 2)


def disbursement(**values):
	return frappe.get_doc({"doctype": "Loan Disbursement", "posting_date": nowdate(), **values})


def order_line(member):
	return frappe.db.get_value(
		"Campaign Order Line",
		{"member": member, "payment_mode": "On Credit", "parenttype": "Campaign Order"},
		["name", "parent", "amount", "credit_line"],
		as_dict=True,
	)


def test_each_refusal_of_the_closed_loop(campaign):
	invoices, people = make_invoiced_campaign(campaign)
	a, line_a = people["a"]
	b, line_b = people["b"]
	row_a = order_line(a)
	good = {
		"credit_line": line_a,
		"member": a,
		"campaign_order": row_a.parent,
		"campaign_order_line": row_a.name,
		"sales_invoice": invoices[XINMINBAO],
		"amount": 1200,
	}
	# without a campaign purchase (the line paid now, or no line at all)
	paid_now = frappe.db.get_value("Campaign Order Line", {"member": a, "payment_mode": "Pay Now"}, "name")
	with pytest.raises(ClosedLoopError, match="no submitted campaign purchase on credit"):
		disbursement(**{**good, "campaign_order_line": paid_now}).insert()
	with pytest.raises(ClosedLoopError, match="no submitted campaign purchase on credit"):
		disbursement(**{**good, "campaign_order_line": "nonexistent"}).insert()
	# above the purchase
	with pytest.raises(ClosedLoopError, match="above the campaign purchase"):
		disbursement(**{**good, "amount": 1200.01}).insert()
	# for another member (b's loan for a's purchase, or a's line named for b)
	with pytest.raises(ClosedLoopError, match="is not bought on credit line"):
		disbursement(**{**good, "credit_line": line_b, "member": b}).insert()
	with pytest.raises(ClosedLoopError, match="cannot pay it"):
		disbursement(**{**good, "member": b}).insert()
	# to a different invoice (the other village's)
	with pytest.raises(ClosedLoopError, match="does not carry campaign order line"):
		disbursement(**{**good, "sales_invoice": invoices[LINYUAN]}).insert()
	# not one by one, outside the flow with its payment
	draft = disbursement(**good).insert()
	with pytest.raises(ClosedLoopError, match="not one by one"):
		draft.submit()
	# twice: once the flow has paid it, the same purchase is refused
	disburse_invoice(invoices[XINMINBAO], TEST_BANK, nowdate(), "FK1")
	with pytest.raises(ClosedLoopError, match="already paid by loan disbursement"):
		disbursement(**good).insert()


def test_a_hand_made_payment_tagged_with_a_bank_or_its_cancel_is_refused(campaign):
	invoices, _people = make_invoiced_campaign(campaign)
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	payment = get_payment_entry("Sales Invoice", invoices[LINYUAN])
	payment.reference_no, payment.reference_date = "X", nowdate()
	payment.agri_coop_partner_bank = TEST_BANK
	with pytest.raises(ClosedLoopError, match="closed-loop flow only"):
		payment.insert()
	name = disburse_invoice(invoices[LINYUAN], TEST_BANK, nowdate(), "FK2")
	with pytest.raises(ClosedLoopError, match="Reverse Disbursements"):
		frappe.get_doc("Payment Entry", name).cancel()
	with pytest.raises(ClosedLoopError):
		frappe.get_doc("Loan Disbursement", {"payment_entry": name}).cancel()


def test_repayment_reduces_outstanding_and_a_statement_row_is_booked_once(campaign):
	invoices, people = make_invoiced_campaign(campaign)
	disburse_invoice(invoices[XINMINBAO], TEST_BANK, nowdate(), "FK3")
	_a, line_a = people["a"]
	repayment = frappe.get_doc(
		{
			"doctype": "Loan Repayment",
			"credit_line": line_a,
			"posting_date": nowdate(),
			"bank_reference": "HK-0001",
			"principal_amount": 500,
			"interest_amount": 3.2,
		}
	).insert()
	repayment.submit()
	assert figures(line_a).outstanding_principal == 700
	assert figures(line_a).available_amount == 4300
	again = frappe.get_doc({**repayment.as_dict(), "name": None, "docstatus": 0, "amended_from": None})
	with pytest.raises(LoanRepaymentError, match="already booked"):
		again.insert()
	too_much = frappe.get_doc(
		{
			"doctype": "Loan Repayment",
			"credit_line": line_a,
			"posting_date": nowdate(),
			"bank_reference": "HK-0002",
			"principal_amount": 700.01,
		}
	).insert()
	with pytest.raises(LoanRepaymentError, match="more than the 700"):
		too_much.submit()


def assert_gl_balanced(voucher_type, voucher_no):
	debit, credit = frappe.db.sql(
		"select sum(debit), sum(credit) from `tabGL Entry` where voucher_type=%s and voucher_no=%s and is_cancelled=0",
		(voucher_type, voucher_no),
	)[0]
	assert flt(debit, 2) == flt(credit, 2) and flt(debit) > 0


def test_a_credit_officer_acts_on_their_own_banks_lines_only(campaign):
	"""credit@dalate.demo holds a User Permission on the demo bank, not on the test bank."""
	from agri_coop.demo.credit import CREDIT_OFFICER_USER

	_member, line = member_with_line(1000)
	with as_user(CREDIT_OFFICER_USER):
		assert not frappe.has_permission("Credit Line", "read", line.name)
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc("Credit Line", line.name).freeze()
		assert line.name not in frappe.get_list("Credit Line", pluck="name", limit_page_length=0)


def test_the_daily_job_expires_lines_past_their_end(campaign):
	from agri_coop.finance.doctype.credit_line.credit_line import expire_lines

	_member, line = member_with_line(1000)
	_other, current = member_with_line(1000, member_name="有效社员")
	frappe.db.set_value("Credit Line", line.name, "valid_to", add_days(nowdate(), -1))
	expire_lines()
	assert frappe.db.get_value("Credit Line", line.name, "credit_state") == "Expired"
	assert frappe.db.get_value("Credit Line", current.name, "credit_state") == "Active"
