// 奖补资金汇总: applications, eligible, noticed, paid, retained, remaining budget.

frappe.query_reports["Subsidies"] = {
	filters: [
		{ fieldname: "program", label: __("Subsidy Program"), fieldtype: "Link", options: "Subsidy Program" },
		{
			fieldname: "rule_type",
			label: __("Rule Type"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Acceptance Grant", label: __("Acceptance Grant") },
				{ value: "Annual Award", label: __("Annual Award") },
				{ value: "Dividend Return", label: __("Dividend Return") },
				{ value: "Project Fund", label: __("Project Fund") },
			],
		},
		{
			fieldname: "town",
			label: __("Town Federation"),
			fieldtype: "Link",
			options: "Cooperative",
			get_query: () => ({ filters: { cooperative_type: "Town Federation" } }),
		},
		{ fieldname: "year", label: __("Award Year"), fieldtype: "Int" },
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "", label: __("Application") },
				{ value: "Programme", label: __("Subsidy Program") },
				{ value: "Beneficiary", label: __("Beneficiary") },
				{ value: "Town", label: __("Town Federation") },
			],
		},
	],
};
