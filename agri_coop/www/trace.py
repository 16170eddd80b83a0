"""The public page a batch's QR code opens: /trace/<token> (website_route_rules in hooks.py).

Guests read it. It shows the product, its registration number and producer, the batch with
its dates and inspection result, and whether it is recalled; never a buyer, member, village
or document (agri_coop/tests/security/test_traceability_http.py fetches it as Guest)."""

import frappe
from frappe import _

no_cache = 1
PUBLIC_BATCH_FIELDS = (
	"name",
	"item",
	"item_name",
	"manufacturing_date",
	"expiry_date",
	"agri_coop_producer_batch_no",
	"agri_coop_inspection_result",
	"agri_coop_inspection_report",
	"agri_coop_recalled",
	"agri_coop_recall",
)
PUBLIC_ITEM_FIELDS = (
	"agri_coop_registration_no",
	"agri_coop_producer",
	"agri_coop_producer_licence",
	"stock_uom",
)


def get_context(context):
	token = (frappe.form_dict.get("token") or "").strip()
	batch = None
	if token and len(token) >= 20:
		batch = frappe.db.get_value(
			"Batch", {"agri_coop_trace_token": token}, PUBLIC_BATCH_FIELDS, as_dict=True
		)
	if not batch:
		raise frappe.DoesNotExistError(_("No such trace code"))
	item = frappe.db.get_value("Item", batch.item, PUBLIC_ITEM_FIELDS, as_dict=True) or frappe._dict()
	reason = (
		frappe.db.get_value("Batch Recall", batch.agri_coop_recall, "reason")
		if batch.agri_coop_recalled
		else None
	)
	context.no_cache = 1
	context.title = _("Farm Input Trace")
	context.trace = frappe._dict(
		product=batch.item_name,
		registration_no=item.agri_coop_registration_no,
		producer=item.agri_coop_producer,
		producer_licence=item.agri_coop_producer_licence,
		batch=batch.name,
		producer_batch_no=batch.agri_coop_producer_batch_no,
		manufacturing_date=batch.manufacturing_date,
		expiry_date=batch.expiry_date,
		inspection_result=_(batch.agri_coop_inspection_result or "Pending"),
		inspection_report=batch.agri_coop_inspection_report,
		recalled=batch.agri_coop_recalled,
		recall_reason=reason,
	)
	return context
