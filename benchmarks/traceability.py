"""Benchmark: a Delivery Note of batch-tracked pesticide rows against the same note of an
untracked item (issue 15, with issue 16's rule that batch work adds no per-row queries of
the app's own: the first-expiring batches are asked once per item and warehouse).

Run on demand: bash scripts/benchmark.sh traceability [rows=50] [batches=5]
Everything is made and timed in one transaction and rolled back: stock of both items in the
树林召镇 station's warehouse (the pesticide in `batches` batches), then a Delivery Note of
`rows` rows to a village for each item, inserted and submitted. Printed: seconds and SQL
statements of each, and their ratios (pesticide / untracked, measured side by side)."""

import time
from unittest.mock import patch

import frappe
from erpnext.stock.serial_batch_bundle import SerialBatchCreation
from frappe.utils import add_days, nowdate

from agri_coop.demo.builders import create_item, create_item_group
from agri_coop.demo.campaigns import STATION
from agri_coop.demo.county import village_name
from agri_coop.demo.traceability import create_batch, create_pesticide
from agri_coop.overrides import delivery_note

PESTICIDE, PLAIN = "基准吡虫啉", "基准尿素"
XINMINBAO = village_name("树林召镇", "新民堡村")


def stock_up(warehouse: str, company: str, rows: int, batches: int):
	per_batch = rows * 2 // batches + 1  # odd: some rows take two batches
	entry = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"company": company,
			"items": [
				{
					"item_code": PESTICIDE,
					"qty": per_batch,
					"t_warehouse": warehouse,
					"basic_rate": 18,
					"batch_no": create_batch(PESTICIDE, f"BENCH-{i:02d}", add_days(nowdate(), 100 + i)).name,
					"use_serial_batch_fields": 1,
				}
				for i in range(batches)
			]
			+ [{"item_code": PLAIN, "qty": rows * 4, "t_warehouse": warehouse, "basic_rate": 100}],
		}
	)
	entry.insert()
	entry.submit()


def delivery(
	item_code: str, rows: int, customer: str, warehouse: str, company: str
) -> tuple[float, int, int]:
	"""Seconds, SQL statements, and those of the app's own traceability hooks."""
	note = frappe.get_doc(
		{
			"doctype": "Delivery Note",
			"company": company,
			"customer": customer,
			"agri_coop_cooperative": XINMINBAO,
			"items": [
				{"item_code": item_code, "qty": 2, "rate": 21, "warehouse": warehouse} for _ in range(rows)
			],
		}
	)
	sql, count, mine, inside = frappe.db.sql, [0], [0], [False]

	def counted(*args, **kwargs):
		count[0] += 1
		mine[0] += inside[0]
		return sql(*args, **kwargs)

	def traced(function):
		def wrapper(*args, **kwargs):
			inside[0] = True
			try:
				return function(*args, **kwargs)
			finally:
				inside[0] = False

		return wrapper

	def erpnext_bundle(function):
		# the bundle ERPNext's own automatic pick would make for the row anyway
		def wrapper(*args, **kwargs):
			was, inside[0] = inside[0], False
			try:
				return function(*args, **kwargs)
			finally:
				inside[0] = was

		return wrapper

	hooks = (
		"note_typed_batches",
		"drop_default_batches",
		"check_station_sale",
		"refuse_recalled_delivery",
		"assign_batches",
	)
	patches = [patch.object(frappe.db, "sql", counted)]
	patches += [patch.object(delivery_note, name, traced(getattr(delivery_note, name))) for name in hooks]
	patches.append(
		patch.object(
			SerialBatchCreation,
			"make_serial_and_batch_bundle",
			erpnext_bundle(SerialBatchCreation.make_serial_and_batch_bundle),
		)
	)
	started = time.monotonic()
	for p in patches:
		p.start()
	try:
		note.insert()
		note.submit()
	finally:
		for p in reversed(patches):
			p.stop()
	return time.monotonic() - started, count[0], mine[0]


def run(rows="50", batches="5"):
	rows, batches = int(rows), int(batches)
	frappe.set_user("Administrator")
	warehouse = frappe.db.get_value("Service Station", STATION, "warehouse")
	company = frappe.db.get_value("Warehouse", warehouse, "company")
	customer = frappe.db.get_value("Cooperative", XINMINBAO, "customer")
	try:
		create_pesticide(PESTICIDE, registration_no="PD20990099")
		create_item(PLAIN, create_item_group("基准化肥"), stock_uom="袋")
		stock_up(warehouse, company, rows, batches)
		plain_s, plain_q, plain_mine = delivery(PLAIN, rows, customer, warehouse, company)
		batch_s, batch_q, batch_mine = delivery(PESTICIDE, rows, customer, warehouse, company)
		plain_s2, plain_q2, _ = delivery(PLAIN, rows, customer, warehouse, company)
		print(f"Delivery Note of {rows} rows, insert + submit ({batches} batches in stock):")
		print(
			f"  untracked item:   {plain_s:.2f} s, {plain_q} SQL statements (again: {plain_s2:.2f} s, {plain_q2})"
		)
		print(f"  pesticide (FEFO): {batch_s:.2f} s, {batch_q} SQL statements")
		base_s, base_q = min(plain_s, plain_s2), min(plain_q, plain_q2)
		print(
			f"  ratio pesticide / untracked: {batch_s / base_s:.2f}x time, {batch_q / base_q:.2f}x statements"
		)
		print(f"  statements per row: untracked {base_q / rows:.1f}, pesticide {batch_q / rows:.1f}")
		print(
			f"  of which the app's traceability hooks: untracked {plain_mine}, pesticide {batch_mine}"
			" (the rest of the difference is ERPNext's Serial and Batch Bundle per row)"
		)
	finally:
		frappe.db.rollback()
