"""Batches through ERPNext's own stock ledger (Serial and Batch Bundle): the public trace
token of a batch, what a Delivery Note carried per batch, and the refusal of recalled
batches on every outward path (delivery, distribution).

A recalled batch is also disabled, so that ERPNext's automatic pick for an outward row
without a batch (Stock Settings "Auto Create Serial and Batch Bundle For Outward") never
chooses it; a batch typed in by hand is refused here."""

import secrets

import frappe
from erpnext.stock.doctype.serial_and_batch_bundle.serial_and_batch_bundle import get_auto_batch_nos
from erpnext.stock.serial_batch_bundle import SerialBatchCreation
from frappe.query_builder import DocType
from frappe.query_builder.functions import Abs, Sum
from frappe.utils import flt

from agri_coop.traceability.inputs import input_rules, is_pesticide
from agri_coop.utils.messages import throw


class RecalledBatchError(frappe.ValidationError):
	pass


class InvoiceStockError(frappe.ValidationError):
	pass


def set_trace_token(doc, method=None):
	"""Batch.before_insert: the QR code's unguessable token (not the batch name)."""
	if not doc.get("agri_coop_trace_token"):
		doc.agri_coop_trace_token = secrets.token_urlsafe(18)


def voucher_batches(voucher_type: str, voucher_nos) -> dict:
	"""(voucher_no, item_code, batch_no) -> quantity moved (positive) by submitted vouchers."""
	voucher_nos = list(voucher_nos)
	if not voucher_nos:
		return {}
	Bundle, Entry = DocType("Serial and Batch Bundle"), DocType("Serial and Batch Entry")
	rows = (
		frappe.qb.from_(Entry)
		.join(Bundle)
		.on(Entry.parent == Bundle.name)
		.select(Bundle.voucher_no, Bundle.item_code, Entry.batch_no, Abs(Sum(Entry.qty)))
		.where(
			(Bundle.voucher_type == voucher_type)
			& Bundle.voucher_no.isin(voucher_nos)
			& (Bundle.docstatus == 1)
			& (Bundle.is_cancelled == 0)
			& (Bundle.is_rejected == 0)
			& Entry.batch_no.isnotnull()
		)
		.groupby(Bundle.voucher_no, Bundle.item_code, Entry.batch_no)
		.run()
	)
	return {(voucher, item, batch): qty for voucher, item, batch, qty in rows}


def recalled(batch_nos) -> dict:
	"""batch_no -> its Batch Recall, for those of `batch_nos` that are recalled."""
	batch_nos = sorted({b for b in batch_nos if b})
	if not batch_nos:
		return {}
	return dict(
		frappe.get_all(
			"Batch",
			{"name": ("in", batch_nos), "agri_coop_recalled": 1},
			["name", "agri_coop_recall"],
			as_list=True,
		)
	)


def refuse_recalled(batch_nos, where: str):
	found = recalled(batch_nos)
	if found:
		batch, recall = sorted(found.items())[0]
		throw(
			"{0}: batch {1} is recalled ({2}); it may not be delivered or distributed",
			where,
			batch,
			recall,
			exc=RecalledBatchError,
		)


def delivery_batches(doc) -> set:
	"""The batches a stock document names: typed on its rows, and in its bundles (ERPNext
	links an automatic bundle to the row in the database only, hence the voucher query)."""
	batches = {row.get("batch_no") for row in doc.items if row.get("batch_no")}
	Bundle, Entry = DocType("Serial and Batch Bundle"), DocType("Serial and Batch Entry")
	bundles = [row.serial_and_batch_bundle for row in doc.items if row.get("serial_and_batch_bundle")]
	condition = Bundle.name.isin(bundles) if bundles else None
	if not doc.is_new():
		mine = (Bundle.voucher_type == doc.doctype) & (Bundle.voucher_no == doc.name)
		condition = mine if condition is None else (condition | mine)
	if condition is not None:
		batches |= {
			b
			for (b,) in frappe.qb.from_(Entry)
			.join(Bundle)
			.on(Entry.parent == Bundle.name)
			.select(Entry.batch_no)
			.distinct()
			.where(condition & (Bundle.is_cancelled == 0) & Entry.batch_no.isnotnull())
			.run()
		}
	return batches


def refuse_recalled_delivery(doc, method=None):
	"""Delivery Note validate / on_submit (after ERPNext made its bundles): no recalled batch
	leaves a warehouse. Returns (is_return) are how recalled stock comes back: allowed."""
	if doc.get("is_return") or doc.docstatus == 2:
		return
	refuse_recalled(delivery_batches(doc), doc.name or doc.doctype)


def refuse_traced_inputs_on_invoice(doc, method=None):
	"""Sales Invoice / POS Invoice validate: an invoice that updates stock would take a pesticide
	or another batch-tracked input out of a warehouse past what a Delivery Note checks (the
	buyer's real name, first-expiring batches, recalls) and past the batch trace. Such goods
	leave on a Delivery Note; the invoice is made from it. Returns bring stock back: allowed."""
	if not doc.get("update_stock") or doc.get("is_return"):
		return
	rules = input_rules(row.item_code for row in doc.items)
	for row in doc.items:
		rule = rules.get(row.item_code)
		if rule and (is_pesticide(rule) or rule.traced):
			throw(
				"Items row {0}: {1} is a pesticide or batch-tracked input; it leaves a warehouse only "
				"on a Delivery Note, where its batches and buyer are recorded: deliver it, then "
				"invoice the Delivery Note (untick Update Stock)",
				row.idx,
				rule.item_name or row.item_code,
				exc=InvoiceStockError,
			)


TYPED_BATCH = "agri_coop_typed_batch"


def note_typed_batches(doc, method=None):
	"""Delivery Note before_validate: remember the batches the user (or API client) named."""
	for row in doc.items:
		row.flags[TYPED_BATCH] = row.get("batch_no")


def drop_default_batches(doc, method=None):
	"""Delivery Note validate (after ERPNext's): ERPNext fills a batch item's row with one batch
	of its own choosing whatever its quantity; a batch nobody named is cleared, so that
	`assign_batches` picks first-expiring batches with enough stock on submit."""
	if doc.get("is_return"):
		return
	for row in doc.items:
		if row.get("batch_no") and not row.get("serial_and_batch_bundle") and TYPED_BATCH in row.flags:
			if row.flags[TYPED_BATCH] != row.batch_no:
				row.batch_no = None


def assign_batches(doc, method=None):
	"""Delivery Note before_submit: every row of a batch item without a batch gets a Serial and
	Batch Bundle of the first-expiring batches its warehouse holds (recalled ones are disabled,
	expired ones left out by ERPNext's own availability query), split over several batches when
	one runs out. The availability is asked once per item and warehouse for the whole note."""
	if doc.get("is_return"):
		return
	rules = input_rules(row.item_code for row in doc.items)
	open_rows = [
		row
		for row in doc.items
		if rules.get(row.item_code)
		and rules[row.item_code].has_batch_no
		and not row.get("batch_no")
		and not row.get("serial_and_batch_bundle")
		and flt(row.stock_qty) > 0
	]
	needed = {}
	for row in open_rows:
		needed[(row.item_code, row.warehouse)] = needed.get((row.item_code, row.warehouse), 0) + flt(
			row.stock_qty
		)
	for (item_code, warehouse), qty in needed.items():
		available = get_auto_batch_nos(
			frappe._dict(
				item_code=item_code,
				warehouse=warehouse,
				posting_date=doc.posting_date,
				posting_time=doc.posting_time,
				based_on="Expiry",
				qty=qty,
				ignore_voucher_nos=[doc.name],
			)
		)
		pool = [[b.batch_no, flt(b.qty)] for b in available if flt(b.qty) > 0]
		for row in (r for r in open_rows if (r.item_code, r.warehouse) == (item_code, warehouse)):
			want, picked = flt(row.stock_qty), {}
			for batch in pool:
				if want <= 0:
					break
				take = min(want, batch[1])
				if take > 0:
					picked[batch[0]] = picked.get(batch[0], 0) + take
					batch[1] -= take
					want -= take
			if want > 0:
				throw(
					"Items row {0}: {1} has only {2} in batches in warehouse {3}, {4} are to be delivered",
					row.idx,
					item_code,
					flt(row.stock_qty) - want,
					warehouse,
					flt(row.stock_qty),
					exc=frappe.ValidationError,
				)
			bundle = SerialBatchCreation(
				{
					"item_code": item_code,
					"warehouse": warehouse,
					"voucher_type": doc.doctype,
					"voucher_no": doc.name,
					"voucher_detail_no": row.name,
					"posting_date": doc.posting_date,
					"posting_time": doc.posting_time,
					"qty": flt(row.stock_qty),
					"type_of_transaction": "Outward",
					"company": doc.company,
					"batches": frappe._dict(picked),
					"do_not_submit": True,
				}
			).make_serial_and_batch_bundle()
			row.serial_and_batch_bundle = bundle.name
			if len(picked) == 1:
				row.batch_no = next(iter(picked))
