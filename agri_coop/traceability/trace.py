"""Trace a batch from its supplier to the members who received it, and a member back to
every batch they received (seed 001 §二 9; seeds 003/004 质量追溯). Everything comes from
ERPNext's stock ledger (Serial and Batch Bundles of Purchase Receipts and Delivery Notes)
and the villages' Member Distributions; a town or village user sees only the deliveries and
members of their own co-ops."""

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Abs, Sum
from frappe.utils import flt

from agri_coop.security.boundary import allowed_cooperatives


def batch_movements(batch: str, voucher_type: str) -> list:
	"""Submitted vouchers of `voucher_type` moving the batch: voucher, date, warehouse, qty."""
	Bundle, Entry = DocType("Serial and Batch Bundle"), DocType("Serial and Batch Entry")
	return (
		frappe.qb.from_(Entry)
		.join(Bundle)
		.on(Entry.parent == Bundle.name)
		.select(
			Bundle.voucher_no,
			Bundle.posting_date,
			Bundle.warehouse,
			Abs(Sum(Entry.qty)).as_("qty"),
		)
		.where(
			(Entry.batch_no == batch)
			& (Bundle.voucher_type == voucher_type)
			& (Bundle.docstatus == 1)
			& (Bundle.is_cancelled == 0)
		)
		.groupby(Bundle.voucher_no, Bundle.posting_date, Bundle.warehouse)
		.orderby(Bundle.posting_date)
		.orderby(Bundle.voucher_no)
		.run(as_dict=True)
	)


def trace_batch(batch: str) -> dict:
	"""Supplier, purchase orders and receipts, deliveries to villages and members of a batch,
	within the session user's scope (deliveries and members of other co-ops left out)."""
	allowed = allowed_cooperatives()
	info = frappe.db.get_value(
		"Batch",
		batch,
		["name", "item", "item_name", "expiry_date", "manufacturing_date", "agri_coop_recalled"],
		as_dict=True,
	)
	receipts = batch_movements(batch, "Purchase Receipt")
	for row in receipts:
		row.supplier = frappe.db.get_value("Purchase Receipt", row.voucher_no, "supplier")
		row.purchase_orders = sorted(
			set(
				frappe.get_all(
					"Purchase Receipt Item",
					{"parent": row.voucher_no, "purchase_order": ("is", "set")},
					pluck="purchase_order",
				)
			)
		)
		row.service_station = frappe.db.get_value("Service Station", {"warehouse": row.warehouse}, "name")
	deliveries = []
	for row in batch_movements(batch, "Delivery Note"):
		row.cooperative, row.customer = frappe.db.get_value(
			"Delivery Note", row.voucher_no, ["agri_coop_cooperative", "customer"]
		)
		if allowed is None or row.cooperative in allowed:
			deliveries.append(row)
	members = member_receipts({"batch_no": batch}, allowed)
	return {"batch": info, "receipts": receipts, "deliveries": deliveries, "members": members}


def member_receipts(filters: dict, allowed: list | None) -> list:
	"""Submitted distribution rows (who, what, which batch, how much, when, where)."""
	Dist, Row = DocType("Member Distribution"), DocType("Member Distribution Item")
	query = (
		frappe.qb.from_(Row)
		.join(Dist)
		.on(Row.parent == Dist.name)
		.select(
			Dist.name.as_("distribution"),
			Dist.posting_date,
			Dist.cooperative,
			Dist.delivery_note,
			Row.member,
			Row.member_name,
			Row.item_code,
			Row.item_name,
			Row.batch_no,
			Row.qty,
			Row.received_on,
		)
		.where((Dist.docstatus == 1) & (Row.parenttype == "Member Distribution"))
		.orderby(Dist.posting_date)
		.orderby(Row.member)
	)
	for field, value in filters.items():
		query = query.where(Row[field] == value)
	if allowed is not None:
		query = query.where(Dist.cooperative.isin(allowed or [""]))
	return query.run(as_dict=True)


def trace_member(member: str) -> list:
	"""Every batch a member received (within the caller's scope), with its recall state."""
	rows = member_receipts({"member": member}, allowed_cooperatives())
	recalled = dict(
		frappe.get_all(
			"Batch",
			{"name": ("in", [r.batch_no for r in rows if r.batch_no] or [""])},
			["name", "agri_coop_recalled"],
			as_list=True,
		)
	)
	for row in rows:
		row.recalled = recalled.get(row.batch_no, 0)
	return rows


def batch_totals(batch: str) -> dict:
	"""Received, delivered and given to members, for checks (county view)."""
	Dist, Row = DocType("Member Distribution"), DocType("Member Distribution Item")
	given = (
		frappe.qb.from_(Row)
		.join(Dist)
		.on(Row.parent == Dist.name)
		.select(Sum(Row.qty))
		.where((Row.batch_no == batch) & (Dist.docstatus == 1))
		.run()[0][0]
	)
	return {
		"received": sum(flt(r.qty) for r in batch_movements(batch, "Purchase Receipt")),
		"delivered": sum(flt(r.qty) for r in batch_movements(batch, "Delivery Note")),
		"given": flt(given),
	}
