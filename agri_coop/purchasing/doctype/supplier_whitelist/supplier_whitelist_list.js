frappe.listview_settings["Supplier Whitelist"] = {
	add_fields: ["state", "valid_from", "valid_to"],
	get_indicator(doc) {
		if (doc.state === "Active") {
			const today = frappe.datetime.get_today();
			if (doc.valid_to && doc.valid_to < today) {
				return [__("Expired"), "gray", "valid_to,<," + today];
			}
			if (doc.valid_from && doc.valid_from > today) {
				return [__("Not Yet Valid"), "blue", "valid_from,>," + today];
			}
			return [__("Active"), "green", "state,=,Active"];
		}
		const color = { Suspended: "orange", Removed: "red" }[doc.state] || "gray";
		return [__(doc.state), color, "state,=," + doc.state];
	},
};
