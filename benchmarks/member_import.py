"""Benchmark: the onboarding import against Frappe's standard Data Import (issue: 100,000
rows in ≤ 60 s on a 2-core machine, ≥ 50× the standard Data Import).

Run on demand (never in CI): bash scripts/benchmark.sh member_import [rows] [baseline_rows]
It uses its own site (AGRI_COOP_BENCHMARK_SITE), adds ~150 villages there once, generates a
realistic sheet (agri_coop.demo.sheets: valid ID numbers and mobiles, Chinese names, ~1% bad
rows), times
  (a) agri_coop's import of the whole sheet: read xlsx + check + insert + error report,
      then rolls it back;
  (b) Frappe's Data Import of a slice of the same rows into Coop Member (it commits each row),
      then deletes what it created;
and prints rows/s for each and the ratio.
"""

import csv
import io
import time

import frappe

from agri_coop.constants.cooperatives import TOWN, VILLAGE
from agri_coop.demo.builders import create_cooperative
from agri_coop.demo.sheets import generate_rows
from agri_coop.members.member_rules import MEMBER_TYPE_ZH
from agri_coop.members.onboarding import error_report_xlsx, import_rows, read_sheet

TARGET_VILLAGES = 150


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
	started = time.monotonic()
	rows = read_sheet(content, "采集表.xlsx")
	read_seconds = time.monotonic() - started
	result = import_rows(rows)
	report = error_report_xlsx(result) if result.errors else b""
	seconds = time.monotonic() - started
	frappe.db.rollback()
	return seconds, read_seconds, result, len(report)


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

	seconds, read_seconds, result, report_bytes = time_agri_coop_import(content)
	rate = rows / seconds
	print(
		f"(a) agri_coop onboarding import: {seconds:.1f} s for {rows} rows = {rate:,.0f} rows/s "
		f"(xlsx read {read_seconds:.1f} s; imported {result.imported_rows}, bad {result.bad_rows}, "
		f"error report {report_bytes / 1e3:.0f} kB)"
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
		f"ratio (a)/(b): {rate / base_rate:,.0f}x   target: {rows} rows <= 60 s ({'met' if seconds <= 60 else 'MISSED'}),"
		f" >= 50x ({'met' if rate / base_rate >= 50 else 'MISSED'})"
	)
