from frappe.model.document import Document


class CampaignSettlementCooperative(Document):
	pass
