"""召回清单 (Batch Recall List): for a recalled batch, every member who received it (village,
quantity, date, the mobile to call as the reader's role may see it, the masked ID number,
whether the village has reached them and what came back), then the stock still in each
warehouse; the summary is the recall's completion. A town or village user sees only their
own co-ops' members (the stock rows are the county's)."""

import frappe
from frappe import _
from frappe.utils import flt

from agri_coop.security.boundary import allowed_cooperatives
from agri_coop.traceability.contacts import member_contacts
from agri_coop.traceability.recall import affected_rows, stock_by_warehouse
from agri_coop.utils.messages import Msg, throw


def execute(filters=None):
	filters = validate_filters(filters)
	columns = get_columns()
	data = get_data(filters)
	return columns, data, None, get_chart(data), get_report_summary(data, filters)


def validate_filters(filters) -> frappe._dict:
	filters = frappe._dict(filters or {})
	if not filters.batch or not frappe.db.exists("Batch", filters.batch):
		throw("Field {0}: choose a batch", Msg("Batch"))
	return filters


def get_columns() -> list[dict]:
	return [
		{"label": _("Village / Warehouse"), "fieldname": "place", "fieldtype": "Data", "width": 200},
		{
			"label": _("Coop Member"),
			"fieldname": "member",
			"fieldtype": "Link",
			"options": "Coop Member",
			"width": 120,
		},
		{"label": _("Received by Member"), "fieldname": "member_name", "fieldtype": "Data", "width": 110},
		{"label": _("Mobile"), "fieldname": "mobile", "fieldtype": "Data", "width": 120},
		{
			"label": _("ID Number (masked)"),
			"fieldname": "id_number_masked",
			"fieldtype": "Data",
			"width": 170,
		},
		{"label": _("Distribution Date"), "fieldname": "posting_date", "fieldtype": "Date", "width": 100},
		{
			"label": _("Member Distribution"),
			"fieldname": "distribution",
			"fieldtype": "Link",
			"options": "Member Distribution",
			"width": 140,
		},
		{"label": _("Quantity"), "fieldname": "qty", "fieldtype": "Float", "width": 90},
		{"label": _("Contacted for Recall"), "fieldname": "contacted", "fieldtype": "Check", "width": 90},
		{"label": _("Quantity Returned"), "fieldname": "returned", "fieldtype": "Float", "width": 90},
	]


def get_data(filters) -> list[dict]:
	rows = affected_rows(filters.batch, allowed_cooperatives())
	contacts = member_contacts(r.member for r in rows)
	data = [
		{
			"place": r.cooperative,
			"member": r.member,
			"member_name": r.member_name,
			"mobile": contacts.get(r.member, (None, None))[0],
			"id_number_masked": contacts.get(r.member, (None, None))[1],
			"posting_date": r.posting_date,
			"distribution": r.distribution,
			"qty": flt(r.qty),
			"contacted": r.recall_contacted,
			"returned": flt(r.recall_returned_qty),
		}
		for r in rows
	]
	for warehouse, qty in sorted(stock_by_warehouse(filters.batch).items()):
		data.append({"place": warehouse, "qty": qty, "is_stock": 1})
	return data


def get_chart(data):
	members = [r for r in data if not r.get("is_stock")]
	if not members:
		return None
	contacted = sum(1 for r in members if r["contacted"])
	return {
		"data": {
			"labels": [_("Contacted for Recall"), _("Not Yet Contacted")],
			"datasets": [{"name": _("Members"), "values": [contacted, len(members) - contacted]}],
		},
		"type": "donut",
	}


def get_report_summary(data, filters) -> list[dict]:
	members = [r for r in data if not r.get("is_stock")]
	recall = frappe.db.get_value(
		"Batch Recall", {"batch": filters.batch, "docstatus": 1}, ["name", "recall_status"], as_dict=True
	)
	people = {r["member"] for r in members}
	reached = {r["member"] for r in members if r["contacted"]}
	return [
		{
			"label": _("Recall Status"),
			"value": _(recall.recall_status) if recall else _("Not Recalled"),
			"datatype": "Data",
		},
		{"label": _("Members Affected"), "value": len(people), "datatype": "Int"},
		{"label": _("Members Contacted"), "value": len(reached), "datatype": "Int"},
		{
			"label": _("Quantity Given to Members"),
			"value": sum(r["qty"] for r in members),
			"datatype": "Float",
		},
		{
			"label": _("Quantity Returned by Members"),
			"value": sum(r["returned"] for r in members),
			"datatype": "Float",
		},
		{
			"label": _("Quantity Still in Warehouses"),
			"value": sum(r["qty"] for r in data if r.get("is_stock")),
			"datatype": "Float",
		},
	]
