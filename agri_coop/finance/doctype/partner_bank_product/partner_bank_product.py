from frappe.model.document import Document


class PartnerBankProduct(Document):
	pass
