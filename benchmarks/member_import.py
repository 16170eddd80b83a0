"""Benchmark: the onboarding import against Frappe's standard Data Import (issue 16: 100,000
rows in ≤ 15 s on a 2-core machine, ≥ 200× the standard Data Import, within 3× of the bare
multi-row inserts of the same rows).

Run on demand (never in CI): bash scripts/benchmark.sh member_import [rows] [baseline_rows]
It uses its own site (AGRI_COOP_BENCHMARK_SITE), adds ~150 villages there once, generates a
realistic sheet (agri_coop.demo.sheets: valid ID numbers and mobiles, Chinese names, ~1% bad
rows), times
  (a) agri_coop's import of the whole sheet: read xlsx (calamine) + check + insert + error
      report, then rolls it back; openpyxl's reading of the same sheet is timed too;
  (f) the floor: the very Coop Member and Customer rows (a) wrote, written again with bare
      multi-row inserts (no reading, checking, hashing or encrypting), then rolled back;
  (b) Frappe's Data Import of a slice of the same rows into Coop Member (it commits each row),
      then deletes what it created;
and prints rows/s for each and the ratios.
"""

import csv
import io
import time

import frappe
from frappe.utils import now_datetime

from agri_coop.constants.cooperatives import TOWN, VILLAGE
from agri_coop.demo.builders import create_cooperative
from agri_coop.demo.sheets import generate_rows
from agri_coop.members.member_rules import MEMBER_TYPE_ZH
from agri_coop.members.onboarding import error_report_xlsx, import_rows, read_sheet
from benchmarks import table_rows, time_floor

TARGET_VILLAGES = 150
TARGET_SECONDS, TARGET_RATIO, FLOOR_FACTOR = 15, 200, 3


def ensure_benchmark_villages(target=TARGET_VILLAGES) -> list[tuple[str, str, str]]:
	"""(town region, village region, co-op) for ~150 villages spread over the demo towns."""
	villages = frappe.get_all(
		"Cooperative", {"cooperative_type": VILLAGE, "disabled": 0}, ["name", "region_name", "town"]
	)
	towns = frappe.get_all("Cooperative", {"cooperative_type": TOWN}, ["name", "region_name"])
	index = 0
	while len(villages) < target:
		town = towns[index % len(towns)]
		index += 1
		region = f"测试{index:03d}村"
		name = f"{town.region_name}{region}股份经济合作社"
		if not frappe.db.exists("Cooperative", name):
			create_cooperative(name, VILLAGE, town.name, region_name=region, producer_count=700)
			villages.append(frappe._dict(name=name, region_name=region, town=town.name))
	frappe.db.commit()
	town_region = {t.name: t.region_name for t in towns}
	return [(town_region[v.town], v.region_name, v.name) for v in villages]


def to_xlsx(rows) -> bytes:
	from openpyxl import Workbook

	workbook = Workbook(write_only=True)
	sheet = workbook.create_sheet("社员上线信息采集表")
	for row in rows:
		sheet.append(row)
	buffer = io.BytesIO()
	workbook.save(buffer)
	return buffer.getvalue()


def time_agri_coop_import(content: bytes):
	"""(seconds, read seconds, result, error report bytes, the rows written by table)"""
	since = now_datetime()
	started = time.monotonic()
	rows = read_sheet(content, "采集表.xlsx")
	read_seconds = time.monotonic() - started
	result = import_rows(rows)
	report = error_report_xlsx(result) if result.errors else b""
	seconds = time.monotonic() - started
	written = {
		doctype: table_rows(doctype, {"creation": (">=", since)}) for doctype in ("Coop Member", "Customer")
	}
	frappe.db.rollback()
	return seconds, read_seconds, result, len(report), written


def time_openpyxl_read(content: bytes) -> float:
	"""The reader before calamine, for comparison."""
	from openpyxl import load_workbook

	started = time.monotonic()
	workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
	rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
	workbook.close()
	assert len(rows) > 1
	return time.monotonic() - started


def time_frappe_data_import(rows, villages_by_region) -> tuple[float, int]:
	"""Frappe's Data Import of rows (header first) into Coop Member, then its records removed."""
	from frappe.core.doctype.data_import.data_import import start_import

	type_by_zh = {zh: en for en, zh in MEMBER_TYPE_ZH.items()}
	headers = [
		"Name (Person or Organisation)",
		"Member Type",
		"Village Cooperative",
		"Mobile",
		"Enter ID Number / Credit Code",
		"Land (mu)",
		"Main Crops / Livestock",
	]
	buffer = io.StringIO()
	writer = csv.writer(buffer)
	writer.writerow(headers)
	for _, town, village, member_type, name, id_number, mobile, land, crops in rows[1:]:
		if (town, village) not in villages_by_region:
			continue  # Data Import refuses a whole file that names an unknown link value
		writer.writerow(
			[
				name,
				type_by_zh.get(member_type, member_type),
				villages_by_region.get((town, village), village),
				mobile,
				id_number,
				land,
				crops,
			]
		)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "data-import-baseline.csv",
			"is_private": 1,
			"content": buffer.getvalue().encode(),
		}
	).insert(ignore_permissions=True)
	data_import = frappe.get_doc(
		{
			"doctype": "Data Import",
			"reference_doctype": "Coop Member",
			"import_type": "Insert New Records",
			"import_file": file.file_url,
		}
	).insert(ignore_permissions=True)
	before = set(frappe.get_all("Coop Member", pluck="name"))
	started = time.monotonic()
	start_import(data_import.name)  # what the Data Import form's Start Import runs, without the queue
	seconds = time.monotonic() - started
	created = [n for n in frappe.get_all("Coop Member", pluck="name") if n not in before]
	if not created:
		print(
			"Data Import created nothing:",
			frappe.db.get_value("Data Import", data_import.name, ["status", "template_warnings"]),
		)
	for name in created:
		frappe.db.delete("Customer", {"name": name})
		frappe.db.delete("Coop Member", {"name": name})
	frappe.db.delete("Data Import Log", {"data_import": data_import.name})
	frappe.delete_doc("Data Import", data_import.name, ignore_permissions=True, force=True)
	frappe.db.commit()
	return seconds, len(created)


def run(rows: int = 100_000, baseline_rows: int = 2_000):
	rows, baseline_rows = int(rows), int(baseline_rows)
	frappe.set_user("Administrator")
	villages = ensure_benchmark_villages()
	sheet = generate_rows(rows, villages)
	content = to_xlsx(sheet)
	print(f"sheet: {rows} rows, {len(villages)} villages, {len(content) / 1e6:.1f} MB xlsx")

	seconds, read_seconds, result, report_bytes, written = time_agri_coop_import(content)
	rate = rows / seconds
	print(
		f"(a) agri_coop onboarding import: {seconds:.1f} s for {rows} rows = {rate:,.0f} rows/s "
		f"(xlsx read {read_seconds:.1f} s with calamine; imported {result.imported_rows}, bad {result.bad_rows}, "
		f"error report {report_bytes / 1e3:.0f} kB)"
	)
	print(f"    the same sheet read with openpyxl (the reader before): {time_openpyxl_read(content):.1f} s")
	floor_seconds, floor_rows = time_floor(written)
	print(
		f"(f) floor: the same {floor_rows} rows ({', '.join(f'{len(r)} {d}' for d, (_, r) in written.items())}) "
		f"as bare multi-row inserts: {floor_seconds:.1f} s; (a)/(f) = {seconds / floor_seconds:.1f}x "
		f"(target <= {FLOOR_FACTOR}x: {'met' if seconds <= FLOOR_FACTOR * floor_seconds else 'MISSED'})"
	)

	villages_by_region = {(town, village): name for town, village, name in villages}
	base_seconds, created = time_frappe_data_import(sheet[: baseline_rows + 1], villages_by_region)
	base_rate = baseline_rows / base_seconds
	extrapolated = rows / base_rate
	print(
		f"(b) Frappe Data Import into Coop Member: {base_seconds:.1f} s for a {baseline_rows}-row slice "
		f"({created} created) = {base_rate:,.1f} rows/s; {rows} rows extrapolated: {extrapolated / 60:.0f} min"
	)
	print(
		f"ratio (a)/(b): {rate / base_rate:,.0f}x   target: {rows} rows <= {TARGET_SECONDS} s "
		f"({'met' if seconds <= TARGET_SECONDS else 'MISSED'}), >= {TARGET_RATIO}x "
		f"({'met' if rate / base_rate >= TARGET_RATIO else 'MISSED'}), within {FLOOR_FACTOR}x of the floor "
		f"({'met' if seconds <= FLOOR_FACTOR * floor_seconds else 'MISSED'})"
	)
