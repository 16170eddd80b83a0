"""市场参考价: the market reference prices the campaigns' savings are measured against.

An ERPNext buying Price List (`MARKET_REFERENCE_PRICE_LIST`) whose Item Prices carry the
dates they held (valid_from / valid_upto): a campaign's saving is computed with the price
of the campaign's own date, not today's."""

import frappe
from frappe.query_builder import DocType
from frappe.utils import getdate

MARKET_REFERENCE_PRICE_LIST = "市场参考价"


def market_prices_on(items: list[tuple[str, str | None]], on_date) -> dict[str, float]:
	"""{item_code: rate} of the reference price list valid on `on_date` (the latest
	valid_from on or before it), in the item's stock unit (or a price without a unit)."""
	codes = sorted({code for code, _uom in items})
	if not codes:
		return {}
	on_date = getdate(on_date)
	uoms = dict(items)
	ItemPrice = DocType("Item Price")
	rows = (
		frappe.qb.from_(ItemPrice)
		.select(ItemPrice.item_code, ItemPrice.uom, ItemPrice.price_list_rate, ItemPrice.valid_from)
		.where(
			(ItemPrice.price_list == MARKET_REFERENCE_PRICE_LIST)
			& ItemPrice.item_code.isin(codes)
			& (ItemPrice.valid_from.isnull() | (ItemPrice.valid_from <= on_date))
			& (ItemPrice.valid_upto.isnull() | (ItemPrice.valid_upto >= on_date))
		)
		.orderby(ItemPrice.valid_from)
		.run(as_dict=True)
	)
	prices = {}
	for row in rows:  # oldest first: the latest price valid on the day wins
		if not row.uom or row.uom == uoms.get(row.item_code):
			prices[row.item_code] = row.price_list_rate
	return prices
