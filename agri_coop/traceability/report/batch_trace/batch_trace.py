"""追溯 (Batch Trace): a batch from its supplier, purchase order and receipt (date, station,
warehouse) through the deliveries to villages to every member who received it; or a member
back to every batch received. A town or village user sees only their own co-ops' deliveries
and members (agri_coop.traceability.trace)."""

import frappe
from frappe import _

from agri_coop.traceability.trace import trace_batch, trace_member
from agri_coop.utils.messages import Msg, throw


def execute(filters=None):
	filters = validate_filters(filters)
	columns = get_columns()
	data = get_data(filters)
	return columns, data, None, None, get_report_summary(data)


def validate_filters(filters) -> frappe._dict:
	filters = frappe._dict(filters or {})
	if not filters.batch and not filters.member:
		throw("Batch Trace: choose a batch or a member")
	if filters.batch and not frappe.db.exists("Batch", filters.batch):
		throw("Field {0}: {1} is not a batch", Msg("Batch"), filters.batch)
	if filters.member and not frappe.has_permission("Coop Member", "read", filters.member):
		throw("Field {0}: {1} is not a member you may see", Msg("Coop Member"), filters.member)
	return filters


def get_columns() -> list[dict]:
	return [
		{"label": _("Stage"), "fieldname": "stage", "fieldtype": "Data", "width": 110},
		{"label": _("Date"), "fieldname": "posting_date", "fieldtype": "Date", "width": 100},
		{"label": _("Document Type"), "fieldname": "document_type", "fieldtype": "Data", "width": 130},
		{
			"label": _("Trace Document"),
			"fieldname": "document",
			"fieldtype": "Dynamic Link",
			"options": "document_type",
			"width": 170,
		},
		{"label": _("Batch"), "fieldname": "batch", "fieldtype": "Data", "width": 130},
		{"label": _("Item"), "fieldname": "item_code", "fieldtype": "Data", "width": 140},
		{"label": _("From / To"), "fieldname": "party", "fieldtype": "Data", "width": 200},
		{"label": _("Warehouse"), "fieldname": "warehouse", "fieldtype": "Data", "width": 170},
		{"label": _("Quantity"), "fieldname": "qty", "fieldtype": "Float", "width": 90},
		{"label": _("Recalled"), "fieldname": "recalled", "fieldtype": "Check", "width": 80},
	]


def get_data(filters) -> list[dict]:
	if filters.batch:
		return batch_rows(filters.batch)
	return [
		{
			"stage": _("Given to Member"),
			"posting_date": row.posting_date,
			"document_type": "Member Distribution",
			"document": row.distribution,
			"batch": row.batch_no,
			"item_code": row.item_code,
			"party": f"{row.member_name} ({row.member}) · {row.cooperative}",
			"qty": row.qty,
			"recalled": row.recalled,
		}
		for row in trace_member(filters.member)
	]


def batch_rows(batch: str) -> list[dict]:
	trace = trace_batch(batch)
	info = trace["batch"]
	rows = []
	for r in trace["receipts"]:
		for po in r.purchase_orders:
			rows.append(
				{
					"stage": _("Purchase Order"),
					"document_type": "Purchase Order",
					"document": po,
					"party": r.supplier,
					"indent": 0,
				}
			)
		rows.append(
			{
				"stage": _("Received at Station"),
				"posting_date": r.posting_date,
				"document_type": "Purchase Receipt",
				"document": r.voucher_no,
				"party": f"{r.supplier} → {r.service_station or r.warehouse}",
				"warehouse": r.warehouse,
				"qty": r.qty,
			}
		)
	for r in trace["deliveries"]:
		rows.append(
			{
				"stage": _("Delivered to Village"),
				"posting_date": r.posting_date,
				"document_type": "Delivery Note",
				"document": r.voucher_no,
				"party": r.cooperative,
				"warehouse": r.warehouse,
				"qty": r.qty,
			}
		)
	for r in trace["members"]:
		rows.append(
			{
				"stage": _("Given to Member"),
				"posting_date": r.posting_date,
				"document_type": "Member Distribution",
				"document": r.distribution,
				"party": f"{r.member_name} ({r.member}) · {r.cooperative}",
				"qty": r.qty,
			}
		)
	for row in rows:
		row.setdefault("batch", batch)
		row.setdefault("item_code", info.item)
		row.setdefault("recalled", info.agri_coop_recalled)
	return rows


def get_report_summary(data) -> list[dict]:
	def total(stage):
		return sum(r.get("qty") or 0 for r in data if r["stage"] == stage)

	return [
		{"label": _("Received at Station"), "value": total(_("Received at Station")), "datatype": "Float"},
		{"label": _("Delivered to Village"), "value": total(_("Delivered to Village")), "datatype": "Float"},
		{"label": _("Given to Members"), "value": total(_("Given to Member")), "datatype": "Float"},
	]
