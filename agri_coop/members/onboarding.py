"""Onboarding import of the 《社员上线信息采集表》 (member onboarding sheet).

Every row is checked with the same rules as the Coop Member form (member_rules); all good
rows are written in one transaction with multi-row inserts, every bad row is reported with
its row number, field and reason (zh and en). A row whose member is already there with the
same name and village counts as "already there", so importing a file again creates nothing.

Speed: a county sheet has ~100,000 rows. Per-row Document.insert() (what Frappe's Data
Import does) costs tens of milliseconds a row; here the checks run in memory against
preloaded villages and ID numbers and the rows go to the database in a few statements.
"""

import csv
import io
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import frappe
from frappe.query_builder import DocType
from frappe.utils import cint, now_datetime
from python_calamine import CalamineError, CalamineWorkbook

from agri_coop.constants.cooperatives import TOWN, VILLAGE
from agri_coop.members.member_rules import (
	CUSTOMER_COLUMNS,
	MEMBER_TYPE_ZH,
	check_identity,
	check_land,
	check_member_type,
	check_name,
	clean_text,
	ensure_member_customer_groups,
	identity_code,
	member_customer_row,
)
from agri_coop.organisation.doctype.cooperative.cooperative import default_territory
from agri_coop.security.boundary import allowed_cooperatives
from agri_coop.security.privacy import encryptor, hasher
from agri_coop.utils.bulk import (
	chunks,
	execute_while_building,
	insert_statement,
	standard_fields,
)
from agri_coop.utils.messages import Msg, bilingual
from agri_coop.utils.mobile import check_mobile
from agri_coop.utils.resident_id import mask

MEMBER_SERIES = "SY-"
SERIES_DIGITS = 7

# Template columns: (header, key, English label of the field named in errors)
COLUMNS = (
	("序号", "serial", "Serial No."),
	("所属苏木镇", "town", "Town"),
	("所属嘎查村", "village", "Village"),
	("社员类型", "member_type", "Member Type"),
	("姓名/名称", "member_name", "Name (Person or Organisation)"),
	("身份证号/统一社会信用代码", "id_number", "ID Number / Credit Code"),
	("手机号码", "mobile", "Mobile"),
	("土地面积（亩）", "land_area_mu", "Land (mu)"),
	("主要种植/养殖", "main_products", "Main Crops / Livestock"),
)
HEADER_ALIASES = {
	"苏木镇": "town",
	"乡镇": "town",
	"镇": "town",
	"嘎查村": "village",
	"村": "village",
	"村合作社": "village",
	"类型": "member_type",
	"姓名": "member_name",
	"名称": "member_name",
	"身份证号": "id_number",
	"身份证号码": "id_number",
	"统一社会信用代码": "id_number",
	"手机号": "mobile",
	"手机": "mobile",
	"联系电话": "mobile",
	"土地面积": "land_area_mu",
	"土地面积(亩)": "land_area_mu",
	"耕地面积（亩）": "land_area_mu",
	"主要种植养殖": "main_products",
	"主要作物": "main_products",
}
HEADERS = {header: key for header, key, _ in COLUMNS} | HEADER_ALIASES
LABELS = {key: label for _, key, label in COLUMNS}
REQUIRED_KEYS = ("village", "member_type", "member_name", "id_number", "mobile")
BACKGROUND_ABOVE_ROWS = 2000


class OnboardingSheetError(frappe.ValidationError):
	pass


@dataclass
class ImportResult:
	total_rows: int = 0
	imported_rows: int = 0
	existing_rows: int = 0
	errors: list = field(default_factory=list)  # (row number, field key, reason Msg, row values)
	seconds: float = 0.0
	report: "ErrorReport | None" = None  # the errors as the xlsx for the user, made as they come

	@property
	def bad_rows(self) -> int:
		return len({row for row, *_ in self.errors})

	def add_errors(self, number: int, problems: list, values: dict):
		"""Row `number`'s problems ([(field key, reason)]); rows come in sheet order."""
		if self.report is None:
			self.report = ErrorReport()
		for key, reason in problems:
			self.errors.append((number, key, reason, values))
			self.report.add(number, key, reason, values)


# -- reading the sheet


def read_sheet(content: bytes | str, filename: str) -> list[list]:
	"""Rows of an xlsx or csv file as lists of cell values (header row first).

	File.get_content() hands text files over already decoded, binary ones as bytes.
	"""
	if filename.lower().endswith((".xlsx", ".xlsm")):
		return read_xlsx(content)
	if filename.lower().endswith(".csv") and isinstance(content, str):
		return list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
	if filename.lower().endswith(".csv"):
		for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
			try:
				text = content.decode(encoding)
				break
			except UnicodeDecodeError:
				continue
		else:
			raise OnboardingSheetError(bilingual("The file is neither UTF-8 nor GBK text"))
		return [row for row in csv.reader(io.StringIO(text))]
	raise OnboardingSheetError(bilingual("Upload an xlsx or csv file made from the template"))


def read_xlsx(content: bytes) -> list[list]:
	"""The first sheet's rows, as openpyxl's read-only, data-only reading gives them (formulas
	as their cached values, merged and empty cells None, whole numbers int, dates datetime,
	every row from A1 so that row numbers are the sheet's), read with calamine (Rust), which
	takes a tenth of openpyxl's time on a 100,000-row sheet."""
	try:
		sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
		rows = sheet.to_python(skip_empty_area=False)
	except (CalamineError, ValueError, OSError) as error:
		raise OnboardingSheetError(bilingual("The file is not a readable xlsx workbook")) from error
	# most cells are text, taken as they are without a call
	return [[v if type(v) is str and v else _as_openpyxl(v) for v in row] for row in rows]


def _as_openpyxl(value):
	if value == "":
		return None
	if type(value) is float and value.is_integer() and abs(value) < 2**53:
		return int(value)
	if type(value) is date:
		return datetime(value.year, value.month, value.day)
	return value


def map_headers(header_row) -> dict[str, int]:
	columns = {}
	for index, header in enumerate(header_row or []):
		key = HEADERS.get("".join(str(header or "").split()))
		if key and key not in columns:
			columns[key] = index
	missing = [key for key in REQUIRED_KEYS if key not in columns]
	if missing:
		headers = {key: header for header, key, _ in COLUMNS}
		raise OnboardingSheetError(
			bilingual(
				"The sheet has no column {0}; use the template's headers",
				"、".join(headers[k] for k in missing),
			)
		)
	return columns


def cell_text(value) -> str:
	if type(value) is str:
		return value.strip()
	if value is None:
		return ""
	if isinstance(value, float) and value.is_integer():
		value = int(value)
	return str(value).strip()


# -- checking and importing


def import_rows(
	rows: list[list], import_batch: str | None = None, user: str | None = None, progress=None
) -> ImportResult:
	"""Check every data row of `rows` (header first) and insert the good ones.

	Runs in the caller's transaction: either all good rows are written or, on an
	unexpected failure, none. A number in two rows is an error in both, so before any row
	is written every row's number is folded to its code (identity_code) and the rows that
	share a code are checked; every other row is checked while the rows before it are
	being inserted (execute_while_building).
	"""
	started = time.monotonic()
	columns = map_headers(rows[0] if rows else [])
	data = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(cell_text(c) for c in row)]
	result = ImportResult(total_rows=len(data))
	villages_by_key = load_villages()
	allowed = allowed_cooperatives(user)
	allowed = set(allowed) if allowed is not None else None
	existing = load_existing_members()
	hash_of = hasher()

	sheet_rows = []  # (row number, values, its check_row_identity if already made)
	rows_by_code = defaultdict(list)
	for number, row in data:
		values = {key: (row[index] if index < len(row) else None) for key, index in columns.items()}
		rows_by_code[identity_code(cell_text(values.get("id_number")))].append(len(sheet_rows))
		sheet_rows.append((number, values, None))
	rows_by_id = defaultdict(list)  # valid ID number in more than one row → those rows' numbers
	for code, indexes in rows_by_code.items():
		if code and len(indexes) > 1:
			for index in indexes:
				number, values, _ = sheet_rows[index]
				identity = check_row_identity(values)
				sheet_rows[index] = (number, values, identity)
				if identity[0]:
					rows_by_id[identity[0][0]].append(number)
	checked = 0

	def good_members():
		nonlocal checked
		for number, values, identity in sheet_rows:
			checked += 1
			member, problems = check_row(values, villages_by_key, allowed, identity)
			id_number = member.get("id_number")
			if id_number and len(rows_by_id.get(id_number, ())) > 1:
				others = ", ".join(str(n) for n in rows_by_id[id_number] if n != number)
				problems.append(
					("id_number", Msg("the same ID number is also in row(s) {0} of this file", others))
				)
			elif id_number and not problems:
				member["id_number_hash"] = hash_of(id_number)
				if member["id_number_hash"] in existing:
					name, member_name, cooperative = existing[member["id_number_hash"]]
					if (member_name, cooperative) == (member["member_name"], member["cooperative"]):
						result.existing_rows += 1
						continue
					# the other member is named only to a user who may see it
					if allowed is None or cooperative in allowed:
						problems.append(
							("id_number", Msg("already registered as member {0} of {1}", name, cooperative))
						)
					else:
						problems.append(("id_number", Msg("already registered in another co-op")))
			if problems:
				result.add_errors(number, problems, values)
			else:
				yield member

	def written(_rows):
		if progress:
			progress(checked, len(sheet_rows))

	try:
		result.imported_rows = insert_members(good_members(), import_batch, written)
	finally:
		if result.report:  # saved even on a failure: a write-only workbook keeps a temporary file
			result.report.xlsx()
	result.seconds = time.monotonic() - started
	return result


def check_row_identity(values: dict):
	"""The row's ID number: ((id_number, birth_date, gender), None) or (None, reason)."""
	raw_id = values.get("id_number")
	if isinstance(raw_id, int | float) and not isinstance(raw_id, bool):
		return None, Msg("ID number was stored as a number and lost digits; format the column as text")
	member_type, _ = check_member_type(cell_text(values.get("member_type")))
	return check_identity(member_type or "Dealer", cell_text(raw_id))


def check_row(values: dict, villages_by_key: dict, allowed: set | None, identity=None):
	"""One sheet row → (member values, []) or (partial values, [(field key, reason), ...]);
	`identity`: its check_row_identity when already known."""
	problems = []
	member = {}
	for key, check in (
		("member_name", check_name),
		("member_type", check_member_type),
		("mobile", check_mobile),
		("land_area_mu", check_land),
	):
		value, reason = check(cell_text(values.get(key)))
		if reason:
			problems.append((key, reason))
		member[key] = value

	identity_values, reason = identity if identity is not None else check_row_identity(values)
	if reason:
		problems.append(("id_number", reason))
		member["id_number"] = None
	else:
		member["id_number"], member["birth_date"], member["gender"] = identity_values

	village = resolve_village(
		cell_text(values.get("town")), cell_text(values.get("village")), villages_by_key
	)
	if not village:
		problems.append(
			(
				"village",
				Msg(
					"unknown village '{0}' (town '{1}')",
					cell_text(values.get("village")),
					cell_text(values.get("town")),
				),
			)
		)
	elif allowed is not None and village[0] not in allowed:
		problems.append(("village", Msg("village {0} is outside your town or village", village[0])))
	else:
		member["cooperative"], member["town"] = village
	member["main_products"] = clean_text(cell_text(values.get("main_products")), 1000)
	return member, problems


def load_villages() -> dict:
	"""(town name, village name) and full co-op names → (village co-op, its town)."""
	Cooperative = DocType("Cooperative")
	villages = (
		frappe.qb.from_(Cooperative)
		.select(Cooperative.name, Cooperative.region_name, Cooperative.town)
		.where((Cooperative.cooperative_type == VILLAGE) & (Cooperative.disabled == 0))
		.run(as_dict=True)
	)
	towns = dict(
		frappe.qb.from_(Cooperative)
		.select(Cooperative.name, Cooperative.region_name)
		.where(Cooperative.cooperative_type == TOWN)
		.run()
	)
	by_key = {}
	for village in villages:
		target = (village.name, village.town)
		by_key[village.name] = target
		by_key[(towns.get(village.town), village.region_name)] = target
		by_key[(village.town, village.region_name)] = target
	return by_key


def resolve_village(town: str, village: str, villages_by_key: dict):
	return villages_by_key.get(village) or villages_by_key.get((town, village))


def load_existing_members() -> dict:
	Member = DocType("Coop Member")
	rows = (
		frappe.qb.from_(Member)
		.select(Member.id_number_hash, Member.name, Member.member_name, Member.cooperative)
		.run()
	)
	return {hashed: (name, member_name, cooperative) for hashed, name, member_name, cooperative in rows}


def lock_member_series() -> int:
	"""The last number of the member naming series, its row locked until the commit: the
	import takes the numbers after it and writes the new last one once (set_member_series)."""
	Series = DocType("Series")
	current = (
		frappe.qb.from_(Series).select(Series.current).where(Series.name == MEMBER_SERIES).for_update().run()
	)
	if current:
		return cint(current[0][0])
	frappe.qb.into(Series).columns(Series.name, Series.current).insert(MEMBER_SERIES, 0).run()
	return 0


def set_member_series(last: int):
	Series = DocType("Series")
	frappe.qb.update(Series).set(Series.current, last).where(Series.name == MEMBER_SERIES).run()


def member_name(number: int) -> str:
	return f"{MEMBER_SERIES}{number:0{SERIES_DIGITS}d}"


MEMBER_COLUMNS = (
	"name",
	"member_name",
	"member_type",
	"mobile",
	"cooperative",
	"town",
	"customer",
	"id_number_encrypted",
	"id_number_hash",
	"id_number_masked",
	"birth_date",
	"gender",
	"land_area_mu",
	"main_products",
)


def insert_members(members: Iterable[dict], import_batch: str | None, written=None) -> int:
	"""Pre-registered members (seed 000 §三(三): imported sheets pre-register) and their
	Customers, a chunk of each in turn, while the next chunk is checked and built (`members`
	is consumed meanwhile, so it must not query); `written(rows)` after each statement."""
	encrypt, hash_of = encryptor(), hasher()
	ensure_member_customer_groups()
	customer_fixed, customer_row = member_customer_row(default_territory())
	state = "Pre-registered"
	member_statement = insert_statement(
		"Coop Member",
		MEMBER_COLUMNS,
		{
			"naming_series": f"{MEMBER_SERIES}.{'#' * SERIES_DIGITS}",
			"state": state,
			"import_batch": import_batch,
			**standard_fields(now_datetime(), frappe.session.user),
		},
	)
	customer_statement = insert_statement("Customer", CUSTOMER_COLUMNS, customer_fixed)
	last = first = lock_member_series()

	def member_row(m):
		nonlocal last
		last += 1
		m.update(name=member_name(last), customer=member_name(last), state=state)
		return (
			m["name"],
			m["member_name"],
			m["member_type"],
			m["mobile"],
			m["cooperative"],
			m["town"],
			m["customer"],
			encrypt(m["id_number"]),
			m.get("id_number_hash") or hash_of(m["id_number"]),
			mask(m["id_number"]),
			m.get("birth_date"),
			m.get("gender"),
			m["land_area_mu"],
			m.get("main_products"),
		)

	def statements():
		for chunk in chunks(members):
			members_sql = member_statement([member_row(m) for m in chunk])
			yield len(chunk), [members_sql, customer_statement([customer_row(m) for m in chunk])]

	inserted = execute_while_building(statements(), written)
	if last != first:
		set_member_series(last)
	return inserted


# -- error report


class ErrorReport:
	"""The error report: every bad row, with its row number, field, reason in zh and en, then
	the row as it was. It is written row by row while the import runs (while the good rows
	are being inserted), not after it."""

	def __init__(self):
		from openpyxl import Workbook

		self.workbook = Workbook(write_only=True)
		self.sheet = self.workbook.create_sheet("错误行 Errors")
		self.keys = [key for _, key, _ in COLUMNS if key != "serial"]
		headers = [header for header, key, _ in COLUMNS if key != "serial"]
		self.sheet.append(["行号 Row", "字段 Field", "原因", "Reason", *headers])
		self.content = None

	def add(self, number: int, key: str, reason: Msg, values: dict):
		label = Msg(LABELS.get(key, key))
		self.sheet.append(
			[
				number,
				f"{label.render('zh')} {label}",
				reason.render("zh"),
				str(reason),
				*[escape_formula(cell_text(values.get(k))) for k in self.keys],
			]
		)

	def xlsx(self) -> bytes:
		if self.content is None:  # a write-only workbook is saved once
			buffer = io.BytesIO()
			self.workbook.save(buffer)
			self.content = buffer.getvalue()
		return self.content


def error_report_xlsx(result: ImportResult) -> bytes:
	return (result.report or ErrorReport()).xlsx()


def escape_formula(text: str) -> str:
	"""A cell starting with = + - @ is run as a formula by Excel / WPS: make it text."""
	return "'" + text if text.startswith(("=", "+", "-", "@")) else text


def template_xlsx() -> bytes:
	from openpyxl import Workbook

	workbook = Workbook()
	sheet = workbook.active
	sheet.title = "社员上线信息采集表"
	sheet.append([header for header, _, _ in COLUMNS])
	sheet.append(
		[1, "树林召镇", "新民堡村", "农户", "张三", "150621197505171234", "13800000000", 35.5, "玉米"]
	)
	for column in ("F", "G"):  # ID and mobile as text so Excel keeps every digit
		for cell in sheet[column]:
			cell.number_format = "@"
	sheet.column_dimensions["F"].width = 24
	notes = workbook.create_sheet("填表说明")
	notes.append(["社员类型", " / ".join(MEMBER_TYPE_ZH.values())])
	notes.append(
		["身份证号/统一社会信用代码", "个人填 18 位身份证号；合作社、企业填统一社会信用代码；请设为文本格式"]
	)
	notes.append(["手机号码", "11 位手机号"])
	buffer = io.BytesIO()
	workbook.save(buffer)
	return buffer.getvalue()
