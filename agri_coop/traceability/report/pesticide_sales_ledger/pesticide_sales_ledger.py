"""农药经营台账 (Pesticide Sales Ledger): every pesticide given to a buyer, with the fields the
pesticide regulation asks of a sales ledger: date, buyer (name, masked ID, mobile as the
role allows), product, registration number, producer, batch and expiry, quantity, price and
amount, station and village; per station and period, exportable. Cancelled distributions
stay in the ledger marked cancelled (the record is kept two years: Member Distribution
refuses deletion). A town or village user sees their own co-ops' rows only."""

import frappe
from frappe import _
from frappe.query_builder import DocType
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
		col("Status", "status", "Data", 80),
	]


def get_data(filters) -> list[dict]:
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
			Row.item_name,
			Row.batch_no,
			Row.qty,
			Row.uom,
			Row.rate,
			Row.amount,
			Item.agri_coop_registration_no.as_("registration_no"),
			Item.agri_coop_producer.as_("producer"),
			Batch.expiry_date,
		)
		.where(
			(Row.parenttype == "Member Distribution")
			& Dist.docstatus.isin([1, 2])
			& Dist.posting_date[filters.from_date : filters.to_date]
			& Item.agri_coop_input_category.isin(list(PESTICIDES))
		)
		.orderby(Dist.posting_date)
		.orderby(Dist.name)
		.orderby(Row.idx)
	)
	if filters.service_station:
		query = query.where(Dist.service_station == filters.service_station)
	if filters.item_code:
		query = query.where(Row.item_code == filters.item_code)
	allowed = allowed_cooperatives()
	if allowed is not None:
		query = query.where(Dist.cooperative.isin(allowed or [""]))
	rows = query.run(as_dict=True)
	contacts = member_contacts(r.member for r in rows)
	for row in rows:
		row.mobile, row.id_number_masked = contacts.get(row.member, (None, None))
		row.status = _("Cancelled") if row.pop("docstatus") == 2 else _("Submitted")
		row.qty, row.amount = flt(row.qty), flt(row.amount, 2)
	return rows


def get_report_summary(data) -> list[dict]:
	valid = [r for r in data if r.status != _("Cancelled")]
	return [
		{"label": _("Buyers"), "value": len({r.member for r in valid}), "datatype": "Int"},
		{"label": _("Quantity"), "value": sum(r.qty for r in valid), "datatype": "Float"},
		{"label": _("Amount"), "value": flt(sum(r.amount for r in valid), 2), "datatype": "Currency"},
	]
