"""Demo: "2024 春耕备肥 第一期" settled after its accounts are closed (seed 000 §三(三))."""

import frappe

from agri_coop.demo.campaigns import FULL, clock

SETTLED_ON = "2024-03-31"


def load_demo_settlement():
	if not frappe.db.exists("Purchase Campaign", {"name": FULL, "campaign_state": "Delivered"}):
		return
	if frappe.db.exists("Campaign Settlement", {"campaign": FULL, "docstatus": ("<", 2)}):
		return
	from datetime import datetime

	with clock(datetime(2024, 3, 31, 2)):
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
