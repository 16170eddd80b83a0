"""Money reads the way a Chinese statement writes it: ¥ 12,600.00, not "CNY 12,600.00"."""

import frappe

YUAN = "CNY"
YUAN_SYMBOL = "¥"
FEN = "分"


def show_yuan_symbol():
	"""Frappe's country data gives China's currency no symbol, so the desk and every print
	format fall back to the code "CNY". Give CNY its symbol (left of the amount, fen as the
	fraction) unless the site has chosen one of its own. Safe to run again: after install and
	before every migrate."""
	if not frappe.db.exists("Currency", YUAN):
		return
	currency = frappe.db.get_value(
		"Currency", YUAN, ["symbol", "symbol_on_right", "fraction", "fraction_units"], as_dict=True
	)
	changes = {}
	if not currency.symbol or currency.symbol == YUAN:
		changes.update(symbol=YUAN_SYMBOL, symbol_on_right=0)
	if not currency.fraction:
		changes["fraction"] = FEN
	if not currency.fraction_units:
		changes["fraction_units"] = 100
	if changes:
		frappe.db.set_value("Currency", YUAN, changes)
		# the desk's boot and Frappe's value cache carry the old symbol until cleared
		frappe.clear_cache()
