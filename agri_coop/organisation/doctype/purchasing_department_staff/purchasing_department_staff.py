from frappe.model.document import Document


class PurchasingDepartmentStaff(Document):
	pass
