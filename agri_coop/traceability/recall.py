"""Batch recall: a recalled batch is flagged and disabled on its Batch (so that neither
ERPNext's automatic pick nor a typed batch lets it out again, see batches.py), and its
progress is what the villages record on their distributions (members contacted, quantity
returned) and what the stock ledger still holds."""

import frappe
from erpnext.stock.doctype.batch.batch import get_batch_qty
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count, Sum
from frappe.utils import flt


def affected_rows(batch: str, cooperatives: list | None = None) -> list:
	"""Submitted distribution rows of the batch: who received it, where, how much, and the
	village's recall notes; only in `cooperatives` when given (the caller's scope)."""
	Dist, Row = DocType("Member Distribution"), DocType("Member Distribution Item")
	query = (
		frappe.qb.from_(Row)
		.join(Dist)
		.on(Row.parent == Dist.name)
		.select(
			Dist.name.as_("distribution"),
			Dist.cooperative,
			Dist.posting_date,
			Row.name.as_("row"),
			Row.member,
			Row.member_name,
			Row.item_code,
			Row.qty,
			Row.recall_contacted,
			Row.recall_returned_qty,
		)
		.where((Row.batch_no == batch) & (Dist.docstatus == 1) & (Row.parenttype == "Member Distribution"))
		.orderby(Dist.cooperative)
		.orderby(Row.member)
	)
	if cooperatives is not None:
		query = query.where(Dist.cooperative.isin(cooperatives or [""]))
	return query.run(as_dict=True)


def stock_by_warehouse(batch: str) -> dict:
	"""warehouse -> quantity of the batch still there (ERPNext's stock ledger)."""
	return {row.warehouse: flt(row.qty) for row in get_batch_qty(batch_no=batch) or [] if flt(row.qty)}


def progress(batch: str) -> dict:
	Dist, Row = DocType("Member Distribution"), DocType("Member Distribution Item")
	members, qty, returned = (
		frappe.qb.from_(Row)
		.join(Dist)
		.on(Row.parent == Dist.name)
		.select(
			Count(Row.member).distinct(),
			Sum(Row.qty),
			Sum(Row.recall_returned_qty),
		)
		.where((Row.batch_no == batch) & (Dist.docstatus == 1) & (Row.parenttype == "Member Distribution"))
		.run()[0]
	)
	contacted_members = (
		frappe.qb.from_(Row)
		.join(Dist)
		.on(Row.parent == Dist.name)
		.select(Count(Row.member).distinct())
		.where(
			(Row.batch_no == batch)
			& (Dist.docstatus == 1)
			& (Row.recall_contacted == 1)
			& (Row.parenttype == "Member Distribution")
		)
		.run()[0][0]
	)
	return {
		"members_affected": members or 0,
		"members_contacted": contacted_members or 0,
		"qty_with_members": flt(qty),
		"qty_returned": flt(returned),
		"qty_in_stock": sum(stock_by_warehouse(batch).values()),
	}


def recall_status(figures: dict) -> str:
	done = figures["members_contacted"] >= figures["members_affected"] and flt(
		figures["qty_returned"]
	) >= flt(figures["qty_with_members"])
	return "Completed" if done else "In Progress"


def update_recall_progress(batch: str):
	"""The batch's submitted recall shows the figures as they are now."""
	recall = frappe.db.get_value("Batch Recall", {"batch": batch, "docstatus": 1}, "name")
	if not recall:
		return
	figures = progress(batch)
	frappe.db.set_value(
		"Batch Recall", recall, {**figures, "recall_status": recall_status(figures)}, update_modified=False
	)
