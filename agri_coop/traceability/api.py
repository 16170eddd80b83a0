"""Whitelisted helpers of the traceability forms."""

import frappe

from agri_coop.traceability import distribution


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def distribution_batches(doctype, txt, searchfield, start, page_len, filters):
	"""Link search for a distribution row's batch: the batches of the item that the village
	received on the Delivery Note and still has, first-expiring first (recalled ones left out)."""
	delivery_note = filters.get("delivery_note")
	item_code = filters.get("item_code")
	if not delivery_note or not frappe.has_permission("Delivery Note", "read", delivery_note):
		return []
	rows = [
		(batch, qty)
		for batch, qty in distribution.available_batches(delivery_note).get(item_code, [])
		if batch and (txt or "").lower() in batch.lower()
	]
	return rows[int(start) : int(start) + int(page_len)]
