"""农药经营台账 (Pesticide Sales Ledger): every pesticide given to a buyer, with the fields the
pesticide regulation asks of a sales ledger: date, buyer (name, masked ID, mobile as the
role allows), product, registration number, producer, batch and expiry, quantity, price and
amount, station and village; per station and period, exportable. A buyer gets a pesticide
two ways: on the village's Member Distribution of a campaign delivery, or over a station's
counter on a Delivery Note to the member's own Customer (one ledger row per batch the note
took). Cancelled documents stay in the ledger marked cancelled (the record is kept two years:
Member Distribution refuses deletion). A town or village user sees their own co-ops' rows
only (a counter sale is the buyer's village's)."""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Abs
from frappe.utils import add_months, flt, getdate, today

from agri_coop.security.boundary import allowed_cooperatives
from agri_coop.traceability.contacts import member_contacts
from agri_coop.traceability.inputs import PESTICIDES
from agri_coop.utils.messages import Msg, throw


def execute(filters=None):
	filters = validate_filters(filters)
	columns = get_columns()
	data = get_data(filters)
	return columns, data, None, None, get_report_summary(data)


def validate_filters(filters) -> frappe._dict:
	filters = frappe._dict(filters or {})
	filters.to_date = getdate(filters.to_date or today())
	filters.from_date = getdate(filters.from_date or add_months(filters.to_date, -12))
	if filters.from_date > filters.to_date:
		throw("Field {0}: the from date is after the to date", Msg("From Date"))
	if filters.service_station and not frappe.db.exists("Service Station", filters.service_station):
		throw("Field {0}: {1} is not a service station", Msg("Service Station"), filters.service_station)
	return filters


def get_columns() -> list[dict]:
	def col(label, fieldname, fieldtype="Data", width=110, options=None):
		column = {"label": _(label), "fieldname": fieldname, "fieldtype": fieldtype, "width": width}
		if options:
			column["options"] = options
		return column

	return [
		col("Date", "posting_date", "Date", 95),
		col("Service Station", "service_station", "Data", 170),
		col("Village Cooperative", "cooperative", "Link", 180, "Cooperative"),
		col("Buyer", "member_name", "Data", 100),
		col("Coop Member", "member", "Link", 110, "Coop Member"),
		col("ID Number (masked)", "id_number_masked", "Data", 165),
		col("Mobile", "mobile", "Data", 115),
		col("Product", "item_name", "Data", 160),
		col("Pesticide Registration No", "registration_no", "Data", 130),
		col("Producer", "producer", "Data", 150),
		col("Batch", "batch_no", "Data", 120),
		col("Expiry Date", "expiry_date", "Date", 95),
		col("Quantity", "qty", "Float", 80),
		col("UOM", "uom", "Data", 60),
		col("Rate", "rate", "Currency", 80),
		col("Amount", "amount", "Currency", 100),
		col("Member Distribution", "distribution", "Link", 140, "Member Distribution"),
		col("Delivery Note", "delivery_note", "Link", 140, "Delivery Note"),
		col("Status", "status", "Data", 80),
	]


def get_data(filters) -> list[dict]:
	allowed = allowed_cooperatives()
	rows = distribution_rows(filters, allowed) + counter_sale_rows(filters, allowed)
	rows.sort(key=lambda r: (r.posting_date, r.get("distribution") or "", r.get("delivery_note") or ""))
	contacts = member_contacts(r.member for r in rows)
	for row in rows:
		row.mobile, row.id_number_masked = contacts.get(row.member, (None, None))
		row.status = _("Cancelled") if row.pop("docstatus") == 2 else _("Submitted")
		row.qty, row.amount = flt(row.qty), flt(row.amount, 2)
	return rows


def sale_fields(Row, Item) -> list:
	"""What a sale's row (distribution or Delivery Note) and its item give the ledger."""
	return [
		Row.item_name,
		Row.batch_no,
		Row.qty,
		Row.uom,
		Row.rate,
		Row.amount,
		Item.agri_coop_registration_no.as_("registration_no"),
		Item.agri_coop_producer.as_("producer"),
	]


def narrowed(query, filters, allowed: list | None, station, Row, Item, cooperative):
	"""Pesticides only; the filters' station and item; the caller's co-ops."""
	query = query.where(Item.agri_coop_input_category.isin(list(PESTICIDES)))
	if filters.service_station:
		query = query.where(station == filters.service_station)
	if filters.item_code:
		query = query.where(Row.item_code == filters.item_code)
	if allowed is not None:
		query = query.where(cooperative.isin(allowed or [""]))
	return query


def distribution_rows(filters, allowed: list | None) -> list[dict]:
	Dist, Row = DocType("Member Distribution"), DocType("Member Distribution Item")
	Item, Batch = DocType("Item"), DocType("Batch")
	query = (
		frappe.qb.from_(Row)
		.join(Dist)
		.on(Row.parent == Dist.name)
		.join(Item)
		.on(Item.name == Row.item_code)
		.left_join(Batch)
		.on(Batch.name == Row.batch_no)
		.select(
			Dist.posting_date,
			Dist.service_station,
			Dist.cooperative,
			Dist.name.as_("distribution"),
			Dist.docstatus,
			Row.member,
			Row.member_name,
			*sale_fields(Row, Item),
			Batch.expiry_date,
		)
		.where(
			(Row.parenttype == "Member Distribution")
			& Dist.docstatus.isin([1, 2])
			& Dist.posting_date[filters.from_date : filters.to_date]
		)
		.orderby(Dist.posting_date)
		.orderby(Dist.name)
		.orderby(Row.idx)
	)
	query = narrowed(query, filters, allowed, Dist.service_station, Row, Item, Dist.cooperative)
	return query.run(as_dict=True)


def counter_sale_rows(filters, allowed: list | None) -> list[dict]:
	"""Delivery Notes (not returns) of pesticides to a member's own Customer, a row per batch."""
	Note, Row, Customer = DocType("Delivery Note"), DocType("Delivery Note Item"), DocType("Customer")
	Item, Station = DocType("Item"), DocType("Service Station")
	query = (
		frappe.qb.from_(Row)
		.join(Note)
		.on(Row.parent == Note.name)
		.join(Customer)
		.on(Customer.name == Note.customer)
		.join(Item)
		.on(Item.name == Row.item_code)
		.left_join(Station)
		.on(Station.warehouse == Row.warehouse)
		.select(
			Note.posting_date,
			Station.name.as_("service_station"),
			Customer.agri_coop_cooperative.as_("cooperative"),
			Note.name.as_("delivery_note"),
			Note.docstatus,
			Customer.agri_coop_member.as_("member"),
			Customer.customer_name.as_("member_name"),
			Row.serial_and_batch_bundle,
			*sale_fields(Row, Item),
		)
		.where(
			(Row.parenttype == "Delivery Note")
			& Note.docstatus.isin([1, 2])
			& (Note.is_return == 0)
			& Customer.agri_coop_member.isnotnull()
			& Note.posting_date[filters.from_date : filters.to_date]
		)
		.orderby(Note.posting_date)
		.orderby(Note.name)
		.orderby(Row.idx)
	)
	query = narrowed(query, filters, allowed, Station.name, Row, Item, Customer.agri_coop_cooperative)
	rows = query.run(as_dict=True)
	batches = bundle_batches(r.serial_and_batch_bundle for r in rows)
	split = []
	for row in rows:
		taken = batches.get(row.pop("serial_and_batch_bundle")) or [(row.batch_no, row.qty)]
		total = sum(qty for _, qty in taken) or 1
		amount_left = flt(row.amount, 2)
		for index, (batch_no, qty) in enumerate(taken):
			part = frappe._dict(row, batch_no=batch_no, qty=flt(row.qty) * qty / total)
			# the batches' amounts add up to the row's to the fen
			part.amount = amount_left if index == len(taken) - 1 else flt(flt(row.rate) * part.qty, 2)
			amount_left = flt(amount_left - part.amount, 2)
			split.append(part)
	expiry = dict(
		frappe.get_all(
			"Batch",
			{"name": ("in", [r.batch_no for r in split if r.batch_no] or [""])},
			["name", "expiry_date"],
			as_list=True,
		)
	)
	for row in split:
		row.expiry_date = expiry.get(row.batch_no)
	return split


def bundle_batches(bundles) -> dict:
	"""Serial and Batch Bundle -> [(batch, quantity taken)], in entry order."""
	bundles = sorted({b for b in bundles if b})
	if not bundles:
		return {}
	Entry = DocType("Serial and Batch Entry")
	taken = {}
	for bundle, batch_no, qty in (
		frappe.qb.from_(Entry)
		.select(Entry.parent, Entry.batch_no, Abs(Entry.qty))
		.where(Entry.parent.isin(bundles) & Entry.batch_no.isnotnull())
		.orderby(Entry.parent)
		.orderby(Entry.idx)
		.run()
	):
		taken.setdefault(bundle, []).append((batch_no, flt(qty)))
	return taken


def get_report_summary(data) -> list[dict]:
	valid = [r for r in data if r.status != _("Cancelled")]
	return [
		{"label": _("Buyers"), "value": len({r.member for r in valid}), "datatype": "Int"},
		{"label": _("Quantity"), "value": sum(r.qty for r in valid), "datatype": "Float"},
		{"label": _("Amount"), "value": flt(sum(r.amount for r in valid), 2), "datatype": "Currency"},
	]
