from frappe.model.document import Document


class PurchaseCampaignItem(Document):
	pass
