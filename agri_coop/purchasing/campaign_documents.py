"""The ERPNext documents a campaign really has: the orders its consolidation made (linked
from its submitted Campaign Order lines) and what was made from them.

A Sales or Purchase Order merely tagged with a campaign proves nothing: the tag is a field
like any other. Consolidation, the campaign's state and its settlement therefore count only
these documents (README "Security model": ERPNext documents and roles)."""

import frappe
from frappe.query_builder import DocType

# order DocType -> the Campaign Order Line field pointing at it
ORDER_LINK = {"Sales Order": "sales_order", "Purchase Order": "purchase_order"}
# derived DocType -> (its item table DocType, the item field naming its source order, order DocType)
SOURCE_ORDER = {
	"Delivery Note": ("Delivery Note Item", "against_sales_order", "Sales Order"),
	"Sales Invoice": ("Sales Invoice Item", "sales_order", "Sales Order"),
	"Purchase Receipt": ("Purchase Receipt Item", "purchase_order", "Purchase Order"),
	"Purchase Invoice": ("Purchase Invoice Item", "purchase_order", "Purchase Order"),
}


def app_orders(campaign: str, doctype: str, fields: tuple = ()) -> list:
	"""Submitted orders of `doctype` made by the campaign's consolidation (names, or rows of
	name + `fields`)."""
	Line, Order, Doc = DocType("Campaign Order Line"), DocType("Campaign Order"), DocType(doctype)
	query = (
		frappe.qb.from_(Line)
		.join(Order)
		.on((Line.parent == Order.name) & (Line.parenttype == "Campaign Order"))
		.join(Doc)
		.on(Doc.name == Line[ORDER_LINK[doctype]])
		.select(Doc.name, *[Doc[f] for f in fields])
		.distinct()
		.where(
			(Order.campaign == campaign)
			& (Order.docstatus == 1)
			& (Doc.docstatus == 1)
			& (Doc.agri_coop_campaign == campaign)
		)
		.orderby(Doc.name)
	)
	if fields:
		return query.run(as_dict=True)
	return [name for (name,) in query.run()]


def made_from_app_orders(campaign: str, doctype: str, names: list[str]) -> set[str]:
	"""Those of `names` (Delivery Notes, invoices, receipts) whose rows come from the
	campaign's own orders."""
	if not names:
		return set()
	item_doctype, order_field, order_doctype = SOURCE_ORDER[doctype]
	orders = app_orders(campaign, order_doctype)
	if not orders:
		return set()
	Item = DocType(item_doctype)
	return {
		parent
		for (parent,) in frappe.qb.from_(Item)
		.select(Item.parent)
		.distinct()
		.where(Item.parent.isin(names) & Item[order_field].isin(orders))
		.run()
	}
