frappe.query_reports["Batch Trace"] = {
	filters: [
		{ fieldname: "batch", label: __("Batch"), fieldtype: "Link", options: "Batch" },
		{ fieldname: "member", label: __("Coop Member"), fieldtype: "Link", options: "Coop Member" },
	],
};
