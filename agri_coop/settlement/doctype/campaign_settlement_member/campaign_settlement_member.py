from frappe.model.document import Document


class CampaignSettlementMember(Document):
	pass
