from frappe.model.document import Document


class SubsidyNoticeObjection(Document):
	pass
