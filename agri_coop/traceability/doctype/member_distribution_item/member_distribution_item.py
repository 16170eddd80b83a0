from frappe.model.document import Document


class MemberDistributionItem(Document):
	pass
