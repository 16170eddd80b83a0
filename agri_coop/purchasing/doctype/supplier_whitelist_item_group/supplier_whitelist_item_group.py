from frappe.model.document import Document


class SupplierWhitelistItemGroup(Document):
	pass
