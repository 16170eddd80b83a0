"""Interest and the interest subsidy (贴息) to the fen on a hand-computed example, the claim
per bank and period submitted once, and the funds' Journal Entry on the programme's account.

The example (bank: 4.35 % a year, actual/360, 50 % of the principal subsidised at 2 % a
year, 12-month term, 30 grace days), the quarter 2028-01-01 … 2028-03-31 (91 days, 29
February included), members' campaign purchases on credit paid by the bank (受托支付):
- member A (新民堡村): 9,600.00 disbursed on 2028-01-16, 4,000.00 repaid on 2028-02-29:
  9,600 × 44 days (16 Jan … 28 Feb) + 5,600 × 32 days (29 Feb … 31 Mar) = 601,600 principal-days;
  interest 601,600 × 4.35 % / 360 = 72.6933…; subsidy 601,600 × 50 % × 2 % / 360 = 16.7111…
- member B (林原村): 4,800.00 disbursed on 2027-11-01 (before the quarter), 2,000.00 repaid on
  2028-03-01, line valid to 2028-03-20: 4,800 × 60 + 2,800 × 31 = 374,800 principal-days,
  interest 45.2883…; subsidised only within the line's validity: 4,800 × 60 + 2,800 × 20 =
  344,000 → subsidy 9.5555…
Totals rounded once: interest 117.98166… → 117.98 = A 72.69 + B 45.29; subsidy 26.2666… →
26.27, split by largest remainder A 16.71 + B 9.56 (B's remainder .555 beats A's .111).
"""

from datetime import date, timedelta
from fractions import Fraction

import frappe
import pytest
from frappe.utils import flt

from agri_coop.demo.campaigns import ensure_fiscal_years
from agri_coop.demo.credit import create_interest_program
from agri_coop.finance import interest
from agri_coop.finance.closed_loop import disburse_invoice
from agri_coop.finance.doctype.interest_subsidy_claim.interest_subsidy_claim import InterestSubsidyClaimError
from agri_coop.tests.credit_factories import (
	FILM,
	UREA,
	bank,
	create_campaign,
	credit_row,
	invoice_campaign,
	member_with_line,
	order,
)
from agri_coop.tests.test_credit import assert_gl_balanced
from agri_coop.tests.utils import LINYUAN, XINMINBAO

SUBSIDY_BANK = "测试贴息银行"
PRODUCT = {
	"annual_rate": 4.35,
	"subsidised_share": 50,
	"subsidy_rate": 2.0,
	"term_months": 12,
	"max_limit": 0,
}
Q1 = date(2028, 1, 1)


def repay(line, day, principal, reference):
	doc = frappe.get_doc(
		{
			"doctype": "Loan Repayment",
			"credit_line": line,
			"posting_date": day,
			"bank_reference": reference,
			"principal_amount": principal,
		}
	).insert()
	doc.submit()
	return doc


@pytest.fixture
def example():
	ensure_fiscal_years(2027, 2028)
	bank(SUBSIDY_BANK, product=PRODUCT)
	program = create_interest_program(name="测试贷款贴息项目")
	campaign = create_campaign("测试贴息活动")
	a, line_a = member_with_line(
		20000, bank_name=SUBSIDY_BANK, member_name="贴息甲", valid_from="2026-11-01", valid_to="2028-12-31"
	)
	b, line_b = member_with_line(
		20000,
		cooperative=LINYUAN,
		bank_name=SUBSIDY_BANK,
		member_name="贴息乙",
		valid_from="2026-11-01",
		valid_to="2028-03-20",
	)
	order(campaign.name, [credit_row(a, UREA, 80, line_a.name), credit_row(a, FILM, 4, mode="Pay Now")])
	order(campaign.name, [credit_row(b, UREA, 40, line_b.name)], cooperative=LINYUAN)
	invoices = invoice_campaign(campaign.name)
	disburse_invoice(invoices[LINYUAN], SUBSIDY_BANK, "2027-11-01", "FK-B")
	disburse_invoice(invoices[XINMINBAO], SUBSIDY_BANK, "2028-01-16", "FK-A")
	repay(line_a.name, "2028-02-29", 4000, "HK-A-1")
	repay(line_b.name, "2028-03-01", 2000, "HK-B-1")
	return {"a": line_a.name, "b": line_b.name, "program": program}


def test_interest_and_subsidy_to_the_fen_on_the_hand_computed_example(example):
	figures = interest.compute([example["a"], example["b"]], Q1, date(2028, 3, 31), "Actual/360", 30)
	a, b = figures[example["a"]], figures[example["b"]]
	assert a.principal_days == 9600 * 44 + 5600 * 32
	assert b.principal_days == 4800 * 60 + 2800 * 31
	assert b.subsidised_principal_days == 4800 * 60 + 2800 * 20  # the line ends on 20 March
	assert a.interest == Fraction(9600 * 44 + 5600 * 32) * Fraction(435, 10000) / 360


def test_the_claim_lists_each_line_and_its_totals_add_up_to_the_fen(example):
	claim = new_claim(example["program"])
	rows = {row.credit_line: row for row in claim.lines}
	pd_a, pd_b = 9600 * 44 + 5600 * 32, 4800 * 60 + 2800 * 31  # 601,600 and 374,800
	spd_b = 4800 * 60 + 2800 * 20  # 344,000
	assert (rows[example["a"]].principal_days, rows[example["b"]].principal_days) == (pd_a, pd_b)
	# interest: A 601,600 × 4.35 % / 360 = 72.6933…, B 374,800 × 4.35 % / 360 = 45.2883…
	# total 117.98166… → 117.98: A 72.69 + B 45.29 (largest remainder gives B the last fen)
	assert (rows[example["a"]].interest, rows[example["b"]].interest) == (72.69, 45.29)
	assert claim.total_interest == 117.98
	# subsidy: A 601,600 × 1 % / 360 = 16.7111…, B 344,000 × 1 % / 360 = 9.5555…; 26.2666… → 26.27
	assert (rows[example["a"]].subsidy, rows[example["b"]].subsidy) == (16.71, 9.56)
	assert claim.total_subsidy == 26.27
	assert flt(sum(r.subsidy for r in claim.lines), 2) == claim.total_subsidy
	assert flt(sum(r.interest for r in claim.lines), 2) == claim.total_interest
	assert rows[example["b"]].subsidised_principal_days == spd_b


def new_claim(program, period_type="Quarter", start=Q1, submit=True):
	claim = frappe.get_doc(
		{
			"doctype": "Interest Subsidy Claim",
			"partner_bank": SUBSIDY_BANK,
			"subsidy_program": program,
			"period_type": period_type,
			"period_start": start,
		}
	).insert()
	if submit:
		claim.submit()
	return claim


def test_a_member_period_is_claimed_once_and_the_funds_are_booked_balanced(example):
	claim = new_claim(example["program"])
	assert claim.claim_state == "Claimed"
	with pytest.raises(InterestSubsidyClaimError, match="already claimed"):
		new_claim(example["program"])
	with pytest.raises(InterestSubsidyClaimError, match="already claimed"):
		new_claim(example["program"], "Month", date(2028, 2, 1))
	entry = claim.record_funds("2028-04-20", "CZ-2028-001")
	assert_gl_balanced("Journal Entry", entry)
	fund_account = frappe.db.get_value("Subsidy Program", example["program"], "fund_account")
	credited = frappe.db.sql(
		"select sum(credit) - sum(debit) from `tabGL Entry` where voucher_no=%s and account=%s and is_cancelled=0",
		(entry, fund_account),
	)[0][0]
	assert flt(credited, 2) == claim.total_subsidy
	tagged = frappe.get_all("Journal Entry Account", {"parent": entry}, pluck="subsidy_program")
	assert tagged == [example["program"]] * 2
	claim.reload()
	assert claim.claim_state == "Funds Received" and claim.fund_journal_entry == entry
	with pytest.raises(InterestSubsidyClaimError):
		claim.cancel()  # its funds' entry is cancelled first


def test_a_claim_starts_on_its_periods_first_day(example):
	with pytest.raises(InterestSubsidyClaimError, match="starts on its first day"):
		new_claim(example["program"], "Quarter", date(2028, 2, 1), submit=False)


def test_overdue_principal_is_subsidised_only_within_the_grace_days():
	"""A tranche due 2027-12-15 (1-month term), 30 grace days: subsidised until 2028-01-14."""
	events = [(date(2027, 11, 15), 0, Fraction(1000))]
	(segment,) = interest.tranche_segments(events, 1)
	assert segment.due == date(2027, 12, 15)
	grace_end = segment.due + timedelta(days=30)
	assert interest.overlap_days(segment.start, segment.end, Q1, min(date(2028, 3, 31), grace_end)) == 14
