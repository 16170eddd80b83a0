"""What a village received per batch, what it has given its members, and the FIFO-by-expiry
fill of a Member Distribution from the campaign's member lines (seed 001 §二 9: 农药销售、购买
、使用去向可追溯). Each function answers a whole Delivery Note in one or two queries."""

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Sum
from frappe.utils import flt

from agri_coop.traceability.batches import voucher_batches

NO_BATCH = ""


def received(delivery_note: str) -> dict:
	"""(item_code, batch_no or "") -> stock quantity the village received on this Delivery Note:
	per batch from ERPNext's bundles, per item for items without batches."""
	Item = DocType("Delivery Note Item")
	got = {
		(item, batch): flt(qty)
		for (_dn, item, batch), qty in voucher_batches("Delivery Note", [delivery_note]).items()
	}
	batch_items = {item for item, _batch in got}
	for item, qty in (
		frappe.qb.from_(Item)
		.select(Item.item_code, Sum(Item.stock_qty))
		.where((Item.parent == delivery_note) & (Item.parenttype == "Delivery Note"))
		.groupby(Item.item_code)
		.run()
	):
		if item not in batch_items:
			got[(item, NO_BATCH)] = flt(qty)
	return got


def distributed(delivery_note: str, exclude: str | None = None, for_update: bool = False) -> dict:
	"""(item_code, batch_no or "") -> quantity already given to members on submitted
	distributions of this Delivery Note; with `for_update` a locking read, which sees what
	other transactions committed since this one began (a plain read sees its snapshot)."""
	Dist, Row = DocType("Member Distribution"), DocType("Member Distribution Item")
	query = (
		frappe.qb.from_(Row)
		.join(Dist)
		.on(Row.parent == Dist.name)
		.select(Row.item_code, Row.batch_no, Sum(Row.qty))
		.where(
			(Dist.delivery_note == delivery_note)
			& (Dist.docstatus == 1)
			& (Row.parenttype == "Member Distribution")
		)
		.groupby(Row.item_code, Row.batch_no)
	)
	if exclude:
		query = query.where(Dist.name != exclude)
	if for_update:
		query = query.for_update()
	return {(item, batch or NO_BATCH): flt(qty) for item, batch, qty in query.run()}


def available_batches(delivery_note: str, exclude: str | None = None) -> dict:
	"""item_code -> [(batch_no, quantity left)] first-expiring first, recalled batches left out."""
	left = received(delivery_note)
	for key, qty in distributed(delivery_note, exclude).items():
		left[key] = flt(left.get(key)) - qty
	batch_nos = [batch for _item, batch in left if batch]
	info = {
		b.name: b
		for b in frappe.get_all(
			"Batch",
			{"name": ("in", batch_nos or [""])},
			["name", "expiry_date", "creation", "agri_coop_recalled"],
		)
	}
	far = frappe.utils.getdate("9999-12-31")
	by_item = {}
	for (item, batch), qty in sorted(
		left.items(),
		key=lambda kv: (
			(info[kv[0][1]].expiry_date or far, info[kv[0][1]].creation, kv[0][1])
			if kv[0][1] in info
			else (far, far, kv[0][1])
		),
	):
		if qty <= 0 or (batch and info.get(batch, {}).get("agri_coop_recalled")):
			continue
		by_item.setdefault(item, []).append((batch, qty))
	return by_item


def member_lines(delivery_note: str) -> list:
	"""The campaign's submitted member lines that went into this Delivery Note's Sales Orders."""
	Item = DocType("Delivery Note Item")
	orders = [
		so
		for (so,) in frappe.qb.from_(Item)
		.select(Item.against_sales_order)
		.distinct()
		.where((Item.parent == delivery_note) & Item.against_sales_order.isnotnull())
		.run()
	]
	if not orders:
		return []
	Line, Order = DocType("Campaign Order Line"), DocType("Campaign Order")
	return (
		frappe.qb.from_(Line)
		.join(Order)
		.on(Line.parent == Order.name)
		.select(Line.name, Line.member, Line.member_name, Line.item_code, Line.qty)
		.where(Line.sales_order.isin(orders) & (Order.docstatus == 1) & (Line.parenttype == "Campaign Order"))
		.orderby(Line.member)
		.orderby(Line.idx)
		.run(as_dict=True)
	)


def fifo_rows(lines, batches: dict, given: dict) -> list[dict]:
	"""Rows of a distribution: each member line's quantity (less what the member was already
	given of that item) taken from the item's batches in order, split where a batch runs out."""
	left = {item: [list(b) for b in rows] for item, rows in batches.items()}
	rows = []
	for line in lines:
		key = (line.member, line.item_code)
		covered = min(flt(given.get(key)), flt(line.qty))
		given[key] = flt(given.get(key)) - covered
		want = flt(line.qty) - covered
		for batch in left.get(line.item_code, []):
			if want <= 0:
				break
			take = min(want, batch[1])
			if take <= 0:
				continue
			batch[1] -= take
			want -= take
			rows.append(
				{
					"member": line.member,
					"member_name": line.member_name,
					"item_code": line.item_code,
					"batch_no": batch[0] or None,
					"qty": take,
					"campaign_order_line": line.name,
				}
			)
	return rows


def given_to_members(delivery_note: str, exclude: str | None = None) -> dict:
	"""(member, item_code) -> quantity already given on submitted distributions of the note."""
	Dist, Row = DocType("Member Distribution"), DocType("Member Distribution Item")
	query = (
		frappe.qb.from_(Row)
		.join(Dist)
		.on(Row.parent == Dist.name)
		.select(Row.member, Row.item_code, Sum(Row.qty))
		.where((Dist.delivery_note == delivery_note) & (Dist.docstatus == 1))
		.groupby(Row.member, Row.item_code)
	)
	if exclude:
		query = query.where(Dist.name != exclude)
	return {(member, item): flt(qty) for member, item, qty in query.run()}
