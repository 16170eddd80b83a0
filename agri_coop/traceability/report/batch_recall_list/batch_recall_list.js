frappe.query_reports["Batch Recall List"] = {
	filters: [
		{
			fieldname: "batch",
			label: __("Batch"),
			fieldtype: "Link",
			options: "Batch",
			reqd: 1,
			get_query: () => ({ filters: { agri_coop_recalled: 1 } }),
		},
	],
};
