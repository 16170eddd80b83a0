"""Chinese is the users' language: every label and message the app adds has a zh entry.

Labels (what the desk shows of the app: DocTypes, fields, sections, options, connection groups,
workspace, reports and their columns, number cards, charts, print formats, roles, custom fields
on ERPNext forms) need an entry of the app's own zh.csv: a word Frappe or ERPNext happen to
have is not enough, since theirs can be wrong for the co-op ("Settled" → 安定, "stable").
Messages may still use the framework's word."""

import ast
import csv
import json
import re
from pathlib import Path

import frappe

APP = Path(frappe.get_app_path("agri_coop"))
MESSAGE_FUNCTIONS = {"_", "bilingual", "throw", "Msg", "_lt"}
LAYOUT_BREAKS = {"Section Break", "Column Break", "Tab Break"}

# The app's zh.csv is merged over Frappe's and ERPNext's words for the whole site. Where it
# gives one of their source strings another word, that word must be right in their forms too:
# each such correction is listed here with the reason. A word right only for the co-op goes
# into zh.csv with a context (third column, the DocType) instead.
FRAMEWORK_CORRECTIONS = {
	"Settled": "ERPNext's 安定 means 'stable'; 已结算 is right for invoice discounting too",
	"Draft": "ERPNext's 草案 is a draft bill; 草稿 is Frappe's own current word",
	"Is Group": "群组事件 means 'group event'; 是否为组 is right for accounts and warehouses too",
	"Item Name": "项目名称 means 'project name'; ERPNext's items are 物料",
	"Cancelled": "ERPNext's 取消 is the verb 'cancel'; 已取消 is Frappe's own current word",
	"Delivered Qty": "配送 is the co-op's word for delivering; 已配送数量 reads right on ERPNext's orders too",
	"Received Qty": "收到数量 is 'quantity got'; 已收货数量 is the receipt's word on orders and receipts too",
	"Source": "源 alone is a bare character; 来源 reads right for lead sources and report sources alike",
	"Notes": "便签 is a sticky note; 备注 is the word for a notes field",
	"Year": "年 alone is the unit; 年份 is the label",
	"Group By": "通过...分组 is a fragment; 分组方式 is the setting's name",
}


def zh_rows() -> list[list[str]]:
	with open(APP / "translations" / "zh.csv", encoding="utf-8", newline="") as f:
		return [row for row in csv.reader(f) if len(row) >= 2]


def zh_translations() -> dict[str, str]:
	"""The app's own words without context, as Frappe reads them (the last row wins)."""
	return {row[0]: row[1] for row in zh_rows() if len(row) == 2 or not row[2]}


def zh_with_context() -> dict[tuple[str, str], str]:
	return {(row[0], row[2]): row[1] for row in zh_rows() if len(row) >= 3 and row[2]}


def framework_translations() -> dict[str, str]:
	from frappe.translate import get_translations_from_apps

	return get_translations_from_apps("zh", ["frappe", "erpnext"])


def needs_zh(text: str) -> bool:
	"""Anything with a Latin letter in it is English the user would read (also
	"Trial Campaign (试运营)"); pure Chinese, numbers and codes are not."""
	return bool(re.search("[A-Za-z]", text or ""))


# --- what the app shows --------------------------------------------------------------------


def app_json(folder: str):
	"""Every exported record of the app under */<folder>/<name>/<name>.json."""
	for path in sorted(APP.glob(f"*/{folder}/*/*.json")):
		if path.stem == path.parent.name:
			yield path, json.loads(path.read_text(encoding="utf-8"))


def doctype_labels():
	"""(where, text, context): the DocType's name, its visible fields' labels, descriptions,
	layout labels and Select options (the desk translates these in the DocType's context),
	connection groups and action labels."""
	for path, doc in app_json("doctype"):
		where = path.name
		yield where, doc["name"], None
		for field in doc.get("fields", []):
			if field.get("hidden"):
				continue
			for key in ("label", "description"):
				if field.get(key):
					yield where, field[key], doc["name"]
			if field.get("fieldtype") == "Select":
				for option in (field.get("options") or "").split("\n"):
					if option:
						yield where, option, doc["name"]
		for link in doc.get("links", []):
			if link.get("group"):
				yield where, link["group"], None
		for action in doc.get("actions", []):
			if action.get("label"):
				yield where, action["label"], None


def dashboard_groups():
	"""Connection groups from dashboard overrides (get_data()["transactions"]) of the app."""
	for path in sorted(APP.glob("*/doctype/*/*_dashboard.py")):
		for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
			if isinstance(node, ast.Dict):
				for key, value in zip(node.keys, node.values, strict=True):
					if isinstance(key, ast.Constant) and key.value in ("label", "group"):
						text = string_of(value)
						if text:
							yield path.name, text, None


def workspace_labels():
	for path, doc in app_json("workspace"):
		where = path.name
		for key in ("label", "title"):
			if doc.get(key):
				yield where, doc[key], None
		for table in ("shortcuts", "links", "number_cards", "charts", "quick_lists", "custom_blocks"):
			for row in doc.get(table, []):
				if row.get("label"):
					yield where, row["label"], None
		for block in json.loads(doc.get("content") or "[]"):
			text = re.sub("<[^>]+>", "", (block.get("data") or {}).get("text") or "").strip()
			if text:
				yield where, text, None


def string_of(node) -> str | None:
	"""A string constant, or the constant inside _("...")."""
	if isinstance(node, ast.Constant) and isinstance(node.value, str):
		return node.value
	if (
		isinstance(node, ast.Call)
		and getattr(node.func, "id", None) == "_"
		and node.args
		and isinstance(node.args[0], ast.Constant)
	):
		return node.args[0].value
	return None


def report_labels():
	"""Report names, their JSON columns and filters, and every column label a Script Report's
	code returns ({"label": ...} dicts and "Label:Type:Width" strings)."""
	for path, doc in app_json("report"):
		where = path.name
		yield where, doc["name"], None
		for key in ("columns", "filters"):
			for row in doc.get(key, []):
				if row.get("label"):
					yield where, row["label"], None
		source = path.with_suffix(".py")
		if source.exists():
			for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
				if isinstance(node, ast.Dict):
					for key, value in zip(node.keys, node.values, strict=True):
						if isinstance(key, ast.Constant) and key.value == "label":
							text = string_of(value)
							if text:
								yield source.name, text, None
				elif isinstance(node, ast.Constant) and isinstance(node.value, str):
					match = re.fullmatch(
						r"([^:]+):(Data|Link|Int|Float|Currency|Percent|Date|Check)(/[^:]*)?(:\d+)?",
						node.value,
					)
					if match:
						yield source.name, match.group(1), None
		script = path.with_suffix(".js")
		if script.exists():
			for match in re.finditer(
				r"\blabel:\s*\"((?:[^\"\\]|\\.)+)\"", script.read_text(encoding="utf-8")
			):
				yield script.name, match.group(1), None


def card_and_chart_labels():
	for path, doc in app_json("number_card"):
		yield path.name, doc.get("label") or doc["name"], None
	for path, doc in app_json("dashboard_chart"):
		yield path.name, doc.get("chart_name") or doc["name"], None
	for path, doc in app_json("dashboard"):
		yield path.name, doc.get("dashboard_name") or doc["name"], None
	for path, doc in app_json("print_format"):
		yield path.name, doc["name"], None


def role_labels():
	from agri_coop.constants.roles import ROLES

	for role in ROLES:
		yield "roles.py", role, None


def custom_field_labels():
	"""The app's fields on ERPNext forms."""
	from agri_coop.constants.custom_fields import CUSTOM_FIELDS

	for doctype, fields in CUSTOM_FIELDS.items():
		for field in fields:
			if field.get("hidden"):
				continue
			for key in ("label", "description"):
				if field.get(key):
					yield f"custom field {doctype}", field[key], None
			if field.get("fieldtype") == "Select":
				for option in (field.get("options") or "").split("\n"):
					if option:
						yield f"custom field {doctype}", option, doctype


def visible_labels():
	yield from doctype_labels()
	yield from dashboard_groups()
	yield from workspace_labels()
	yield from report_labels()
	yield from card_and_chart_labels()
	yield from role_labels()
	yield from custom_field_labels()


def python_messages():
	for path in APP.rglob("*.py"):
		if "tests" in path.parts:
			continue
		for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
			if isinstance(node, ast.Call) and node.args:
				name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
				first = node.args[0]
				if (
					name in MESSAGE_FUNCTIONS
					and isinstance(first, ast.Constant)
					and isinstance(first.value, str)
				):
					yield path.name, first.value


def js_messages():
	for path in APP.rglob("*.js"):
		for match in re.finditer(r"__\(\"((?:[^\"\\]|\\.)*)\"", path.read_text(encoding="utf-8")):
			yield path.name, match.group(1)


# --- the checks ----------------------------------------------------------------------------


def test_every_visible_label_has_its_own_zh():
	"""A label passes with the app's own context-free entry, or (a field's label, description
	or option) with an entry in its DocType's context."""
	zh, in_context = zh_translations(), zh_with_context()
	missing = sorted(
		{
			(where, text)
			for where, text, context in visible_labels()
			if needs_zh(text) and text not in zh and (text, context) not in in_context
		}
	)
	assert missing == [], "no zh word of the app's own for:\n" + "\n".join(f"{w}: {t}" for w, t in missing)


def test_every_message_has_zh():
	zh = framework_translations() | zh_translations()
	missing = sorted(
		{
			(where, text)
			for where, text in [*python_messages(), *js_messages()]
			if text not in zh and needs_zh(text) and not any("\u4e00" <= ch <= "\u9fff" for ch in text)
		}
	)
	assert missing == [], "no zh translation for:\n" + "\n".join(f"{w}: {t}" for w, t in missing)


def test_label_collection_sees_the_whole_app():
	"""The collector reads what the desk shows: if it stopped finding these, the label test
	above would pass on nothing."""
	labels = {text for _where, text, _context in visible_labels()}
	expected = {
		"Purchase Campaign",  # DocType
		"Campaign State",  # field
		"Order Window",  # section
		"Settled",  # Select option
		"Settlement",  # connection group and workspace card
		"Agri Coop",  # workspace
		"Registered Members",  # Script Report column
		"Member Registration Rate",  # report
		"统购结算单",  # print format
		"Leadership Office",  # role
	}
	assert expected - labels == set()


def test_app_words_for_framework_strings_are_listed_corrections():
	"""App translations are merged into one dictionary: overriding Frappe's 'State' (州) would
	change every address form. A different word for one of their strings is allowed only as a
	listed correction; domain words go in with a context."""
	framework = framework_translations()
	clashes = {
		source: (framework[source], word)
		for source, word in zh_translations().items()
		if source in framework and framework[source] != word and source not in FRAMEWORK_CORRECTIONS
	}
	assert clashes == {}


def test_domain_states_read_as_the_coop_says_them(monkeypatch):
	"""Each state reads as the co-op says it, on the desk (context: the DocType), while
	ERPNext's own words stay theirs where the co-op's would be wrong."""
	from frappe.translate import clear_cache, get_translations_from_apps

	clear_cache()  # the merged words as zh.csv has them now
	monkeypatch.setattr(frappe.local, "lang", "zh", raising=False)
	words = get_translations_from_apps("zh")

	def desk(text, doctype):  # frappe._ in the desk: context first, then the plain word
		return words.get(f"{text}:{doctype}") or words.get(text) or text

	campaign = {
		"Draft": "草稿",
		"Open": "接单中",
		"Closed": "已截单",
		"Ordered": "已下单",
		"Received": "已到货",
		"Delivered": "已配送",
		"Settled": "已结算",
	}
	assert {state: desk(state, "Purchase Campaign") for state in campaign} == campaign
	assert frappe._("Settled") == "已结算"  # 安定 ("stable") nowhere any more
	framework = framework_translations()
	for erpnext_word in ("Open", "Closed", "Received", "Delivered", "Active"):
		assert words[erpnext_word] == framework[erpnext_word], erpnext_word
	assert desk("Cancelled", "Campaign Order") == "已取消"  # not the verb 取消
	assert desk("Submitted", "Campaign Settlement") == "已过账"  # its Journal Entries are posted
	assert desk("Active", "Coop Member") == "已上线"
	assert desk("Active", "Supplier Whitelist") == "有效"


def test_a_state_in_a_message_reads_once_in_its_doctypes_word():
	"""States are 已截单, 已结算 ...: a message saying "已{1}" would read 已已截单."""
	from frappe.translate import clear_cache

	from agri_coop.utils.messages import Msg, bilingual

	assert [row[:2] for row in zh_rows() if re.search(r"已\{\d", row[1])] == []
	clear_cache()
	text = bilingual(
		"Campaign {0} is {1}: orders are taken only while it is open",
		"2024 春耕备肥 第一期",
		Msg("Closed", context="Purchase Campaign"),
	)
	assert text.startswith("统购活动 2024 春耕备肥 第一期 当前为“已截单”：")
	assert text.endswith("is Closed: orders are taken only while it is open")


def test_no_two_fields_of_a_form_read_the_same_in_chinese():
	zh, in_context = framework_translations() | zh_translations(), zh_with_context()
	clashes = {}
	for _path, doc in app_json("doctype"):
		seen = {}
		for field in doc.get("fields", []):
			if field.get("hidden") or field.get("fieldtype") in LAYOUT_BREAKS or not field.get("label"):
				continue
			label = field["label"]
			word = in_context.get((label, doc["name"])) or zh.get(label, label)
			seen.setdefault(word, []).append(label)
		clashes.update({f"{doc['name']}: {word}": labels for word, labels in seen.items() if len(labels) > 1})
	assert clashes == {}


def test_zh_csv_keeps_crlf_and_one_word_per_source():
	raw = (APP / "translations" / "zh.csv").read_bytes()
	assert raw.count(b"\n") == raw.count(b"\r\n")
	firsts = {}
	for row in zh_rows():
		key = (row[0], row[2] if len(row) >= 3 else "")
		firsts.setdefault(key, set()).add(row[1])
	assert {key: words for key, words in firsts.items() if len(words) > 1} == {}


def test_role_names_have_zh():
	from agri_coop.constants.roles import ROLES

	zh = zh_translations()
	assert [role for role in ROLES if role not in zh] == []


def test_bilingual_message_shows_both_languages():
	from agri_coop.utils.messages import Msg, bilingual

	text = bilingual(
		"Field {0} is required once the federation is registered", Msg("Unified Social Credit Code")
	)
	assert text.startswith("联合社登记后") or "统一社会信用代码" in text
	assert "Unified Social Credit Code" in text
