"""Paid and still due on a settlement follow the payments made against its Journal Entry:
a Payment Entry (or a Journal Entry) allocated against it, submitted or cancelled, refreshes
the settlement's co-op rows. Wired in hooks.py (doc_events on_submit / on_cancel)."""

import frappe


def referenced_entries(doc) -> set[str]:
	if doc.doctype == "Payment Entry":
		return {
			r.reference_name for r in doc.get("references") or [] if r.reference_doctype == "Journal Entry"
		}
	return {
		r.reference_name
		for r in doc.get("accounts") or []
		if r.get("reference_type") == "Journal Entry" and r.get("reference_name")
	}


def update_settlement_payments(doc, method=None):
	from agri_coop.settlement.accounts import refresh_payment_status

	entries = referenced_entries(doc)
	if not entries:
		return
	settlements = frappe.get_all(
		"Journal Entry",
		{"name": ("in", list(entries)), "agri_coop_settlement": ("is", "set")},
		pluck="agri_coop_settlement",
	)
	for settlement in sorted(set(settlements)):
		if frappe.db.get_value("Campaign Settlement", settlement, "docstatus") == 1:
			refresh_payment_status(settlement)
