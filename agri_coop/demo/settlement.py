"""Demo: "2024 春耕备肥 第一期" settled after its accounts are closed (seed 000 §三(三))."""

import frappe

from agri_coop.demo.campaigns import FULL, clock

SETTLED_ON = "2024-03-31"


def load_demo_settlement():
	if not frappe.db.exists(
		"Purchase Campaign", {"name": FULL, "campaign_state": ("in", ("Delivered", "Settled"))}
	):
		return
	from datetime import datetime

	from agri_coop.settlement.posting import POSTED, post_settlement, start_posting

	existing = frappe.db.get_value(
		"Campaign Settlement",
		{"campaign": FULL, "docstatus": ("<", 2)},
		["name", "docstatus", "posting_status"],
	)
	if existing and (existing[1] == 0 or existing[2] == POSTED):
		return
	with clock(datetime(2024, 3, 31, 2)):
		if existing:  # submitted by an interrupted run, not yet posted: post it now
			start_posting(frappe.get_doc("Campaign Settlement", existing[0]))
			post_settlement(existing[0])
			return
		settlement = frappe.get_doc(
			{
				"doctype": "Campaign Settlement",
				"campaign": FULL,
				"company": frappe.db.get_value("Purchase Campaign", FULL, "company"),
				"posting_date": SETTLED_ON,
			}
		)
		settlement.insert(ignore_permissions=True)
		settlement.submit()
		# the command is no worker: it runs the posting job itself (the queued one then finds
		# the settlement posted and does nothing)
		post_settlement(settlement.name)
