frappe.listview_settings["Purchasing Department"] = {
	add_fields: ["state"],
	get_indicator(doc) {
		const color = { "Set Up": "orange", Established: "blue", Certified: "green" }[doc.state] || "gray";
		return [__(doc.state), color, "state,=," + doc.state];
	},
};
