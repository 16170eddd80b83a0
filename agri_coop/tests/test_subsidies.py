"""Subsidy programmes (seeds 002, 003): each rule on its boundary, revenue from the ledger,
the public notice in working days, tranches to the fen, retention after 合格, no double
payment and a five-year cap, and a fund account that explains every payment."""

import frappe
import pytest
from frappe.utils import add_days, getdate, nowdate

from agri_coop.demo.subsidies import (
	create_application,
	create_books_company,
	create_enterprise,
	create_subsidy_program,
	ensure_fiscal_year,
	post_sales_invoice,
)
from agri_coop.settlement.allocation import to_fen
from agri_coop.subsidies.doctype.subsidy_application.subsidy_application import SubsidyApplicationError
from agri_coop.subsidies.notice import notice_end
from agri_coop.subsidies.payments import (
	DoublePaymentError,
	SubsidyPaymentError,
	fund_balance_fen,
	pay_tranche,
	receive_funds,
)
from agri_coop.tests.utils import SHULINZHAO, TOWN_USER, ZHAOJUN, as_user
from agri_coop.utils.lookups import county_company

BOOKS = "奖补测试乡级组织账套"
BOOKS_ABBR = "JBCSZ"


@pytest.fixture(scope="module")
def books_company():
	"""A town organisation that keeps its books on this site (committed once: a company's
	chart of accounts takes a while)."""
	frappe.set_user("Administrator")
	company = create_books_company(BOOKS, BOOKS_ABBR, SHULINZHAO)
	frappe.db.commit()
	return company


def award_program(**values):
	return create_subsidy_program(
		"测试年度奖励",
		"Annual Award",
		notice_working_days=0,
		first_year=2023,
		last_year=2030,
		budget=5_000_000,
		**values,
	)


def funded(program, amount=5_000_000, date="2023-01-02"):
	ensure_fiscal_year(getdate(date).year)
	receive_funds(program.name, amount, date, "测试到账")
	return program


def working(app) -> str:
	return app.eligibility_working or ""


# -- annual award: revenue from the ledger


def test_annual_award_threshold_exactly_on_the_fen(books_company):
	program = award_program()
	post_sales_invoice(books_company, 10_000_000, "2023-06-30", paid=True)
	post_sales_invoice(books_company, 9_999_999.99, "2024-06-30", paid=True)
	at = create_application(program.name, SHULINZHAO, 2023, ledger_company=books_company, star_rating=4)
	below = create_application(program.name, SHULINZHAO, 2024, ledger_company=books_company, star_rating=4)
	assert at.ledger_revenue == 10_000_000 and at.eligible == 1 and at.eligible_amount == 500_000
	assert below.ledger_revenue == 9_999_999.99 and below.eligible == 0 and below.eligible_amount == 0
	# the working names the rule, the figures and where they come from
	assert "10,000,000.00 ≥ 10,000,000.00" in working(at) and BOOKS in working(at)
	assert "✗" in working(below) and "9,999,999.99 ≥ 10,000,000.00" in working(below)


def test_star_rating_below_the_programme_is_not_eligible(books_company):
	program = award_program()
	post_sales_invoice(books_company, 12_000_000, "2023-06-30")
	three = create_application(program.name, SHULINZHAO, 2023, ledger_company=books_company, star_rating=3)
	assert three.eligible == 0 and "3 ≥ 4" in working(three)


def test_revenue_follows_a_cancelled_invoice_and_audited_figure_is_compared(books_company):
	program = award_program()
	post_sales_invoice(books_company, 6_000_000, "2023-03-31", paid=True)
	second = post_sales_invoice(books_company, 5_000_000, "2023-09-30", paid=False)
	app = create_application(
		program.name,
		SHULINZHAO,
		2023,
		ledger_company=books_company,
		star_rating=5,
		audited_revenue=11_000_000,
	)
	assert (app.ledger_revenue, app.paid_invoice_revenue, app.revenue_difference) == (
		11_000_000,
		6_000_000,
		0,
	)
	assert app.eligible == 1
	second.cancel()
	app.save()
	assert app.ledger_revenue == 6_000_000 and app.eligible == 0
	assert app.revenue_difference == 5_000_000  # the audited figure beside the ledger, not instead of it


def test_paid_revenue_only_counts_paid_invoices(books_company):
	program = award_program(paid_revenue_only=1)
	post_sales_invoice(books_company, 10_000_000, "2023-03-31", paid=False)
	app = create_application(program.name, SHULINZHAO, 2023, ledger_company=books_company, star_rating=4)
	assert app.ledger_revenue == 10_000_000 and app.paid_invoice_revenue == 0 and app.eligible == 0


def test_books_not_on_the_site_need_the_audit_report():
	program = award_program()
	app = create_application(program.name, SHULINZHAO, 2023, star_rating=4, audited_revenue=10_500_000)
	assert app.eligible == 1 and "audit report" in working(app)
	with pytest.raises(SubsidyApplicationError, match="audit report must be attached"):
		app.submit()


# -- co-op-run enterprise


def enterprise(name, registered_on, share, in_city=1):
	return create_enterprise(name, registered_on, share, in_city)


@pytest.mark.parametrize(
	("registered_on", "share", "eligible"),
	[("2023-01-01", 34, 1), ("2023-01-01", 33.99, 0), ("2022-12-31", 34, 0), ("2023-05-01", 51, 1)],
)
def test_enterprise_registration_date_and_holding_on_the_boundary(registered_on, share, eligible):
	program = award_program()
	supplier = enterprise("测试社办企业", registered_on, share)
	app = create_application(
		program.name,
		supplier,
		2023,
		beneficiary_type="Supplier",
		audited_revenue=20_000_000,
		audit_report="/x.pdf",
	)
	assert app.eligible == eligible, working(app)
	assert not app.cooperative  # an enterprise's application is the county's


def test_enterprise_revenue_threshold_is_its_own():
	program = award_program()
	supplier = enterprise("测试社办企业", "2023-02-01", 40)
	app = create_application(
		program.name, supplier, 2023, beneficiary_type="Supplier", audited_revenue=19_999_999.99
	)
	assert app.eligible == 0 and "19,999,999.99 ≥ 20,000,000.00" in working(app)


# -- five years, next year, no double payment


def submit_and_pay(program, year, posting_date=None, **values):
	app = create_application(
		program.name,
		SHULINZHAO,
		year,
		star_rating=4,
		audited_revenue=10_000_000,
		audit_report="/a.pdf",
		**values,
	)
	app.submit()
	ensure_fiscal_year(year + 1)
	pay_tranche(app.name, app.tranches[0].name, posting_date or f"{year + 1}-04-01")
	app.reload()
	return app


def test_award_is_paid_the_next_year_and_the_sixth_year_is_refused():
	program = funded(award_program(max_years=5))
	first = create_application(
		program.name, SHULINZHAO, 2023, star_rating=4, audited_revenue=10_000_000, audit_report="/a.pdf"
	)
	first.submit()
	with pytest.raises(SubsidyPaymentError, match="next year"):
		pay_tranche(first.name, first.tranches[0].name, "2023-12-31")
	pay_tranche(first.name, first.tranches[0].name, "2024-01-02")
	for year in range(2024, 2028):
		assert submit_and_pay(program, year).status == "Paid"
	sixth = create_application(
		program.name, SHULINZHAO, 2028, star_rating=4, audited_revenue=10_000_000, audit_report="/a.pdf"
	)
	assert sixth.eligible == 0 and "5 / 5" in working(sixth)
	with pytest.raises(SubsidyApplicationError, match="not eligible"):
		sixth.submit()


def test_second_application_for_the_same_year_is_refused():
	program = funded(award_program())
	submit_and_pay(program, 2023)
	again = create_application(
		program.name, SHULINZHAO, 2023, star_rating=4, audited_revenue=10_000_000, audit_report="/a.pdf"
	)
	assert again.eligible == 0 and "already paid" in working(again)
	with pytest.raises(SubsidyApplicationError):
		again.submit()


def test_a_tranche_is_paid_once():
	program = funded(award_program())
	app = submit_and_pay(program, 2023)
	with pytest.raises(DoublePaymentError, match="already paid"):
		pay_tranche(app.name, app.tranches[0].name, "2024-05-01")


def test_payment_needs_the_money_on_the_fund_account():
	program = award_program()
	app = create_application(
		program.name, SHULINZHAO, 2023, star_rating=4, audited_revenue=10_000_000, audit_report="/a.pdf"
	)
	app.submit()
	with pytest.raises(SubsidyPaymentError, match="less than"):
		pay_tranche(app.name, app.tranches[0].name, "2024-04-01")


# -- acceptance grant


def test_acceptance_grant_once_per_part_and_first_credit_part_to_the_seed_fund():
	program = funded(
		create_subsidy_program("测试验收奖补", "Acceptance Grant", notice_working_days=0), date="2024-01-02"
	)
	not_yet = create_application(program.name, SHULINZHAO, 2024, part="Credit Cooperation")
	assert not_yet.eligible == 0  # acceptance not passed
	credit = create_application(
		program.name,
		SHULINZHAO,
		2024,
		part="Credit Cooperation",
		acceptance_result="Acceptance Passed",
		acceptance_date="2024-03-01",
		submit=True,
	)
	assert credit.seed_fund == 1 and credit.eligible_amount == 500_000
	pay_tranche(credit.name, credit.tranches[0].name, "2024-03-10")
	credit.reload()
	assert credit.tranches[0].credited_account == program.seed_fund_account
	production = create_application(
		program.name,
		SHULINZHAO,
		2024,
		part="Production and Supply Cooperation",
		acceptance_result="Acceptance Passed",
		submit=True,
	)
	assert production.seed_fund == 0 and production.eligible_amount == 500_000
	again = create_application(
		program.name, SHULINZHAO, 2025, part="Credit Cooperation", acceptance_result="Acceptance Passed"
	)
	assert again.eligible == 0  # the credit part is paid once, whatever the year
	with pytest.raises(SubsidyApplicationError):
		create_application(
			program.name, "达拉特旗供销合作社", 2024, beneficiary_type="Company", part="Credit Cooperation"
		)


# -- project fund: notice, tranches, retention


def project_program(**values):
	return create_subsidy_program(
		"测试电子商务进农村专项资金",
		"Project Fund",
		legal_basis="新财建〔2018〕102号",
		budget=10_000_000,
		first_year=2024,
		last_year=2025,
		**values,
	)


def submitted_project(program, category="Other Project", amount=100_000):
	"""A submitted project-fund application of 树林召镇 for 2024."""
	return create_application(
		program.name, SHULINZHAO, 2024, project_category=category, requested_amount=amount, submit=True
	)


def test_tranches_advance_30_and_retention_10_to_the_fen():
	program = project_program(milestone_count=2)
	app = create_application(
		program.name, SHULINZHAO, 2024, project_category="Other Project", requested_amount=1_234_567.89
	)
	rows = [(t.tranche_type, t.amount) for t in app.tranches]
	# 30 % of 123456789 fen = 37037036.7 → 37037037; 10 % = 12345678.9 → 12345679 (at least the share)
	assert rows == [
		("Advance", 370_370.37),
		("Milestone", 370_370.37),
		("Milestone", 370_370.36),
		("Retention", 123_456.79),
	]
	assert sum(to_fen(t.amount) for t in app.tranches) == to_fen(1_234_567.89)


def test_public_service_centre_share_is_capped():
	program = project_program()
	at_cap = create_application(
		program.name, SHULINZHAO, 2024, project_category="Public Service Centre", requested_amount=1_500_000
	)
	over = create_application(
		program.name, ZHAOJUN, 2024, project_category="Public Service Centre", requested_amount=1_500_000.01
	)
	assert at_cap.eligible == 1 and over.eligible == 0


def national_day_holidays(company):
	holidays = [
		day
		for day in (getdate(add_days("2024-09-01", n)) for n in range(61))
		if (day.weekday() >= 5 and str(day) not in ("2024-09-29", "2024-10-12"))
		or "2024-10-01" <= str(day) <= "2024-10-07"
	]
	holiday_list = frappe.get_doc(
		{
			"doctype": "Holiday List",
			"holiday_list_name": "奖补公示测试 2024 秋",
			"from_date": "2024-09-01",
			"to_date": "2024-10-31",
			"holidays": [{"holiday_date": day, "description": "休"} for day in holidays],
		}
	).insert()
	frappe.db.set_value("Company", company, "default_holiday_list", holiday_list.name)


def test_notice_of_10_working_days_across_national_day():
	company = county_company()
	national_day_holidays(company)
	# Fri 09-27 (1), Sun 29 (2, 调休), Mon 30 (3), Oct 1-7 off, 8..11 (4-7), Sat 12 (8, 调休), 14 (9), 15 (10)
	assert notice_end("2024-09-27", 10, company) == getdate("2024-10-15")
	program = project_program()
	app = submitted_project(program)
	app.notice_start = "2024-09-27"
	app.save()
	assert getdate(app.notice_end) == getdate("2024-10-15") and app.notice_status == "Clean"
	app.append("objections", {"objection_date": "2024-10-15", "objector": "村民", "content": "公示内容不实"})
	app.save()
	assert app.notice_status == "Objected" and app.status == "Objected"


def test_no_funds_before_the_notice_ends_clean():
	program = funded(project_program(), date="2024-01-02")
	app = submitted_project(program)
	app.project_started_on = "2024-01-05"
	app.save()
	with pytest.raises(SubsidyPaymentError, match="public notice"):
		pay_tranche(app.name, app.tranches[0].name, nowdate())
	app.notice_start = nowdate()
	app.save()
	assert app.notice_status == "Under Notice"
	with pytest.raises(SubsidyPaymentError, match="public notice"):
		pay_tranche(app.name, app.tranches[0].name, nowdate())
	app.notice_start = "2024-01-02"
	app.append("objections", {"objection_date": "2024-01-03", "content": "异议"})
	app.save()
	with pytest.raises(SubsidyPaymentError, match="public notice"):
		pay_tranche(app.name, app.tranches[0].name, nowdate())


def gl_of(entry):
	rows = frappe.get_all(
		"GL Entry",
		{"voucher_no": entry, "is_cancelled": 0},
		["account", "debit", "credit", "subsidy_program"],
	)
	return rows


def test_project_fund_from_advance_to_retention_after_qualified():
	program = funded(project_program(), amount=2_000_000, date="2024-01-02")
	app = submitted_project(program, "Rural Products Upward", 1_000_000)
	app.notice_start = "2024-01-02"
	app.save()
	advance, milestone, retention = app.tranches
	with pytest.raises(SubsidyPaymentError, match="project has started"):
		pay_tranche(app.name, advance.name, "2024-02-01")
	app.project_started_on = "2024-02-01"
	app.save()
	entries = [pay_tranche(app.name, advance.name, "2024-02-05")]
	with pytest.raises(SubsidyPaymentError, match="Milestone Reached On"):
		pay_tranche(app.name, milestone.name, "2024-06-01")
	app.reload()
	app.tranches[1].reached_on = "2024-05-31"
	app.save()
	entries.append(pay_tranche(app.name, milestone.name, "2024-06-01"))
	with pytest.raises(SubsidyPaymentError, match="acceptance"):
		pay_tranche(app.name, retention.name, "2024-12-01")
	app.reload()
	app.acceptance_result, app.acceptance_date = "Acceptance Failed", "2024-11-30"
	app.save()
	with pytest.raises(SubsidyPaymentError, match="acceptance"):
		pay_tranche(app.name, retention.name, "2024-12-01")
	app.reload()
	assert (app.paid_amount, app.retained_amount, app.status) == (900_000, 100_000, "Partly Paid")
	app.acceptance_result, app.acceptance_date = "Acceptance Passed", "2024-12-15"
	app.save()
	entries.append(pay_tranche(app.name, retention.name, "2024-12-20"))
	app.reload()
	assert (app.paid_amount, app.retained_amount, app.unpaid_amount, app.status) == (1_000_000, 0, 0, "Paid")
	# each payment: balanced, on the fund account, tagged with the programme
	for entry, tranche in zip(entries, app.tranches, strict=True):
		rows = gl_of(entry)
		assert sum(r.debit for r in rows) == sum(r.credit for r in rows) == tranche.amount
		assert {r.subsidy_program for r in rows} == {program.name}
		assert [r.debit for r in rows if r.account == program.fund_account] == [tranche.amount]
	# the fund account explains every payment: arrivals − payments
	assert fund_balance_fen(program) == to_fen(2_000_000 - 1_000_000)
	# cancelling a payment un-pays its tranche
	entry = frappe.get_doc("Journal Entry", entries[-1])
	entry.cancel()
	app.reload()
	assert (
		app.tranches[-1].journal_entry is None
		and app.retained_amount == 100_000
		and app.status == "Partly Paid"
	)


def test_acceptance_result_and_tranches_cannot_be_forged_after_submit():
	program = project_program()
	app = submitted_project(program)
	app.append("tranches", {"tranche_type": "Retention", "amount": 1})
	with pytest.raises(SubsidyApplicationError, match="cannot be changed"):
		app.save()


def test_dividend_return_half_of_the_dividend_to_the_fen():
	from agri_coop.settlement.accounts import ensure_account

	company = county_company()
	income_group = frappe.db.get_value(
		"Account", {"company": company, "account_name": "Indirect Income", "is_group": 1}
	)
	dividend_account = ensure_account(company, "投资收益-社办企业分红", income_group, "Income", "")
	program = create_subsidy_program(
		"测试分红返还", "Dividend Return", notice_working_days=0, dividend_account=dividend_account
	)
	supplier = enterprise("测试分红社办企业", "2023-03-01", 40)
	cash = frappe.get_cached_value("Company", company, "default_cash_account")
	cost_center = frappe.get_cached_value("Company", company, "cost_center")
	dividend = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"company": company,
			"posting_date": "2024-06-30",
			"accounts": [
				{"account": cash, "debit_in_account_currency": 123_456.79, "cost_center": cost_center},
				{
					"account": dividend_account,
					"credit_in_account_currency": 123_456.79,
					"cost_center": cost_center,
				},
			],
		}
	).insert()
	dividend.submit()
	app = create_application(
		program.name, supplier, 2024, beneficiary_type="Supplier", dividend_voucher=dividend.name
	)
	assert app.eligible == 1 and app.eligible_amount == 61_728.40  # 6172839.5 fen → 6172840
	other_year = create_application(
		program.name, supplier, 2023, beneficiary_type="Supplier", dividend_voucher=dividend.name
	)
	assert other_year.eligible == 0  # received in 2024, not in 2023


def test_town_user_applies_only_for_own_organisations():
	program = award_program()
	with as_user(TOWN_USER):
		own = create_application(program.name, SHULINZHAO, 2023, star_rating=4, audited_revenue=1)
		assert own.cooperative == SHULINZHAO and own.town == SHULINZHAO
		with pytest.raises(frappe.PermissionError):
			create_application(program.name, ZHAOJUN, 2023, star_rating=4, audited_revenue=1)


# -- the fund account and the report


def test_a_hand_made_entry_cannot_pass_for_a_payment():
	program = funded(award_program())
	app = submit_and_pay(program, 2023)
	company = county_company()
	cost_center = frappe.get_cached_value("Company", company, "cost_center")
	cash = frappe.get_cached_value("Company", company, "default_cash_account")
	forged = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"company": company,
			"posting_date": "2024-05-01",
			"agri_coop_subsidy_application": app.name,
			"accounts": [
				{"account": program.fund_account, "debit_in_account_currency": 1, "cost_center": cost_center},
				{"account": cash, "credit_in_account_currency": 1, "cost_center": cost_center},
			],
		}
	)
	with pytest.raises(SubsidyPaymentError, match="payment of a tranche only"):
		forged.insert()


def test_report_reconciles_the_fund_account_and_shows_what_no_tranche_explains():
	from agri_coop.subsidies.report.subsidies.subsidies import execute

	program = funded(award_program(), amount=800_000)
	submit_and_pay(program, 2023)

	def programme_row():
		_columns, data, _message, chart, summary = execute({"group_by": "Programme", "program": program.name})
		return data[0], chart, summary

	row, chart, _summary = programme_row()
	assert (row.paid_amount, row.received, row.gl_balance, row.difference) == (500_000, 800_000, 300_000, 0)
	assert row.remaining_budget == 5_000_000 - 500_000
	assert chart["data"]["datasets"][0]["values"] == [500_000]
	company = county_company()
	cost_center = frappe.get_cached_value("Company", company, "cost_center")
	cash = frappe.get_cached_value("Company", company, "default_cash_account")
	outside = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"company": company,
			"posting_date": "2024-05-01",
			"accounts": [
				{
					"account": program.fund_account,
					"debit_in_account_currency": 1_000.01,
					"cost_center": cost_center,
					"subsidy_program": program.name,
				},
				{"account": cash, "credit_in_account_currency": 1_000.01, "cost_center": cost_center},
			],
		}
	).insert()
	outside.submit()
	row, _chart, summary = programme_row()
	assert row.gl_balance == 300_000 - 1_000.01 and row.difference == -1_000.01
	assert [item["value"] for item in summary if item["label"] == "Unexplained Difference"] == [-1_000.01]


def test_town_user_reads_only_its_own_rows_in_the_report():
	from agri_coop.subsidies.report.subsidies.subsidies import execute

	program = award_program()
	create_application(program.name, SHULINZHAO, 2023, star_rating=4, audited_revenue=1)
	create_application(program.name, ZHAOJUN, 2023, star_rating=4, audited_revenue=1)
	with as_user(TOWN_USER):
		columns, data, *_ = execute({"program": program.name})
	assert [row.beneficiary for row in data] == [SHULINZHAO]
	assert "gl_balance" not in {column["fieldname"] for column in columns}


# -- programme parameters, other rules


def test_programme_parameters_are_checked():
	from agri_coop.subsidies.doctype.subsidy_program.subsidy_program import SubsidyProgramError

	with pytest.raises(SubsidyProgramError, match="exceed the grant"):
		project_program(advance_percent=95, retention_percent=10)
	books = create_books_company(BOOKS, BOOKS_ABBR)
	foreign = frappe.db.get_value("Company", books, "default_cash_account")
	with pytest.raises(SubsidyProgramError, match="not a ledger account of company"):
		project_program(payment_account=foreign)
	with pytest.raises(SubsidyProgramError, match="must not be after"):
		create_subsidy_program("测试年度颠倒", "Project Fund", first_year=2026, last_year=2025)


def test_interest_subsidy_is_claimed_in_the_finance_module():
	program = create_subsidy_program("测试贴息项目", "Interest Subsidy", notice_working_days=0)
	app = create_application(program.name, SHULINZHAO, 2024)
	assert app.eligible == 0 and "Interest Subsidy Claim" in working(app)
	with pytest.raises(SubsidyApplicationError, match="not eligible"):
		app.submit()


def test_a_new_notice_after_an_objection_can_end_clean():
	program = project_program()
	app = submitted_project(program)
	app.notice_start = "2024-03-01"
	app.append(
		"objections",
		{"objection_date": "2024-03-04", "content": "公示材料不全", "handling": "已补充材料，重新公示"},
	)
	app.save()
	assert app.notice_status == "Objected"
	app.notice_start = "2024-03-18"  # published again after handling it
	app.save()
	assert app.notice_status == "Clean" and getdate(app.notice_end) == getdate("2024-03-29")


def test_an_application_with_paid_tranches_cannot_be_cancelled():
	program = funded(award_program())
	app = submit_and_pay(program, 2023)
	with pytest.raises(SubsidyApplicationError, match="cancel those Journal Entries first"):
		app.cancel()
	frappe.get_doc("Journal Entry", app.tranches[0].journal_entry).cancel()
	app.reload()
	assert app.status == "Approved" and app.paid_amount == 0
	app.cancel()
	assert frappe.db.get_value("Subsidy Application", app.name, "status") == "Cancelled"


def test_the_books_named_must_be_the_beneficiarys_own(books_company):
	"""A town cannot read another company's revenue by naming it as its books."""
	program = award_program()
	with pytest.raises(SubsidyApplicationError, match="does not keep the books"):
		create_application(program.name, ZHAOJUN, 2023, ledger_company=books_company, star_rating=4)
	with pytest.raises(SubsidyApplicationError, match="does not keep the books"):
		create_application(program.name, SHULINZHAO, 2023, ledger_company=county_company(), star_rating=4)


def test_payment_approval_form_prints_the_working_and_every_voucher():
	program = funded(award_program())
	app = submit_and_pay(program, 2023)
	html = frappe.get_print("Subsidy Application", app.name, print_format="奖补资金拨付审批表", doc=app)
	assert "奖补资金拨付审批表" in html and program.legal_basis in html
	assert app.tranches[0].journal_entry in html
	assert "10,000,000.00" in html  # the working's revenue figure and its source
	with as_user(TOWN_USER):
		other = create_application(program.name, SHULINZHAO, 2024, star_rating=4, audited_revenue=1)
	zhaojun = create_application(program.name, ZHAOJUN, 2023, star_rating=4, audited_revenue=1)
	with as_user(TOWN_USER), pytest.raises(frappe.PermissionError):
		frappe.get_print("Subsidy Application", zhaojun.name, print_format="奖补资金拨付审批表")
	assert other.cooperative == SHULINZHAO


def test_a_notice_that_has_ended_since_it_was_saved_is_clean_when_paying():
	from freezegun import freeze_time

	from agri_coop.subsidies.notice import refresh_notices

	program = funded(project_program(), date="2024-01-02")
	app = submitted_project(program)
	with freeze_time("2024-01-03"):
		app.notice_start, app.project_started_on = "2024-01-03", "2024-01-03"
		app.save()
	assert app.notice_status == "Under Notice"  # as saved on 2024-01-03
	refresh_notices()
	assert frappe.db.get_value("Subsidy Application", app.name, "notice_status") == "Clean"
	pay_tranche(app.name, app.tranches[0].name, "2024-02-01")
	assert frappe.db.get_value("Subsidy Application", app.name, "status") == "Partly Paid"


def test_report_shows_the_project_funds_upward_share():
	from agri_coop.subsidies.report.subsidies.subsidies import execute

	program = project_program()
	for town, category, amount in (
		(SHULINZHAO, "Rural Products Upward", 600_000),
		(ZHAOJUN, "Other Project", 400_000),
	):
		create_application(
			program.name, town, 2024, project_category=category, requested_amount=amount, submit=True
		)
	_columns, data, *_ = execute({"group_by": "Programme", "program": program.name})
	assert data[0].upward_share == 60 and data[0].remaining_budget == 9_000_000
