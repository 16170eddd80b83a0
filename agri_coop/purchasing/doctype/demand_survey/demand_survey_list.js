frappe.listview_settings["Demand Survey"] = {
	add_fields: ["review_state", "due_date", "docstatus"],
	get_indicator(doc) {
		if (doc.docstatus !== 1) return;
		const today = frappe.datetime.get_today();
		if (doc.review_state !== "Forwarded" && doc.due_date && doc.due_date < today) {
			return [__("Overdue"), "red", "docstatus,=,1|review_state,!=,Forwarded|due_date,<," + today];
		}
		const color = { Submitted: "orange", Reviewed: "blue", Forwarded: "green" }[doc.review_state] || "gray";
		return [__(doc.review_state), color, "review_state,=," + doc.review_state];
	},
};
