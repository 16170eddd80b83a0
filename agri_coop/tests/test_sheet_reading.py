"""Reading onboarding sheets: xlsx is read with calamine (Rust) and must give exactly the
rows openpyxl's read-only, data-only reading gave (the reader before it), so the import
finds the same members and the same errors with the same row numbers: on a generated
county sheet, on merged header and data cells, empty rows, formulas with and without a
cached value, GBK CSV, and a file that is no workbook at all."""

import csv
import io
import re
import zipfile

import frappe
import pytest
from openpyxl import Workbook, load_workbook

from agri_coop.constants.cooperatives import TOWN, VILLAGE
from agri_coop.demo.sheets import generate_rows
from agri_coop.members.onboarding import COLUMNS, OnboardingSheetError, import_rows, read_sheet
from agri_coop.tests.utils import next_resident_id

HEADER = [header for header, _, _ in COLUMNS]


def openpyxl_rows(content: bytes) -> list[list]:
	"""The reference: what read_sheet returned when it read xlsx with openpyxl."""
	workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
	rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
	workbook.close()
	return rows


def xlsx(rows, build=None) -> bytes:
	workbook = Workbook()
	sheet = workbook.active
	for values in rows:
		sheet.append(values)
	if build:
		build(sheet)
	buffer = io.BytesIO()
	workbook.save(buffer)
	return buffer.getvalue()


def with_cached_values(content: bytes, cached: dict[str, str]) -> bytes:
	"""The workbook as Excel saves it: formula cells carry their last computed (cached)
	value, which openpyxl cannot write."""
	source = zipfile.ZipFile(io.BytesIO(content))
	buffer = io.BytesIO()
	with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
		for item in source.infolist():
			data = source.read(item.filename)
			if item.filename == "xl/worksheets/sheet1.xml":
				text = data.decode()
				for ref, value in cached.items():
					text, count = re.subn(
						rf'<c r="{ref}"><f>(.*?)</f><v\s*/?>(</v>)?',
						rf'<c r="{ref}" t="str"><f>\1</f><v>{value}</v>',
						text,
					)
					assert count == 1, ref
				data = text.encode()
			target.writestr(item, data)
	return buffer.getvalue()


def member_row(name="钱七", village="新民堡村", town="树林召镇", id_number=None, mobile="13912345678"):
	return [None, town, village, "农户", name, id_number or next_resident_id(), mobile, 12.5, "玉米"]


def imported(rows):
	"""(imported, existing, [(row, field, reason)]) of an import of `rows`, rolled back."""
	frappe.db.savepoint("sheet_reading")
	try:
		result = import_rows(rows)
		return (
			result.imported_rows,
			result.existing_rows,
			[(number, key, str(reason)) for number, key, reason, _ in result.errors],
		)
	finally:
		frappe.db.rollback(save_point="sheet_reading")


def assert_read_as_openpyxl(content: bytes) -> list[list]:
	rows = read_sheet(content, "采集表.xlsx")
	reference = openpyxl_rows(content)
	assert rows == reference
	assert [[type(v) for v in row] for row in rows] == [[type(v) for v in row] for row in reference]
	return rows


def county_villages():
	towns = dict(
		frappe.get_all("Cooperative", {"cooperative_type": TOWN}, ["name", "region_name"], as_list=True)
	)
	return [
		(towns[v.town], v.region_name, v.name)
		for v in frappe.get_all(
			"Cooperative", {"cooperative_type": VILLAGE, "disabled": 0}, ["name", "region_name", "town"]
		)
	]


def test_generated_county_sheet_gives_the_same_rows_and_errors():
	sheet = generate_rows(300, county_villages(), seed=11, bad_share=0.08)
	content = xlsx(sheet)
	rows = assert_read_as_openpyxl(content)
	result = imported(rows)
	assert result == imported(openpyxl_rows(content))
	made, existing, errors = result
	assert errors and made + existing + len({number for number, *_ in errors}) == 300
	# every planted mistake is found on its own row (header = row 1)
	assert {number for number, *_ in errors} >= {
		number for number, values in enumerate(sheet[1:], start=2) if values[2] == "不存在村"
	}


def test_merged_header_and_data_cells():
	"""A two-row header merged vertically and a village merged down over its members, as
	co-ops fill the sheet by hand: the merged cells below the first read as empty, so the
	second header row is skipped and the rows under a merged village name no village."""
	first, second, third = member_row("周一"), member_row("周二"), member_row("周三")

	def merge(sheet):
		for column in "ABCDEFGHI":
			sheet.merge_cells(f"{column}1:{column}2")
		sheet.merge_cells("C3:C4")

	content = xlsx([HEADER, [None] * 9, first, second, third], merge)
	rows = assert_read_as_openpyxl(content)
	assert rows[1] == [None] * 9 and rows[3][2] is None
	made, existing, errors = imported(rows)
	assert (made, existing) == (2, 0)
	assert [(number, key) for number, key, _ in errors] == [(4, "village")]
	assert imported(openpyxl_rows(content)) == (made, existing, errors)


def test_empty_rows_keep_the_sheets_row_numbers():
	content = xlsx(
		[
			HEADER,
			member_row("吴一"),
			[],
			[None, None, None],
			member_row("吴二", mobile="139"),
			[],
			member_row("吴三"),
			[],
			[],
		]
	)
	rows = assert_read_as_openpyxl(content)
	assert len(rows) == 7 and rows[2] == rows[3] == [None] * 9
	made, existing, errors = imported(rows)
	assert (made, existing) == (2, 0)
	assert [(number, key) for number, key, _ in errors] == [(5, "mobile")]  # the sheet's row 5


def test_formulas_read_as_their_cached_values():
	"""Excel keeps a formula's last value in the file: that value is imported (as openpyxl
	with data_only did); a formula never computed (no cached value) is an empty cell."""
	id_number = next_resident_id()
	rows = [
		HEADER,
		member_row("郑一", id_number="placeholder"),
		member_row("郑二"),
	]
	rows[1][5] = f'="{id_number[:9]}"&"{id_number[9:]}"'
	rows[2][4] = '="郑"&"三"'  # no cached value: the name is empty
	content = with_cached_values(xlsx(rows), {"F2": id_number})
	read = assert_read_as_openpyxl(content)
	assert read[1][5] == id_number and read[2][4] is None
	made, _existing, errors = imported(read)
	assert made == 1
	assert [(number, key) for number, key, _ in errors] == [(3, "member_name")]


def test_gbk_csv_reads_as_its_utf8_twin():
	rows = [HEADER, member_row("冯一"), member_row("冯二", village="不存在村")]
	buffer = io.StringIO()
	csv.writer(buffer).writerows(rows)
	text = buffer.getvalue()
	gbk = read_sheet(text.encode("gb18030"), "采集表.csv")
	assert gbk == read_sheet(text.encode("utf-8-sig"), "采集表.csv") == read_sheet(text, "采集表.csv")
	assert gbk[1][4] == "冯一"
	made, _existing, errors = imported(gbk)
	assert made == 1 and [(n, k) for n, k, _ in errors] == [(3, "village")]


@pytest.mark.parametrize("content", [b"not a workbook", b"PK\x03\x04broken zip"])
def test_a_file_that_is_no_workbook_is_refused_clearly(content):
	with pytest.raises(OnboardingSheetError, match="xlsx"):
		read_sheet(content, "采集表.xlsx")
