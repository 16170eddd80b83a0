"""Pre-aggregations and indexes the leadership reports need at county scale (README
"Leadership reports"), each kept correct by the documents' own events:

- Campaign Order Summary: one row per submitted Campaign Order and item (quantity, value,
  member lines), written on the order's submit and removed on its cancel (doc_events in
  hooks.py), so the campaign summary sums ~30,000 rows instead of 500,000 member lines;
  `rebuild` writes them for orders submitted before it existed (after_migrate).
(Coop Member's index for the registration rate: coop_member.on_doctype_update.)
"""

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count, Sum
from frappe.utils import now_datetime

SUMMARY = "Campaign Order Summary"


def summary_rows(order_names: list[str]) -> list[tuple]:
	"""(order, campaign, order_date, cooperative, town, item, qty, amount, lines) of the
	submitted orders named."""
	if not order_names:
		return []
	Order, Line = DocType("Campaign Order"), DocType("Campaign Order Line")
	return (
		frappe.qb.from_(Line)
		.join(Order)
		.on((Line.parent == Order.name) & (Line.parenttype == "Campaign Order"))
		.select(
			Order.name,
			Order.campaign,
			Order.order_date,
			Order.cooperative,
			Order.town,
			Line.item_code,
			Sum(Line.qty),
			Sum(Line.amount),
			Count(Line.name),
		)
		.where((Order.docstatus == 1) & Order.name.isin(order_names))
		.groupby(Order.name, Line.item_code)
		.run()
	)


def write_summaries(order_names: list[str]):
	from agri_coop.utils.bulk import insert_rows

	now, user = now_datetime(), frappe.session.user
	rows = [
		(frappe.generate_hash(length=12), now, now, user, user, 1, *row) for row in summary_rows(order_names)
	]
	columns = (
		"name",
		"creation",
		"modified",
		"owner",
		"modified_by",
		"docstatus",
		"campaign_order",
		"campaign",
		"order_date",
		"cooperative",
		"town",
		"item_code",
		"qty",
		"amount",
		"lines",
	)
	insert_rows(SUMMARY, columns, rows)


def remove_summaries(order_names: list[str]):
	if order_names:
		Summary = DocType(SUMMARY)
		frappe.qb.from_(Summary).delete().where(Summary.campaign_order.isin(order_names)).run()


def on_submit(doc, method=None):
	"""Campaign Order on_submit: its rows (written again if a retry left some)."""
	remove_summaries([doc.name])
	write_summaries([doc.name])


def on_cancel(doc, method=None):
	remove_summaries([doc.name])


def rebuild(batch: int = 2000):
	"""Rows for every submitted order that has none (orders submitted before this table)."""
	Order, Summary = DocType("Campaign Order"), DocType(SUMMARY)
	missing = (
		frappe.qb.from_(Order)
		.left_join(Summary)
		.on(Summary.campaign_order == Order.name)
		.select(Order.name)
		.where((Order.docstatus == 1) & Summary.name.isnull())
		.run(pluck=True)
	)
	for start in range(0, len(missing), batch):
		write_summaries(missing[start : start + batch])
	return len(missing)


def after_migrate():
	rebuild()
