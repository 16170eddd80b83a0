from frappe.model.document import Document


class CreditBatchError(Document):
	pass
