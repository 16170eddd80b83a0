from frappe.model.document import Document


class PersonalDataAccessLog(Document):
	"""Who saw whose personal data, when and why (PIPL): written by privacy_api, never edited."""
