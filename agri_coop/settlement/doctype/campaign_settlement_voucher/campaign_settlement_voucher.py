from frappe.model.document import Document


class CampaignSettlementVoucher(Document):
	pass
