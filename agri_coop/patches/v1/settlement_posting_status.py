"""Settlements submitted before posting moved to a background job were posted by the
submit itself (their entries, or none when nothing was returned): they are Posted."""

import frappe
from frappe.query_builder import DocType


def execute():
	Settlement = DocType("Campaign Settlement")
	frappe.qb.update(Settlement).set(Settlement.posting_status, "Posted").where(
		(Settlement.docstatus == 1) & (Settlement.posting_status.isnull() | (Settlement.posting_status == ""))
	).run()
