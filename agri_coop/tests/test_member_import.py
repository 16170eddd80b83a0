"""The onboarding import of the 《社员上线信息采集表》: every bad-row kind, idempotence,
scope, the error report, and the Member Import document around it."""

import csv
import io
from datetime import date

import frappe
import pytest
from openpyxl import load_workbook

from agri_coop.members.onboarding import COLUMNS, OnboardingSheetError, import_rows, read_sheet
from agri_coop.security.privacy import decrypt_id_number, id_number_hash
from agri_coop.tests.utils import TOWN_USER, VILLAGE_USER, as_user, create_member, next_resident_id
from agri_coop.utils.resident_id import check_char, make_resident_id

HEADER = [header for header, _, _ in COLUMNS]


def row(
	name="赵六",
	village="新民堡村",
	town="树林召镇",
	member_type="农户",
	id_number=None,
	mobile="13912345678",
	land="12.5",
	crops="玉米",
):
	return ["", town, village, member_type, name, id_number or next_resident_id(), mobile, land, crops]


def good_rows(count, village="新民堡村", town="树林召镇"):
	return [row(name=f"良民{i}", village=village, town=town) for i in range(count)]


def run(rows, user=None):
	if user:
		with as_user(user):
			return import_rows([HEADER, *rows])
	return import_rows([HEADER, *rows])


def assert_one_bad_row(result, field, reason, good=2):
	assert result.imported_rows == good, result.errors
	assert result.bad_rows == 1
	number, key, message, _ = result.errors[0]
	assert number == 2 + good  # header is row 1; the bad row comes after the good ones
	assert key == field
	assert reason in str(message)
	assert message.render("zh") != str(message)  # a zh translation exists


@pytest.mark.parametrize(
	"bad, field, reason",
	[
		(dict(id_number="150621196803091231"), "id_number", "check digit is wrong"),
		(dict(id_number="1506211968030912"), "id_number", "must be 18 characters long"),
		(dict(mobile="1391234567"), "mobile", "mobile must be 11 digits"),
		(dict(name=""), "member_name", "name is empty"),
		(dict(member_type="种植大户"), "member_type", "unknown member type"),
		(dict(land="十亩"), "land_area_mu", "land area is not a number"),
		(dict(land="-3"), "land_area_mu", "land area cannot be negative"),
		(dict(village="不存在村"), "village", "unknown village"),
	],
)
def test_each_bad_row_kind_is_reported_and_good_rows_imported(bad, field, reason):
	result = run([*good_rows(2), row(**bad)])
	assert_one_bad_row(result, field, reason)
	assert frappe.db.count("Coop Member", {"member_name": ("like", "良民%")}) == 2


def test_implausible_birth_date_is_reported():
	child = make_resident_id("150621", date(date.today().year - 5, 1, 1), 321)
	impossible = "15062119680230123"
	impossible += check_char(impossible)
	result = run([*good_rows(2), row(id_number=child)])
	assert_one_bad_row(result, "id_number", "not plausible")
	result = run([*good_rows(2), row(id_number=impossible)])
	assert_one_bad_row(result, "id_number", "impossible birth date")


def test_duplicate_inside_the_file_flags_every_copy():
	id_number = next_resident_id()
	result = run([*good_rows(2), row(id_number=id_number), row(name="另一人", id_number=id_number)])
	assert result.imported_rows == 2 and result.bad_rows == 2
	assert {e[0] for e in result.errors} == {4, 5}
	assert "also in row(s) 5" in str(result.errors[0][2])


def test_the_same_number_typed_three_ways_is_flagged_in_every_copy():
	"""Numbers are folded (full-width digits, spaces) before duplicates are looked for."""
	id_number = next_resident_id()
	wide = id_number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
	spaced = f"{id_number[:6]} {id_number[6:14]} {id_number[14:]}"
	result = run(
		[*good_rows(2), row(id_number=id_number), row(name="乙", id_number=wide), row(id_number=spaced)]
	)
	assert (result.imported_rows, result.bad_rows) == (2, 3)
	assert [(number, key) for number, key, *_ in result.errors] == [
		(4, "id_number"),
		(5, "id_number"),
		(6, "id_number"),
	]
	assert "also in row(s) 5, 6" in str(result.errors[0][2])


def test_an_invalid_copy_of_a_number_does_not_flag_the_valid_one():
	"""A resident ID typed for an enterprise is a wrong credit code there: that row is bad for
	its own reason, the household's row with the same number is imported."""
	id_number = next_resident_id()
	result = run([*good_rows(2), row(member_type="企业", id_number=id_number), row(id_number=id_number)])
	assert result.imported_rows == 3 and result.bad_rows == 1
	number, key, message, _ = result.errors[0]
	assert (number, key) == (4, "id_number") and "also in row" not in str(message)
	assert frappe.db.exists("Coop Member", {"id_number_hash": id_number_hash(id_number)})


def test_duplicate_of_an_existing_member_with_other_data():
	member = create_member(member_name="钱七")
	id_number = decrypt_id_number(frappe.db.get_value("Coop Member", member.name, "id_number_encrypted"))
	result = run([*good_rows(2), row(name="冒名者", id_number=id_number)])
	assert_one_bad_row(result, "id_number", f"already registered as member {member.name}")


def test_reimport_creates_nothing_twice_and_counts_what_is_there():
	rows = [*good_rows(3), row(mobile="123")]
	first = run(rows)
	assert (first.imported_rows, first.existing_rows, first.bad_rows) == (3, 0, 1)
	before = frappe.db.count("Coop Member"), frappe.db.count("Customer")
	second = run(rows)
	assert (second.imported_rows, second.existing_rows, second.bad_rows) == (0, 3, 1)
	assert (frappe.db.count("Coop Member"), frappe.db.count("Customer")) == before


def test_imported_members_are_pre_registered_with_customers_and_masked_ids():
	rows = good_rows(2)
	run(rows)
	member = frappe.get_doc("Coop Member", {"id_number_hash": id_number_hash(rows[0][5])})
	assert member.state == "Pre-registered" and member.town and member.birth_date
	assert member.id_number_masked == rows[0][5][:6] + "********" + rows[0][5][-4:]
	customer = frappe.get_doc("Customer", member.customer)
	assert (customer.customer_name, customer.customer_group, customer.agri_coop_cooperative) == (
		member.member_name,
		"农户",
		member.cooperative,
	)


def test_an_imported_member_and_its_customer_are_the_rows_the_form_writes():
	"""The import writes members and Customers with multi-row inserts; column by column they
	hold what the form (Coop Member.insert → Customer.insert) writes for the same person,
	but for the name, the times and what follows from the ID number."""
	formed = create_member(
		member_name="同名人", mobile="13912345678", land_area_mu=12.5, main_products="玉米"
	)
	id_number = next_resident_id()
	run([row(name="同名人", id_number=id_number)])
	imported = frappe.get_doc("Coop Member", {"id_number_hash": id_number_hash(id_number)})
	own = {"name", "creation", "modified", "customer", "agri_coop_member"}
	own |= {"id_number_encrypted", "id_number_hash", "id_number_masked", "birth_date", "gender"}
	for doctype, form_name, import_name in (
		("Coop Member", formed.name, imported.name),
		("Customer", formed.customer, imported.customer),
	):
		form_row, import_row = (
			frappe.db.sql(f"select * from `tab{doctype}` where name = %s", name, as_dict=True)[0]
			for name in (form_name, import_name)
		)
		assert {k: import_row[k] for k in import_row if k not in own} == {
			k: form_row[k] for k in form_row if k not in own
		}, doctype


def test_village_user_imports_only_into_own_village():
	result = run([*good_rows(2), row(village="林原村")], user=VILLAGE_USER)
	assert_one_bad_row(result, "village", "outside your town or village")


def test_town_user_imports_into_own_villages_only():
	result = run([*good_rows(1), row(village="林原村"), row(village="和胜村", town="昭君镇")], user=TOWN_USER)
	assert result.imported_rows == 2 and result.bad_rows == 1
	assert result.errors[0][0] == 4 and "outside your town" in str(result.errors[0][2])


def test_missing_columns_are_named():
	with pytest.raises(OnboardingSheetError, match="手机号码"):
		import_rows([HEADER[:6], row()[:6]])


def test_csv_in_gbk_and_numeric_ids_from_excel():
	buffer = io.StringIO()
	csv.writer(buffer).writerows([HEADER, row(name="孙八")])
	rows = read_sheet(buffer.getvalue().encode("gb18030"), "sheet.csv")
	assert rows[1][4] == "孙八"
	result = run([*good_rows(1), row(id_number=150621196803091230)])
	assert_one_bad_row(result, "id_number", "format the column as text", good=1)


def make_import(rows, filename="采集表.csv"):
	buffer = io.StringIO()
	csv.writer(buffer).writerows([HEADER, *rows])
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": filename,
			"is_private": 1,
			"content": buffer.getvalue().encode("utf-8-sig"),
		}
	).insert(ignore_permissions=True)
	return frappe.get_doc({"doctype": "Member Import", "import_file": file.file_url}).insert()


def test_member_import_document_end_to_end_with_error_report():
	doc = make_import([*good_rows(2), row(mobile="12"), row(village="无此村")])
	doc.start_import()
	doc.reload()
	assert (doc.status, doc.total_rows, doc.imported_rows, doc.existing_rows, doc.bad_rows) == (
		"Completed",
		4,
		2,
		0,
		2,
	)
	assert "2 imported" in doc.summary and "导入" in doc.summary
	content = frappe.get_doc("File", {"file_url": doc.error_file}).get_content()
	sheet = load_workbook(io.BytesIO(content)).worksheets[0]
	rows = list(sheet.iter_rows(values_only=True))
	assert rows[0][:4] == ("行号 Row", "字段 Field", "原因", "Reason")
	assert [r[0] for r in rows[1:]] == [4, 5]
	assert "手机" in rows[1][1] and "mobile must be 11 digits" in rows[1][3] and "手机号" in rows[1][2]
	assert frappe.db.count("Coop Member", {"import_batch": doc.name}) == 2

	again = make_import([*good_rows(0)])
	assert again.name != doc.name


def test_import_document_of_village_user_defaults_to_their_village():
	from agri_coop.tests.utils import XINMINBAO

	with as_user(VILLAGE_USER):
		doc = make_import(good_rows(1))
		assert doc.cooperative == XINMINBAO
		doc.start_import()
	assert frappe.db.get_value("Member Import", doc.name, "imported_rows") == 1


def test_template_has_the_headers():
	from agri_coop.members.onboarding import template_xlsx

	sheet = load_workbook(io.BytesIO(template_xlsx())).worksheets[0]
	assert [c.value for c in sheet[1]] == HEADER


@pytest.mark.parametrize(
	"name", ["<img src=x onerror=alert(1)>", '=HYPERLINK("http://x","点我")', "@A1", "+1"]
)
def test_markup_and_formulas_in_names_are_refused(name):
	result = run([*good_rows(2), row(name=name)])
	assert_one_bad_row(result, "member_name", "name must not")
	assert "姓名" in result.errors[0][2].render("zh") or "名称" in result.errors[0][2].render("zh")


def test_free_text_is_sanitised_as_by_the_form():
	rows = [row(crops="玉米<script>alert(1)</script><img src=x onerror=alert(1)>")]
	run(rows)
	member = frappe.get_doc("Coop Member", {"id_number_hash": id_number_hash(rows[0][5])})
	assert "<script" not in member.main_products and "onerror" not in member.main_products
	assert member.main_products.startswith("玉米")


def test_full_width_digits_in_ids_and_mobiles_are_folded():
	id_number = next_resident_id()
	wide = id_number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
	result = run([row(id_number=wide, mobile="１３９ １２３４ ５６７８")])
	assert result.imported_rows == 1, result.errors
	values = frappe.db.get_value(
		"Coop Member",
		{"id_number_hash": id_number_hash(id_number)},
		["mobile", "id_number_encrypted", "id_number_masked"],
		as_dict=True,
	)
	assert values.mobile == "13912345678" and decrypt_id_number(values.id_number_encrypted) == id_number
	assert values.id_number_masked == id_number[:6] + "********" + id_number[-4:]


def test_imported_numbers_are_stored_encrypted_only():
	rows = good_rows(2)
	run(rows)
	for r in rows:
		stored = frappe.db.sql(
			"select * from `tabCoop Member` where id_number_hash=%s", id_number_hash(r[5]), as_dict=True
		)
		assert len(stored) == 1 and r[5] not in repr(stored)


def test_duplicate_in_another_scope_names_nobody():
	from agri_coop.tests.utils import LINYUAN

	other = create_member(cooperative=LINYUAN, member_name="林原社员")
	number = decrypt_id_number(frappe.db.get_value("Coop Member", other.name, "id_number_encrypted"))
	result = run([*good_rows(2), row(name="冒名者", id_number=number)], user=VILLAGE_USER)
	assert_one_bad_row(result, "id_number", "already registered in another co-op")
	assert other.name not in str(result.errors[0][2]) and LINYUAN not in str(result.errors[0][2])


def test_error_report_escapes_formula_cells():
	from agri_coop.members.onboarding import error_report_xlsx

	result = run(
		[*good_rows(1), row(name='=HYPERLINK("http://x","点我")', mobile="+8613912345678x")],
	)
	sheet = load_workbook(io.BytesIO(error_report_xlsx(result))).worksheets[0]
	cells = [c for r in sheet.iter_rows(min_row=2) for c in r]
	assert all(c.data_type != "f" for c in cells)
	assert all(not str(c.value or "").startswith(("=", "+", "-", "@")) for c in cells)
	assert any(str(c.value) == '\'=HYPERLINK("http://x","点我")' for c in cells)


def test_import_status_and_counts_are_the_servers():
	doc = make_import(good_rows(1))
	doc.update(
		{"status": "Completed", "imported_rows": 99, "summary": "forged", "error_file": "/private/files/x"}
	)
	doc.save()
	stored = frappe.db.get_value(
		"Member Import", doc.name, ["status", "imported_rows", "summary", "error_file"], as_dict=True
	)
	assert (stored.imported_rows, stored.summary, stored.error_file) == (0, None, None)
	assert stored.status != "Completed"
	doc.reload()
	doc.start_import()
	assert frappe.db.get_value("Member Import", doc.name, "imported_rows") == 1


def test_a_sheet_of_many_chunks_is_checked_while_written(monkeypatch):
	"""Rows are checked while the chunk before them is being inserted: with two rows in the
	first statement and three in each after it, a duplicate ID in the first and the last chunk still flags both copies, bad
	rows are reported in row order, every good row gets its member and Customer, named one
	after another from the series, and the series ends at the last of them."""
	from agri_coop.members import onboarding
	from agri_coop.utils import bulk

	monkeypatch.setattr(bulk, "FIRST_CHUNK_ROWS", 2)
	monkeypatch.setattr(bulk, "CHUNK_ROWS", 3)
	id_number = next_resident_id()
	rows = [
		row(name="甲", id_number=id_number),
		*good_rows(4),
		row(mobile="123"),
		*good_rows(3, village="林原村"),
		row(name="乙", id_number=id_number),
	]
	series = series_current(onboarding.MEMBER_SERIES)
	result = run(rows)
	assert (result.imported_rows, result.bad_rows) == (7, 3)
	assert [(number, key) for number, key, *_ in result.errors] == [
		(2, "id_number"),
		(7, "mobile"),
		(11, "id_number"),
	]
	names = [onboarding.member_name(number) for number in range(series + 1, series + 8)]
	assert series_current(onboarding.MEMBER_SERIES) == series + 7
	for name, sheet_row in zip(names, [*rows[1:5], *rows[6:9]], strict=True):
		member = frappe.db.get_value(
			"Coop Member", name, ["member_name", "id_number_hash", "customer"], as_dict=True
		)
		assert (member.member_name, member.id_number_hash) == (sheet_row[4], id_number_hash(sheet_row[5]))
		assert frappe.db.get_value("Customer", member.customer, "agri_coop_member") == name


def series_current(series: str) -> int:
	Series = frappe.qb.DocType("Series")
	current = frappe.qb.from_(Series).select(Series.current).where(Series.name == series).run()
	return int(current[0][0]) if current else 0
