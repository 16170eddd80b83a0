"""Money reads as a Chinese statement writes it: ¥ 12,600.00 on the desk and in print, not
"CNY 12,600.00" (Frappe's country data gives China's currency no symbol)."""

import frappe
from frappe.utils import fmt_money

from agri_coop.setup.currency import YUAN, YUAN_SYMBOL, show_yuan_symbol


def set_symbol(symbol):
	frappe.db.set_value("Currency", YUAN, "symbol", symbol)
	frappe.clear_cache()
	new_request()


def new_request():
	"""Frappe keeps the values fmt_money reads (cache=True) for the rest of the request."""
	frappe.db.value_cache = {}


def test_yuan_without_a_symbol_gets_one_and_amounts_read_with_it():
	set_symbol(None)
	assert fmt_money(12600, currency=YUAN) == "CNY 12,600.00"  # what the demo showed

	show_yuan_symbol()
	new_request()

	assert frappe.db.get_value("Currency", YUAN, ["symbol", "symbol_on_right"]) == (YUAN_SYMBOL, 0)
	assert fmt_money(12600, currency=YUAN) == "¥ 12,600.00"
	# a Currency field with no currency of its own takes the site's default (the county's CNY)
	assert frappe.format_value(12600, {"fieldtype": "Currency"}) == "¥ 12,600.00"


def test_the_desk_boots_with_the_symbol():
	from frappe.boot import load_currency_docs

	set_symbol("")
	show_yuan_symbol()
	bootinfo = frappe._dict(docs=[])
	load_currency_docs(bootinfo)
	yuan = next(doc for doc in bootinfo.docs if doc.name == YUAN)
	assert (yuan.symbol, yuan.symbol_on_right) == (YUAN_SYMBOL, 0)


def test_a_symbol_the_site_chose_is_kept_and_running_again_changes_nothing():
	set_symbol("RMB")
	show_yuan_symbol()
	assert frappe.db.get_value("Currency", YUAN, "symbol") == "RMB"

	set_symbol(YUAN)  # the code typed as the symbol is no symbol
	show_yuan_symbol()
	modified = frappe.db.get_value("Currency", YUAN, "modified")
	show_yuan_symbol()
	assert frappe.db.get_value("Currency", YUAN, ["symbol", "modified"]) == (YUAN_SYMBOL, modified)


def test_the_co_op_statement_prints_yuan():
	"""统购结算单 of the demo's settled campaign: every amount with ¥, none with the code."""
	settlement = frappe.db.get_value("Campaign Settlement", {"docstatus": 1}, "name")
	assert settlement, "the demo county has a submitted settlement"
	set_symbol(None)
	show_yuan_symbol()
	new_request()

	html = frappe.get_print("Campaign Settlement", settlement, print_format="统购结算单")

	assert "¥ " in html
	assert "CNY " not in html
