"""One row per submitted Campaign Order and item: the pre-aggregation the leadership reports
sum instead of the member lines (a county's season has hundreds of thousands of lines).
Written and removed only by the order's own submit and cancel (agri_coop.reports.aggregates)."""

import frappe
from frappe.model.document import Document


class CampaignOrderSummary(Document):
	pass


def on_doctype_update():
	frappe.db.add_index("Campaign Order Summary", ["campaign", "cooperative", "item_code"])
