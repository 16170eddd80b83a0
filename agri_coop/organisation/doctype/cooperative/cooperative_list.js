frappe.listview_settings["Cooperative"] = {
	add_fields: ["approval_state", "cooperative_type", "disabled"],
	get_indicator(doc) {
		if (doc.disabled) return [__("Disabled"), "grey", "disabled,=,1"];
		if (doc.cooperative_type !== "Town Federation") return [__(doc.cooperative_type), "blue", `cooperative_type,=,${doc.cooperative_type}`];
		const colour = { Drafted: "orange", Approved: "yellow", Registered: "green" }[doc.approval_state];
		return [__(doc.approval_state), colour, `approval_state,=,${doc.approval_state}`];
	},
};
