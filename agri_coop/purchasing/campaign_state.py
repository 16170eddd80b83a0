"""A campaign's state after Ordered follows its ERPNext documents: Received once every
Purchase Order is fully received, Delivered once every Sales Order is fully delivered too."""

import frappe
from frappe.utils import flt

from agri_coop.purchasing.campaign_documents import app_orders

FOLLOWING_DOCUMENTS = ("Ordered", "Received", "Delivered")


def state_from_documents(campaign: str) -> str:
	# only the orders consolidation made count: a hand-made one tagged with the campaign does not
	received = [flt(o.per_received) for o in app_orders(campaign, "Purchase Order", ("per_received",))]
	delivered = [flt(o.per_delivered) for o in app_orders(campaign, "Sales Order", ("per_delivered",))]
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
