"""Benchmark: every leadership report and number card at county scale, as the county SMC
manager and as a town user (树林召镇), 5 runs each: median and max per report, and the ratio to
the same figure computed by Frappe's Report View (group-by, `frappe.get_list`) or ERPNext's
own analytics (Sales Analytics) measured side by side in the same run.

    bash scripts/benchmark.sh reports [members=100000] [villages=300] [campaigns=20] [lines=500000]

Runs on AGRI_COOP_BENCHMARK_SITE (use agri-coop-county.localhost). The county is generated
once, with bulk inserts, and reused (a site default records the scale made):
- villages through the app's own builder (each with its ERPNext Customer), then members,
  campaigns (4 seasons), one submitted Campaign Order per village and campaign with its
  member lines;
- for every order the ERPNext documents its consolidation would make, submitted: one Sales
  Order per village and campaign, one Purchase Order per supplier and campaign (delivered and
  received in full), one Sales Invoice per Sales Order and one Purchase Invoice per Purchase
  Order, each with its two balanced GL Entries (receivable/income, expense/payable); plus
  Sales Invoices outside campaigns (the share's denominator) and the statistics office's
  Input Purchase Volume per town and year.
Stock ledger entries are not generated (no report reads them). The orders' per-item
summaries (Campaign Order Summary) and the Coop Member index come from the same functions
migrate runs (agri_coop.reports.aggregates).
"""

import hashlib
import random
import statistics
import time
from datetime import date, datetime, timedelta

import frappe

from agri_coop.constants.cooperatives import TOWN, VILLAGE
from agri_coop.demo import masters
from agri_coop.demo.builders import create_campaign
from agri_coop.demo.campaigns import STATION
from agri_coop.demo.reports import create_input_purchase_volume
from agri_coop.utils.bulk import insert_rows
from agri_coop.utils.lookups import county_company
from benchmarks.member_import import ensure_benchmark_villages

SCALE_KEY = "agri_coop_benchmark_reports_scale"
COUNTY_USER, TOWN_USER = "smc@dalate.demo", "shulinzhao@dalate.demo"
RUNS = 5
SEASONS = ("2024 春耕备肥", "2024 秋季追肥", "2025 春耕备肥", "2025 秋季追肥")
OFFER = {
	masters.UREA: (masters.SINOCHEM, 108.0, 115.0),
	masters.DAP: (masters.YUNTIANHUA, 170.0, 182.0),
	masters.NPK: (masters.SINOCHEM, 128.0, 138.0),
	masters.SOP_NPK: (masters.YUNTIANHUA, 150.0, 160.0),
	masters.MULCH_FILM: (masters.TIANRUN_FILM, 11800.0, 12600.0),
}
STAMP = datetime(2025, 1, 1, 8)


def base(name: str, **values) -> dict:
	return {
		"name": name,
		"creation": STAMP,
		"modified": STAMP,
		"owner": "Administrator",
		"modified_by": "Administrator",
		**values,
	}


def insert_dicts(doctype: str, rows: list[dict]) -> int:
	if not rows:
		return 0
	columns = list(rows[0])
	return insert_rows(doctype, columns, ([row[c] for c in columns] for row in rows), chunk_size=1000)


# -- generation


def generate(members: int, villages: int, campaigns: int, lines: int):
	scale = f"{members}/{villages}/{campaigns}/{lines}"
	if frappe.db.get_default(SCALE_KEY) == scale:
		print(f"county of {scale} already generated")
		return
	if frappe.db.get_default(SCALE_KEY):
		raise SystemExit(
			f"this site holds another scale ({frappe.db.get_default(SCALE_KEY)}); use a new site"
		)
	started = time.monotonic()
	rng = random.Random(14)
	coops = ensure_benchmark_villages(villages)
	village_rows = frappe.get_all(
		"Cooperative",
		{"cooperative_type": VILLAGE, "disabled": 0},
		["name", "town", "customer"],
		order_by="lft",
	)[:villages]
	print(f"villages: {len(village_rows)} ({len(coops)}) in {time.monotonic() - started:.0f} s")
	by_village = generate_members(members, village_rows, rng)
	print(f"members: {members} in {time.monotonic() - started:.0f} s")
	campaign_names = generate_campaigns(campaigns)
	print(f"campaigns: {len(campaign_names)} in {time.monotonic() - started:.0f} s")
	generate_orders(campaign_names, village_rows, by_village, lines, rng)
	print(f"orders, lines and ERPNext documents in {time.monotonic() - started:.0f} s")
	generate_outside_purchases(village_rows, rng)
	for town in frappe.get_all("Cooperative", {"cooperative_type": TOWN}, pluck="name"):
		for year in (2024, 2025):
			create_input_purchase_volume(town, year, 40_000_000, source_date=f"{year + 1}-01-20")
	frappe.db.set_default(SCALE_KEY, scale)
	frappe.db.commit()
	print(f"county generated in {time.monotonic() - started:.0f} s")


def generate_members(count: int, villages, rng) -> dict[str, list[str]]:
	existing = frappe.db.count("Coop Member", {"name": ["like", "BM-%"]})
	by_village = {v.name: [] for v in villages}
	rows = []
	first_day = date(2023, 9, 1)
	for i in range(count):
		village = villages[i % len(villages)]
		name = f"BM-{i:07d}"
		by_village[village.name].append(name)
		if i < existing:
			continue
		roll = rng.random()
		state = "Active" if roll < 0.85 else ("Pre-registered" if roll < 0.95 else "Suspended")
		rows.append(
			base(
				name,
				naming_series="SY-.#######",
				member_name=f"社员{i:06d}",
				member_type="Household",
				state=state,
				mobile=f"139{i:08d}",
				cooperative=village.name,
				town=village.town,
				registered_on=first_day + timedelta(days=rng.randrange(0, 400))
				if state != "Pre-registered"
				else None,
				id_number_masked=f"150621********{i % 10000:04d}",
				id_number_hash=hashlib.sha256(f"bench-{i}".encode()).hexdigest(),
				land_area_mu=rng.randrange(5, 200),
			)
		)
		if len(rows) == 5000:
			insert_dicts("Coop Member", rows)
			rows = []
			frappe.db.commit()
	insert_dicts("Coop Member", rows)
	# producers: a village's members are 80-95% of them
	for village in villages:
		producers = int(len(by_village[village.name]) / (0.8 + 0.15 * rng.random()))
		frappe.db.set_value("Cooperative", village.name, "producer_count", producers, update_modified=False)
	frappe.db.commit()
	return by_village


def generate_campaigns(count: int) -> list[str]:
	names = []
	for i in range(count):
		season = SEASONS[i % len(SEASONS)]
		year = 2024 + (i % len(SEASONS)) // 2
		opens = datetime(year, 3 if "春" in season else 8, 1 + i // len(SEASONS), 9)
		title = f"基准 {season} 第{i // len(SEASONS) + 1}期"
		if not frappe.db.exists("Purchase Campaign", title):
			doc = create_campaign(
				title,
				OFFER,
				STATION,
				season=season,
				opens_on=opens,
				closes_on=opens + timedelta(days=10),
				delivery_date=(opens + timedelta(days=20)).date(),
			)
			frappe.db.set_value(
				"Purchase Campaign", doc.name, "campaign_state", "Delivered", update_modified=False
			)
		names.append(title)
	frappe.db.commit()
	return names


def generate_orders(campaigns, villages, by_village, total_lines: int, rng):
	company = county_company()
	accounts = frappe.get_cached_value(
		"Company",
		company,
		[
			"default_receivable_account",
			"default_income_account",
			"default_payable_account",
			"default_expense_account",
			"cost_center",
		],
		as_dict=True,
	)
	warehouse = frappe.db.get_value("Service Station", STATION, "warehouse")
	items = {
		code: frappe.db.get_value("Item", code, ["item_name", "stock_uom"], as_dict=True) for code in OFFER
	}
	per_order = max(1, total_lines // (len(campaigns) * len(villages)))
	serial = 0
	for c_index, campaign in enumerate(campaigns):
		if frappe.db.exists("Campaign Order", {"campaign": campaign}):
			continue
		opens = frappe.db.get_value("Purchase Campaign", campaign, "opens_on")
		day = opens.date() + timedelta(days=2)
		orders, order_lines, sos, so_items, sis, si_items, gl = [], [], [], [], [], [], []
		supplier_totals = {}
		for village in villages:
			serial += 1
			order = f"BTGD-{serial:06d}"
			so, si = f"BSO-{serial:06d}", f"BSI-{serial:06d}"
			members = by_village[village.name]
			per_item = {}
			for idx in range(1, per_order + 1):
				code = rng.choice(list(OFFER))
				qty = 1 if code == masters.MULCH_FILM else rng.randrange(5, 40)
				price = OFFER[code][2]
				order_lines.append(
					base(
						f"{order}-{idx:03d}",
						parent=order,
						parenttype="Campaign Order",
						parentfield="lines",
						idx=idx,
						docstatus=1,
						member=members[(idx * 7 + serial) % len(members)],
						member_name="社员",
						item_code=code,
						qty=qty,
						rate=price,
						amount=qty * price,
						payment_mode="Pay Now",
						sales_order=so,
					)
				)
				per_item[code] = per_item.get(code, 0) + qty
			amount = sum(qty * OFFER[code][2] for code, qty in per_item.items())
			orders.append(
				base(
					order,
					docstatus=1,
					campaign=campaign,
					cooperative=village.name,
					town=village.town,
					order_date=day,
					total_qty=sum(per_item.values()),
					total_amount=amount,
				)
			)
			common = {
				"docstatus": 1,
				"company": company,
				"customer": village.customer,
				"currency": "CNY",
				"conversion_rate": 1,
				"net_total": amount,
				"base_net_total": amount,
				"total": amount,
				"base_total": amount,
				"grand_total": amount,
				"base_grand_total": amount,
				"rounded_total": amount,
				"base_rounded_total": amount,
				"agri_coop_campaign": campaign,
				"agri_coop_cooperative": village.name,
			}
			sos.append(
				base(
					so,
					**common,
					transaction_date=day,
					delivery_date=day + timedelta(days=20),
					status="Completed",
					per_delivered=100,
					per_billed=100,
					selling_price_list="Standard Selling",
					price_list_currency="CNY",
					plc_conversion_rate=1,
				)
			)
			sis.append(
				base(
					si,
					**common,
					posting_date=day + timedelta(days=21),
					due_date=day + timedelta(days=51),
					status="Paid",
					outstanding_amount=0,
					debit_to=accounts.default_receivable_account,
				)
			)
			for i, (code, qty) in enumerate(sorted(per_item.items()), start=1):
				line = {
					"parenttype": None,
					"parentfield": "items",
					"idx": i,
					"docstatus": 1,
					"item_code": code,
					"item_name": items[code].item_name,
					"uom": items[code].stock_uom,
					"stock_uom": items[code].stock_uom,
					"conversion_factor": 1,
					"qty": qty,
					"stock_qty": qty,
					"rate": OFFER[code][2],
					"base_rate": OFFER[code][2],
					"amount": qty * OFFER[code][2],
					"base_amount": qty * OFFER[code][2],
					"net_amount": qty * OFFER[code][2],
					"base_net_amount": qty * OFFER[code][2],
					"warehouse": warehouse,
				}
				so_items.append(
					base(
						f"{so}-{i}",
						**{**line, "parent": so, "parenttype": "Sales Order"},
						delivered_qty=qty,
						billed_amt=line["amount"],
					)
				)
				si_items.append(
					base(
						f"{si}-{i}",
						**{**line, "parent": si, "parenttype": "Sales Invoice"},
						sales_order=so,
						income_account=accounts.default_income_account,
						cost_center=accounts.cost_center,
					)
				)
				supplier = OFFER[code][0]
				supplier_totals.setdefault(supplier, {}).setdefault(code, 0)
				supplier_totals[supplier][code] += qty
			gl += gl_pair(
				si,
				"Sales Invoice",
				day + timedelta(days=21),
				amount,
				accounts.default_receivable_account,
				accounts.default_income_account,
				"Customer",
				village.customer,
				accounts,
				company,
			)
		insert_dicts("Campaign Order", orders)
		insert_dicts("Campaign Order Line", order_lines)
		insert_dicts("Sales Order", sos)
		insert_dicts("Sales Order Item", so_items)
		insert_dicts("Sales Invoice", sis)
		insert_dicts("Sales Invoice Item", si_items)
		gl += generate_purchases(c_index, campaign, day, supplier_totals, items, accounts, company, warehouse)
		insert_dicts("GL Entry", gl)
		frappe.db.set_value(
			"Purchase Campaign",
			campaign,
			{"order_count": len(orders), "total_amount": sum(o["total_amount"] for o in orders)},
			update_modified=False,
		)
		frappe.db.commit()
		print(f"  {campaign}: {len(orders)} orders, {len(order_lines)} lines")


def generate_purchases(
	c_index, campaign, day, supplier_totals, items, accounts, company, warehouse
) -> list[dict]:
	pos, po_items, pis, pi_items, gl = [], [], [], [], []
	for s_index, (supplier, quantities) in enumerate(sorted(supplier_totals.items())):
		po, pi = f"BPO-{c_index:03d}-{s_index}", f"BPI-{c_index:03d}-{s_index}"
		amount = sum(qty * OFFER[code][1] for code, qty in quantities.items())
		common = {
			"docstatus": 1,
			"company": company,
			"supplier": supplier,
			"currency": "CNY",
			"conversion_rate": 1,
			"net_total": amount,
			"base_net_total": amount,
			"total": amount,
			"base_total": amount,
			"grand_total": amount,
			"base_grand_total": amount,
			"rounded_total": amount,
			"base_rounded_total": amount,
			"agri_coop_campaign": campaign,
		}
		pos.append(
			base(
				po,
				**common,
				transaction_date=day + timedelta(days=1),
				schedule_date=day + timedelta(days=15),
				status="Completed",
				per_received=100,
				per_billed=100,
			)
		)
		pis.append(
			base(
				pi,
				**common,
				posting_date=day + timedelta(days=16),
				due_date=day + timedelta(days=46),
				status="Paid",
				outstanding_amount=0,
				credit_to=accounts.default_payable_account,
			)
		)
		for i, (code, qty) in enumerate(sorted(quantities.items()), start=1):
			line = {
				"parentfield": "items",
				"idx": i,
				"docstatus": 1,
				"item_code": code,
				"item_name": items[code].item_name,
				"uom": items[code].stock_uom,
				"stock_uom": items[code].stock_uom,
				"conversion_factor": 1,
				"qty": qty,
				"stock_qty": qty,
				"rate": OFFER[code][1],
				"base_rate": OFFER[code][1],
				"amount": qty * OFFER[code][1],
				"base_amount": qty * OFFER[code][1],
				"net_amount": qty * OFFER[code][1],
				"base_net_amount": qty * OFFER[code][1],
				"warehouse": warehouse,
			}
			po_items.append(
				base(
					f"{po}-{i}",
					**line,
					parent=po,
					parenttype="Purchase Order",
					received_qty=qty,
					billed_amt=line["amount"],
					schedule_date=day + timedelta(days=15),
				)
			)
			pi_items.append(
				base(
					f"{pi}-{i}",
					**line,
					parent=pi,
					parenttype="Purchase Invoice",
					purchase_order=po,
					expense_account=accounts.default_expense_account,
					cost_center=accounts.cost_center,
				)
			)
		gl += gl_pair(
			pi,
			"Purchase Invoice",
			day + timedelta(days=16),
			amount,
			accounts.default_expense_account,
			accounts.default_payable_account,
			"Supplier",
			supplier,
			accounts,
			company,
			party_on_credit=True,
		)
	insert_dicts("Purchase Order", pos)
	insert_dicts("Purchase Order Item", po_items)
	insert_dicts("Purchase Invoice", pis)
	insert_dicts("Purchase Invoice Item", pi_items)
	return gl


def gl_pair(
	voucher,
	voucher_type,
	posting_date,
	amount,
	debit_account,
	credit_account,
	party_type,
	party,
	accounts,
	company,
	party_on_credit=False,
) -> list[dict]:
	"""The voucher's two balanced GL Entries (the party on its receivable / payable side)."""
	fiscal_year = str(posting_date.year)
	rows = []
	for n, (account, debit, credit, with_party) in enumerate(
		((debit_account, amount, 0, not party_on_credit), (credit_account, 0, amount, party_on_credit)),
		start=1,
	):
		rows.append(
			base(
				f"BGL-{voucher}-{n}",
				docstatus=1,
				posting_date=posting_date,
				account=account,
				debit=debit,
				credit=credit,
				debit_in_account_currency=debit,
				credit_in_account_currency=credit,
				account_currency="CNY",
				voucher_type=voucher_type,
				voucher_no=voucher,
				company=company,
				cost_center=accounts.cost_center,
				fiscal_year=fiscal_year,
				party_type=party_type if with_party else None,
				party=party if with_party else None,
				is_cancelled=0,
			)
		)
	return rows


def generate_outside_purchases(villages, rng):
	"""Farm inputs the co-ops bought through ERPNext outside campaigns (Sales Invoices, no campaign)."""
	if frappe.db.exists("Sales Invoice", "BSI-OUT-000001"):
		return
	company = county_company()
	accounts = frappe.get_cached_value(
		"Company",
		company,
		["default_receivable_account", "default_income_account", "cost_center"],
		as_dict=True,
	)
	invoices, gl = [], []
	for i in range(1, 3001):
		village = villages[i % len(villages)]
		day = date(2024 + i % 2, 1 + i % 12, 1 + i % 28)
		amount = float(rng.randrange(2000, 40000))
		name = f"BSI-OUT-{i:06d}"
		invoices.append(
			base(
				name,
				docstatus=1,
				company=company,
				customer=village.customer,
				currency="CNY",
				conversion_rate=1,
				net_total=amount,
				base_net_total=amount,
				total=amount,
				base_total=amount,
				grand_total=amount,
				base_grand_total=amount,
				posting_date=day,
				due_date=day,
				status="Paid",
				outstanding_amount=0,
				debit_to=accounts.default_receivable_account,
			)
		)
		gl += gl_pair(
			name,
			"Sales Invoice",
			day,
			amount,
			accounts.default_receivable_account,
			accounts.default_income_account,
			"Customer",
			village.customer,
			accounts,
			company,
		)
	insert_dicts("Sales Invoice", invoices)
	insert_dicts("GL Entry", gl)
	frappe.db.commit()


# -- measurement


def timed(fn, runs=RUNS) -> tuple[float, float]:
	times = []
	for _ in range(runs):
		started = time.perf_counter()
		fn()
		times.append(time.perf_counter() - started)
	return statistics.median(times), max(times)


def report_runner(name, filters=None):
	from frappe.desk.query_report import run

	return lambda: run(name, filters=filters or {}, user=frappe.session.user, ignore_prepared_report=True)


def card_runner(method):
	from agri_coop.reports import dashboard

	return lambda: getattr(dashboard, method)()


def baselines() -> dict:
	"""The same figure through Frappe's Report View (group-by) or ERPNext's analytics."""
	season_campaigns = lambda: frappe.get_all(  # noqa: E731
		"Purchase Campaign", {"season": SEASONS[-1]}, pluck="name"
	)
	return {
		"registration": lambda: frappe.get_list(
			"Coop Member",
			fields=["cooperative", "state", "count(name) as n"],
			group_by="cooperative, state",
			limit_page_length=0,
		),
		"trend": lambda: frappe.get_list(
			"Coop Member",
			filters={"state": "Active"},
			fields=["registered_on", "count(name) as n"],
			group_by="registered_on",
			limit_page_length=0,
		),
		"campaign": lambda: frappe.get_list(
			"Campaign Order",
			filters=[
				["Campaign Order", "campaign", "in", season_campaigns()],
				["Campaign Order", "docstatus", "=", 1],
			],
			fields=[
				"cooperative",
				"`tabCampaign Order Line`.item_code",
				"sum(`tabCampaign Order Line`.amount) as v",
			],
			group_by="cooperative, `tabCampaign Order Line`.item_code",
			limit_page_length=0,
		),
		"sales_analytics": lambda: frappe.get_attr(
			"erpnext.selling.report.sales_analytics.sales_analytics.execute"
		)(
			frappe._dict(
				tree_type="Customer",
				doc_type="Sales Order",
				value_quantity="Value",
				range="Monthly",
				from_date="2025-01-01",
				to_date="2025-12-31",
				company=county_company(),
			)
		),
		"share": lambda: frappe.get_list(
			"Campaign Order",
			filters={"docstatus": 1},
			fields=["town", "sum(total_amount) as v"],
			group_by="town",
			limit_page_length=0,
		),
		"departments": lambda: frappe.get_list(
			"Purchasing Department",
			fields=["state", "count(name) as n"],
			group_by="state",
			limit_page_length=0,
		),
		"stations": lambda: frappe.get_list(
			"Service Station",
			fields=["station_type", "count(name) as n"],
			group_by="station_type",
			limit_page_length=0,
		),
		"rebates": lambda: frappe.get_list(
			"Campaign Settlement", filters={"docstatus": 1}, fields=["count(name) as n"], limit_page_length=0
		),
		"credit": lambda: frappe.get_list(
			"Credit Line",
			fields=["cooperative", "count(name) as n"],
			group_by="cooperative",
			limit_page_length=0,
		),
		"subsidies": lambda: frappe.get_list(
			"Subsidy Application",
			fields=["program", "count(name) as n"],
			group_by="program",
			limit_page_length=0,
		),
	}


CASES = (
	# (label, runner factory, baseline key)
	("Member Registration Rate", lambda: report_runner("Member Registration Rate"), "registration"),
	("Registration Trend", lambda: report_runner("Registration Trend"), "trend"),
	("Organisation Build-out", lambda: report_runner("Organisation Build-out"), "departments"),
	(
		"Campaign Summary (Item)",
		lambda: report_runner("Campaign Summary", {"season": SEASONS[-1]}),
		"campaign",
	),
	(
		"Campaign Summary (Village)",
		lambda: report_runner("Campaign Summary", {"season": SEASONS[-1], "group_by": "Village"}),
		"sales_analytics",
	),
	("Group-purchase Share", lambda: report_runner("Group-purchase Share"), "share"),
	("Station Coverage", lambda: report_runner("Station Coverage"), "stations"),
	("Rebates", lambda: report_runner("Rebates"), "rebates"),
	("Credit Purchase", lambda: report_runner("Credit Purchase"), "credit"),
	("Subsidies", lambda: report_runner("Subsidies"), "subsidies"),
	("card: Registration Rate", lambda: card_runner("registration_rate"), "registration"),
	("card: Group-purchase Share", lambda: card_runner("group_purchase_share_card"), "share"),
	("card: Certified Departments", lambda: card_runner("certified_departments"), "departments"),
	("card: Savings This Season", lambda: card_runner("season_savings"), "campaign"),
	("card: Rebates Returned", lambda: card_runner("rebates_returned"), "rebates"),
	("card: Credit Outstanding", lambda: card_runner("credit_outstanding"), "credit"),
	("card: Subsidies Paid Out", lambda: card_runner("subsidies_paid"), "subsidies"),
	("card: Town E-commerce", lambda: card_runner("town_ecommerce_coverage"), "stations"),
	("card: Village E-commerce", lambda: card_runner("village_ecommerce_coverage"), "stations"),
	("card: Town Logistics", lambda: card_runner("town_logistics_coverage"), "stations"),
	("card: Village Logistics", lambda: card_runner("village_logistics_coverage"), "stations"),
)


def measure(only: str | None = None):
	counts = {
		"members": frappe.db.count("Coop Member"),
		"villages": frappe.db.count("Cooperative", {"cooperative_type": VILLAGE}),
		"campaigns": frappe.db.count("Purchase Campaign"),
		"order lines": frappe.db.count("Campaign Order Line"),
		"sales orders": frappe.db.count("Sales Order"),
		"GL entries": frappe.db.count("GL Entry"),
	}
	print("site:", frappe.local.site, ", ".join(f"{k} {v:,}" for k, v in counts.items()))
	print(f"{'report / card':32} {'user':7} {'median s':>9} {'max s':>7} {'baseline s':>11} {'ratio':>6}")
	for user, label in ((COUNTY_USER, "county"), (TOWN_USER, "town")):
		frappe.set_user(user)
		base_fns = baselines()
		base_times = {}
		for name, factory, base_key in CASES:
			if only and only not in name:
				continue
			median, longest = timed(factory())
			if base_key not in base_times:
				base_times[base_key] = timed(base_fns[base_key])[0]
			baseline = base_times[base_key]
			ratio = median / baseline if baseline else float("nan")
			print(f"{name:32} {label:7} {median:9.3f} {longest:7.3f} {baseline:11.3f} {ratio:6.1f}")
		frappe.set_user("Administrator")
		frappe.db.rollback()


def run(members="100000", villages="300", campaigns="20", lines="500000", only=None):
	from agri_coop.members.doctype.coop_member.coop_member import on_doctype_update
	from agri_coop.reports.aggregates import rebuild
	from benchmarks import jobs_inline

	with jobs_inline():
		generate(int(members), int(villages), int(campaigns), int(lines))
	# what after_migrate keeps: the indexes, and summaries of orders made by bulk insert
	on_doctype_update()
	print(f"order summaries written for {rebuild()} orders")
	frappe.db.commit()
	measure(only)
