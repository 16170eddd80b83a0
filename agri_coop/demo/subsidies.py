"""Subsidy programmes of a 赤峰-style county (seeds 002, 003), and the builders the tests share.

The demo step (`load_demo_subsidies`) makes, on the county SMC's books:
- 乡级"三位一体"组织验收奖补 (acceptance grant, 赤政发〔2023〕14号): 树林召镇 passes acceptance,
  both parts are paid, the credit part into the credit seed fund (种子金);
- 乡级"三位一体"组织年度奖励 (annual award): 树林召镇 keeps its books on this site (its own
  ERPNext company); its 2023 revenue is above the threshold and the award is paid in 2024,
  its 2024 revenue is below and the application is not eligible;
- 电子商务进农村综合示范专项资金 (project fund with tranches, 新财建〔2018〕 style): one project
  with a clean notice, advance and milestone paid, retention paid after 合格; one whose
  notice drew an objection, nothing paid.
Funds arrive on each programme's fund account first; every movement carries the dimension.
"""

import frappe
from frappe.utils import add_days, getdate

from agri_coop.demo.builders import create_item_group
from agri_coop.demo.company import COUNTY_COMPANY, ensure_company
from agri_coop.demo.county import town_name
from agri_coop.settlement.accounts import ensure_account, payables_group
from agri_coop.subsidies.payments import pay_tranche, receive_funds

FUND_ACCOUNT = "专项应付款-奖补资金"
SEED_FUND_ACCOUNT = "信用合作种子金"


# -- builders (idempotent; shared with the tests)


def ensure_fiscal_year(year: int, company: str | None = None) -> str:
	"""The calendar year as an ERPNext Fiscal Year, open to `company` too."""
	name = frappe.db.get_value("Fiscal Year", {"year_start_date": f"{year}-01-01"})
	if not name:
		name = (
			frappe.get_doc(
				{
					"doctype": "Fiscal Year",
					"year": str(year),
					"year_start_date": f"{year}-01-01",
					"year_end_date": f"{year}-12-31",
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	elif company:
		fiscal_year = frappe.get_doc("Fiscal Year", name)
		companies = [row.company for row in fiscal_year.companies]
		if companies and company not in companies:
			fiscal_year.append("companies", {"company": company})
			fiscal_year.save(ignore_permissions=True)
	frappe.cache.delete_value("fiscal_years")  # ERPNext's cache of them
	return name


def ensure_fund_accounts(company: str) -> dict:
	"""The programme fund account (a liability: money held for the programme) and the credit
	seed fund, under the company's current liabilities."""
	payables = payables_group(company)
	group = frappe.db.get_value("Account", payables, "parent_account") or payables  # Current Liabilities
	return {
		"fund": ensure_account(company, FUND_ACCOUNT, group, "Liability", ""),
		"seed": ensure_account(company, SEED_FUND_ACCOUNT, group, "Liability", ""),
	}


def create_subsidy_program(program_name: str, rule_type: str, company: str | None = None, **values):
	if frappe.db.exists("Subsidy Program", program_name):
		return frappe.get_doc("Subsidy Program", program_name)
	company = company or COUNTY_COMPANY
	accounts = ensure_fund_accounts(company)
	doc = frappe.get_doc(
		{
			"doctype": "Subsidy Program",
			"program_name": program_name,
			"rule_type": rule_type,
			"company": company,
			"funder": values.pop("funder", "赤峰市财政局"),
			"legal_basis": values.pop("legal_basis", "赤政发〔2023〕14号"),
			"fund_account": accounts["fund"],
			"seed_fund_account": accounts["seed"] if rule_type == "Acceptance Grant" else None,
			"budget": values.pop("budget", 10_000_000),
			"first_year": values.pop("first_year", 2023),
			"last_year": values.pop("last_year", 2027),
			**values,
		}
	)
	return doc.insert()


def create_application(
	program: str, beneficiary: str, year: int, beneficiary_type: str = "Cooperative", **values
):
	"""A new application (draft unless submit=True)."""
	submit = values.pop("submit", False)
	doc = frappe.get_doc(
		{
			"doctype": "Subsidy Application",
			"program": program,
			"beneficiary_type": beneficiary_type,
			"beneficiary": beneficiary,
			"year": year,
			**values,
		}
	).insert()
	if submit:
		doc.submit()
	return doc


def create_books_company(company_name: str, abbr: str, cooperative: str | None = None) -> str:
	"""An ERPNext company that keeps a co-op's (town organisation's) books on this site."""
	company = ensure_company(company_name, abbr)
	if cooperative and frappe.db.get_value("Company", company, "agri_coop_cooperative") != cooperative:
		frappe.db.set_value("Company", company, "agri_coop_cooperative", cooperative)
	return company


def create_service_item(item_code: str = "综合服务收入") -> str:
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_name": item_code,
				"item_group": create_item_group("服务收入"),
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
	return item_code


def create_customer(name: str = "奖补演示客户") -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc({"doctype": "Customer", "customer_name": name, "customer_type": "Company"}).insert(
			ignore_permissions=True
		)
	return name


def post_sales_invoice(company: str, amount: float, posting_date: str, paid: bool = False):
	"""A submitted Sales Invoice of the company's (no tax), paid in full through ERPNext's own
	Payment Entry maker when `paid`."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	ensure_fiscal_year(getdate(posting_date).year, company)
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": company,
			"customer": create_customer(),
			"posting_date": posting_date,
			"set_posting_time": 1,
			"due_date": posting_date,
			"currency": "CNY",
			"items": [{"item_code": create_service_item(), "qty": 1, "rate": amount}],
		}
	)
	invoice.insert(ignore_permissions=True)
	invoice.submit()
	if paid:
		payment = get_payment_entry("Sales Invoice", invoice.name)
		payment.posting_date = posting_date
		payment.reference_no = invoice.name
		payment.reference_date = posting_date
		payment.insert(ignore_permissions=True)
		payment.submit()
	return invoice


# -- the demo step

TOWN = town_name("树林召镇")
OTHER_TOWN = town_name("王爱召镇")
TOWN_BOOKS = "树林召镇三位一体综合合作社"
TOWN_BOOKS_ABBR = "SLZ3W"
PROGRAMS = {
	"acceptance": "乡级三位一体组织验收奖补",
	"award": "乡级三位一体组织年度奖励",
	"dividend": "社办企业利润分红返还",
	"project": "电子商务进农村综合示范专项资金",
}
ENTERPRISE = "达拉特旗供销惠农农资有限公司"
DIVIDEND_ACCOUNT = "投资收益-社办企业分红"


def load_demo_subsidies():
	frappe.set_user("Administrator")
	for year in range(2023, 2026):
		ensure_fiscal_year(year)
	demo_acceptance_grant()
	demo_annual_award()
	demo_dividend_return()
	demo_project_fund()


def demo_acceptance_grant():
	program = create_subsidy_program(
		PROGRAMS["acceptance"],
		"Acceptance Grant",
		funder="赤峰市财政局",
		legal_basis="赤政发〔2023〕14号",
		budget=3_000_000,
	)
	if not frappe.db.exists("Subsidy Application", {"program": program.name, "beneficiary": OTHER_TOWN}):
		# another town has applied; its acceptance is still to come (not eligible yet)
		create_application(program.name, OTHER_TOWN, 2024, part="Production and Supply Cooperation")
	if frappe.db.exists("Subsidy Application", {"program": program.name, "docstatus": 1}):
		return
	receive_funds(program.name, 1_000_000, "2024-03-01", "赤财建〔2024〕3号")
	for part in ("Production and Supply Cooperation", "Credit Cooperation"):
		app = create_application(
			program.name,
			TOWN,
			2024,
			part=part,
			acceptance_result="Acceptance Passed",
			acceptance_date="2024-02-28",
			submit=True,
		)
		app.notice_start = "2024-03-01"  # 验收结果公示
		app.save()
		pay_tranche(app.name, app.tranches[0].name, "2024-03-25")


def demo_annual_award():
	program = create_subsidy_program(
		PROGRAMS["award"],
		"Annual Award",
		funder="达拉特旗财政局",
		legal_basis="赤政发〔2023〕14号 二(六)",
		budget=2_500_000,
		notice_working_days=0,
	)
	company = create_books_company(TOWN_BOOKS, TOWN_BOOKS_ABBR, TOWN)
	if frappe.db.exists("Subsidy Application", {"program": program.name}):
		return
	# its ledger: 2023 above the threshold (all paid), 2024 below it
	post_sales_invoice(company, 8_600_000, "2023-06-30", paid=True)
	post_sales_invoice(company, 2_150_000, "2023-11-30", paid=True)
	post_sales_invoice(company, 9_400_000, "2024-10-31", paid=True)
	receive_funds(program.name, 500_000, "2024-04-01", "达财预〔2024〕21号")
	above = create_application(
		program.name,
		TOWN,
		2023,
		ledger_company=company,
		star_rating=4,
		audited_revenue=10_750_000,
		evidence_notes="2023 年度会计报表审计报告（鄂尔多斯某会计师事务所）",
		submit=True,
	)
	pay_tranche(above.name, above.tranches[0].name, "2024-04-15")
	create_application(
		program.name, TOWN, 2024, ledger_company=company, star_rating=4, audited_revenue=9_400_000
	)


def create_enterprise(supplier_name: str, registered_on: str, smc_share: float, in_city: int = 1) -> str:
	"""A co-op-run enterprise (社办企业) as a Supplier with what seed 002 asks of it."""
	from agri_coop.demo.builders import create_supplier

	supplier = create_supplier(supplier_name)
	frappe.db.set_value(
		"Supplier",
		supplier,
		{
			"agri_coop_registration_date": registered_on,
			"agri_coop_registered_in_city": in_city,
			"agri_coop_smc_share": smc_share,
		},
	)
	return supplier


def demo_dividend_return():
	"""The SMC received a 2024 dividend from its enterprise; half goes back in 2025."""
	company = COUNTY_COMPANY
	income = frappe.db.get_value(
		"Account", {"company": company, "account_name": "Indirect Income", "is_group": 1}
	)
	dividend_account = ensure_account(company, DIVIDEND_ACCOUNT, income, "Income", "")
	program = create_subsidy_program(
		PROGRAMS["dividend"],
		"Dividend Return",
		funder="达拉特旗财政局",
		legal_basis="赤政发〔2023〕14号 二(八)",
		budget=1_000_000,
		dividend_account=dividend_account,
		notice_working_days=0,
	)
	if frappe.db.exists("Subsidy Application", {"program": program.name}):
		return
	enterprise = create_enterprise(ENTERPRISE, "2023-03-15", 51)
	cost_center = frappe.get_cached_value("Company", company, "cost_center")
	cash = frappe.get_cached_value("Company", company, "default_cash_account")
	dividend = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"company": company,
			"posting_date": "2024-12-20",
			"user_remark": f"{ENTERPRISE} 2024 年度利润分红",
			"accounts": [
				{"account": cash, "debit_in_account_currency": 368_400.50, "cost_center": cost_center},
				{
					"account": dividend_account,
					"credit_in_account_currency": 368_400.50,
					"cost_center": cost_center,
				},
			],
		}
	).insert()
	dividend.submit()
	receive_funds(program.name, 200_000, "2025-03-03", "达财预〔2025〕6号")
	app = create_application(
		program.name,
		enterprise,
		2024,
		beneficiary_type="Supplier",
		dividend_voucher=dividend.name,
		evidence_notes="2024 年度利润分配决议",
		submit=True,
	)
	pay_tranche(app.name, app.tranches[0].name, "2025-03-18")


def demo_project_fund():
	program = create_subsidy_program(
		PROGRAMS["project"],
		"Project Fund",
		funder="中央财政 / 自治区商务厅",
		legal_basis="新财建〔2018〕 电子商务进农村综合示范",
		budget=15_000_000,
		first_year=2024,
		last_year=2025,
	)
	if frappe.db.exists("Subsidy Application", {"program": program.name}):
		return
	receive_funds(program.name, 4_000_000, "2024-05-06", "中央财政专项资金 第一批")
	stations = frappe.get_all("Service Station", pluck="name", order_by="name", limit=2)
	clean = create_application(
		program.name,
		stations[0] if stations else TOWN,
		2024,
		beneficiary_type="Service Station" if stations else "Cooperative",
		project_category="Rural Products Upward",
		requested_amount=1_800_000,
		evidence_notes="县乡村三级物流配送体系（农产品上行）建设项目",
		submit=True,
	)
	clean.notice_start = "2024-05-06"
	clean.save()
	clean.project_started_on = "2024-06-03"
	clean.save()
	pay_tranche(clean.name, clean.tranches[0].name, "2024-06-10")  # advance
	clean.reload()
	clean.tranches[1].reached_on = "2024-09-30"
	clean.save()
	pay_tranche(clean.name, clean.tranches[1].name, "2024-10-08")  # milestone
	clean.reload()
	clean.acceptance_result, clean.acceptance_date = "Acceptance Passed", "2024-12-20"
	clean.save()
	pay_tranche(clean.name, clean.tranches[-1].name, "2024-12-27")  # retention after 合格
	objected = create_application(
		program.name,
		TOWN,
		2024,
		project_category="Public Service Centre",
		requested_amount=1_200_000,
		evidence_notes="县级电子商务公共服务中心改造项目",
		submit=True,
	)
	objected.notice_start = "2024-05-06"
	objected.append(
		"objections",
		{
			"objection_date": add_days("2024-05-06", 3),
			"objector": "匿名来信",
			"content": "承办企业选择未经政府采购程序",
		},
	)
	objected.save()


def check_demo_subsidies() -> list[str]:
	"""Each programme type from application to payment, and every movement balanced."""
	from agri_coop.subsidies.payments import fund_balance_fen

	problems = []
	for name in PROGRAMS.values():
		if not frappe.db.exists("Subsidy Program", name):
			problems.append(f"subsidy programme {name} missing")
			continue
		if not frappe.db.exists("Subsidy Application", {"program": name, "status": "Paid"}):
			problems.append(f"subsidy programme {name}: no application paid")
		if fund_balance_fen(frappe.get_doc("Subsidy Program", name)) < 0:
			problems.append(f"subsidy programme {name}: fund account overdrawn")
	if not frappe.db.exists("Subsidy Application", {"program": PROGRAMS["project"], "status": "Objected"}):
		problems.append("project fund: no application with an objected notice")
	return problems
