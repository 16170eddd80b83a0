from frappe.model.document import Document


class DemandSurveyItem(Document):
	pass
