from frappe.model.document import Document


class InterestSubsidyClaimLine(Document):
	pass
