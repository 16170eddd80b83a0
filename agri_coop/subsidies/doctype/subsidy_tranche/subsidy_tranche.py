from frappe.model.document import Document


class SubsidyTranche(Document):
	pass
