"""Batch Recall: the county SMC recalls a batch (with its reason). On submit the Batch is
flagged recalled and disabled, so that no delivery or distribution lets it out again
(agri_coop.traceability.batches); cancelling the recall releases it. The recall list
(report Batch Recall List) names the members who received it and the stock still held."""

import frappe
from frappe.model.document import Document

from agri_coop.traceability import recall
from agri_coop.utils.messages import throw


class RecallError(frappe.ValidationError):
	pass


class BatchRecall(Document):
	def validate(self):
		self.item_code, self.item_name = frappe.db.get_value("Batch", self.batch, ["item", "item_name"])
		if not (self.reason or "").strip():
			throw("Batch Recall: the reason is required", exc=RecallError)
		other = frappe.db.get_value(
			"Batch Recall", {"batch": self.batch, "docstatus": 1, "name": ("!=", self.name)}, "name"
		)
		if other:
			throw("Batch {0} is already recalled by {1}", self.batch, other, exc=RecallError)
		if self.docstatus == 0:
			self.recall_status = "Draft"

	def on_submit(self):
		frappe.db.set_value(
			"Batch",
			self.batch,
			{"agri_coop_recalled": 1, "agri_coop_recall": self.name, "disabled": 1},
		)
		self.refresh_progress()

	def on_cancel(self):
		frappe.db.set_value(
			"Batch", self.batch, {"agri_coop_recalled": 0, "agri_coop_recall": None, "disabled": 0}
		)
		self.db_set("recall_status", "Draft")

	def refresh_progress(self):
		figures = recall.progress(self.batch)
		self.db_set({**figures, "recall_status": recall.recall_status(figures)})

	@frappe.whitelist()
	def update_progress(self):
		"""The recall's figures as they are now; stored only by a user who may write the recall
		(a reader, the leadership office among them, changes nothing)."""
		self.check_permission("read")
		if self.docstatus == 1:
			if frappe.has_permission(self.doctype, "write", doc=self):
				self.refresh_progress()
			else:
				figures = recall.progress(self.batch)
				self.update({**figures, "recall_status": recall.recall_status(figures)})
		return self.as_dict()
