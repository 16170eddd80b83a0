"""Benchmark: credit at a campaign's close and a quarter's interest subsidy.

Run on demand: bash scripts/benchmark.sh credit [lines=5000] [loans=20000] [baseline_sample=1000]

Data, written in one transaction and rolled back at the end (nothing stays on the site):
`lines` credit lines with `lines` member lines on credit of submitted campaign orders
(5 members' lines per order), and `loans` credit lines each with a disbursement in the
quarter and, for every fourth, a repayment (bare multi-row inserts: the set-up is not timed).

Timed, side by side in one run:
(a) reserving credit for every member line on credit, the app's way
    (agri_coop.finance.credit.reserve_order_credit for each order: the lines' row locks and
    one locking read of the open reservations per order) against the plain per-document path
    (per member line: the Credit Line document, its reservations read alone, the check);
(b) a quarter's interest and subsidy for `loans` loans, the app's way (agri_coop.finance
    .interest.compute: two ledger queries for all lines, exact arithmetic) against the plain
    per-document path (per loan: the Credit Line document, its ledger read alone, the same
    arithmetic) measured on `baseline_sample` loans and scaled to `loans` (said so in the
    output).
"""

import time
from datetime import date

import frappe
from frappe.utils import now_datetime

from agri_coop.demo.credit import BANK, create_partner_bank
from agri_coop.finance import credit, interest

QUARTER = (date(2024, 1, 1), date(2024, 3, 31))
BATCH = 2000


def bulk(doctype: str, rows: list[dict]):
	if not rows:
		return
	fields = list(rows[0])
	for start in range(0, len(rows), BATCH):
		frappe.db.bulk_insert(
			doctype, fields, [tuple(r[f] for f in fields) for r in rows[start : start + BATCH]]
		)


def base(name: str, **values) -> dict:
	now = now_datetime()
	return {
		"name": name,
		"owner": "Administrator",
		"modified_by": "Administrator",
		"creation": now,
		"modified": now,
		**values,
	}


def make_lines(prefix: str, count: int, village: str, members: list[str]) -> list[str]:
	rows = [
		base(
			f"{prefix}-{i:06d}",
			member=members[i % len(members)],
			cooperative=village,
			partner_bank=BANK,
			product="农资贷",
			credit_state="Active",
			approved_limit=50000,
			annual_rate=4.35,
			term_months=12,
			subsidy_applies=1,
			subsidised_share=100,
			subsidy_rate=2,
			valid_from=date(2023, 9, 1),
			valid_to=date(2030, 12, 31),
			outstanding_principal=0,
		)
		for i in range(count)
	]
	bulk("Credit Line", rows)
	return [r["name"] for r in rows]


def make_orders(lines: list[str], campaign: str, village: str, members: list[str]) -> list:
	"""Submitted campaign orders of 5 member lines each, every line on credit (amount 1,000)."""
	orders, order_rows, line_rows = [], [], []
	for index in range(0, len(lines), 5):
		name = f"BENCH-CO-{index:06d}"
		order_rows.append(base(name, campaign=campaign, cooperative=village, docstatus=1))
		rows = []
		for offset, line in enumerate(lines[index : index + 5]):
			row = base(
				f"{name}-{offset}",
				parent=name,
				parenttype="Campaign Order",
				parentfield="lines",
				idx=offset + 1,
				member=members[(index + offset) % len(members)],
				item_code="BENCH",
				qty=1,
				rate=1000,
				amount=1000,
				payment_mode=credit.ON_CREDIT,
				credit_line=line,
				docstatus=1,
			)
			rows.append(row)
		line_rows += rows
		orders.append(frappe._dict(name=name, lines=[frappe._dict(r) for r in rows]))
	bulk("Campaign Order", order_rows)
	bulk("Campaign Order Line", line_rows)
	return orders


def make_loans(lines: list[str]):
	disbursements, repayments = [], []
	for index, line in enumerate(lines):
		disbursements.append(
			base(
				f"BENCH-FK-{index:06d}",
				credit_line=line,
				amount=1000 + index % 7 * 100,
				posting_date=date(2023, 12, 1),
				docstatus=1,
			)
		)
		if index % 4 == 0:
			repayments.append(
				base(
					f"BENCH-HK-{index:06d}",
					credit_line=line,
					principal_amount=300,
					posting_date=date(2024, 2, 29),
					docstatus=1,
					bank_reference=f"B{index}",
				)
			)
	bulk("Loan Disbursement", disbursements)
	bulk("Loan Repayment", repayments)


def reserve_per_document(order):
	"""The plain path: each member line's credit line read as a document, its reservations alone."""
	for row in order.lines:
		line = frappe.get_doc("Credit Line", row.credit_line)
		reserved = credit.open_reservations([row.credit_line], exclude_order=order.name, lock=True)
		available = line.approved_limit - line.outstanding_principal - reserved.get(line.name, 0)
		assert row.amount <= available


def compute_per_document(names):
	for name in names:
		line = frappe.get_doc("Credit Line", name)
		interest.compute([name], *QUARTER, "Actual/360", 30, {name: line})


def timed(fn, *args) -> float:
	started = time.perf_counter()
	fn(*args)
	return time.perf_counter() - started


def run(lines="5000", loans="20000", baseline_sample="1000"):
	lines, loans, sample = int(lines), int(loans), int(baseline_sample)
	frappe.set_user("Administrator")
	create_partner_bank()
	frappe.db.commit()
	village = frappe.db.get_value("Cooperative", {"cooperative_type": "Village Cooperative"}, "name")
	members = frappe.get_all("Coop Member", {"cooperative": village}, pluck="name", limit=50) or [
		"BENCH-MEMBER"
	]
	campaign = frappe.db.get_value("Purchase Campaign", {}, "name")
	try:
		started = time.perf_counter()
		order_lines = make_lines("BENCH-R", lines, village, members)
		orders = make_orders(order_lines, campaign, village, members)
		loan_lines = make_lines("BENCH-L", loans, village, members)
		make_loans(loan_lines)
		print(
			f"set-up: {lines} member lines on credit in {len(orders)} orders, {loans} loans ({time.perf_counter() - started:.1f} s, not timed)"
		)

		app = timed(lambda: [credit.reserve_order_credit(o) for o in orders])
		plain = timed(lambda: [reserve_per_document(o) for o in orders])
		print(
			f"(a) reserve {lines} member lines: app {app:.2f} s, per document {plain:.2f} s, ratio {plain / app:.1f}×"
		)

		app_b = timed(interest.compute, loan_lines, *QUARTER, "Actual/360", 30)
		plain_sample = timed(compute_per_document, loan_lines[:sample])
		plain_b = plain_sample * loans / max(sample, 1)
		print(
			f"(b) quarter's subsidy for {loans} loans: app {app_b:.2f} s, per document {plain_b:.2f} s "
			f"(measured on {sample} loans: {plain_sample:.2f} s, scaled), ratio {plain_b / app_b:.1f}×"
		)
		figures = interest.compute(loan_lines[:3], *QUARTER, "Actual/360", 30)
		print("check:", {n: float(f.subsidy) for n, f in figures.items()})
	finally:
		frappe.db.rollback()
