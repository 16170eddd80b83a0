"""Chinese is the users' language: every label and message the app adds has a zh entry."""

import ast
import csv
import json
from pathlib import Path

import frappe

APP = Path(frappe.get_app_path("agri_coop"))
MESSAGE_FUNCTIONS = {"_", "bilingual", "throw", "Msg", "_lt"}


def zh_translations() -> dict[str, str]:
	with open(APP / "translations" / "zh.csv", encoding="utf-8") as f:
		return {row[0]: row[1] for row in csv.reader(f) if len(row) >= 2}


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


def framework_translations() -> dict[str, str]:
	from frappe.translate import get_translations_from_apps

	return get_translations_from_apps("zh", ["frappe", "erpnext"])


def doctype_labels():
	for path in APP.rglob("doctype/*/*.json"):
		doc = json.loads(path.read_text(encoding="utf-8"))
		yield path.name, doc["name"]
		for field in doc.get("fields", []):
			if field.get("hidden"):
				continue
			for key in ("label", "description"):
				if field.get(key):
					yield path.name, field[key]
			if field.get("fieldtype") == "Select":
				for option in (field.get("options") or "").split("\n"):
					if option:
						yield path.name, option


def js_messages():
	import re

	for path in APP.rglob("*.js"):
		for match in re.finditer(r"__\(\"((?:[^\"\\]|\\.)*)\"", path.read_text(encoding="utf-8")):
			yield path.name, match.group(1)


def test_every_message_and_label_has_zh():
	zh = framework_translations() | zh_translations()
	missing = sorted(
		{
			(where, text)
			for where, text in [*python_messages(), *doctype_labels(), *js_messages()]
			if text not in zh and not any("\u4e00" <= ch <= "\u9fff" for ch in text)
		}
	)
	assert missing == [], "no zh translation for:\n" + "\n".join(f"{w}: {t}" for w, t in missing)


def test_app_does_not_retranslate_framework_words():
	"""App translations are merged into one dictionary: overriding Frappe's 'State' (州)
	would change every address form. Domain words get their own source strings instead."""
	framework = framework_translations()
	clashes = {
		k: (framework[k], v) for k, v in zh_translations().items() if k in framework and framework[k] != v
	}
	assert clashes == {}


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
