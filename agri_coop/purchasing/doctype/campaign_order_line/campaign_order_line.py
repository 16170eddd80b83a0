from frappe.model.document import Document


class CampaignOrderLine(Document):
	pass
