"""A campaign's state after Ordered follows its ERPNext documents: Received once every
Purchase Order is fully received, Delivered once every Sales Order is fully delivered too."""

import frappe
from frappe.query_builder import DocType
from frappe.utils import flt

FOLLOWING_DOCUMENTS = ("Ordered", "Received", "Delivered")


def state_from_documents(campaign: str) -> str:
	PO, SO = DocType("Purchase Order"), DocType("Sales Order")
	received = [flt(v) for (v,) in frappe.qb.from_(PO).select(PO.per_received).where(
		(PO.agri_coop_campaign == campaign) & (PO.docstatus == 1)).run()]  # fmt: skip
	delivered = [flt(v) for (v,) in frappe.qb.from_(SO).select(SO.per_delivered).where(
		(SO.agri_coop_campaign == campaign) & (SO.docstatus == 1)).run()]  # fmt: skip
	all_received = bool(received) and min(received) >= 100
	all_delivered = bool(delivered) and min(delivered) >= 100
	if all_received and all_delivered:
		return "Delivered"
	return "Received" if all_received else "Ordered"


def update_campaign_state(campaign: str | None):
	if not campaign:
		return
	state = frappe.db.get_value("Purchase Campaign", campaign, "campaign_state")
	if state not in FOLLOWING_DOCUMENTS:
		return
	new_state = state_from_documents(campaign)
	if new_state != state:
		frappe.get_doc("Purchase Campaign", campaign)._set_state(new_state)
