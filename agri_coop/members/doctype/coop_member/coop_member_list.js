frappe.listview_settings["Coop Member"] = {
	add_fields: ["state"],
	get_indicator(doc) {
		const colour = { "Pre-registered": "orange", Active: "green", Suspended: "grey" }[doc.state];
		return [__(doc.state), colour, `state,=,${doc.state}`];
	},
};
