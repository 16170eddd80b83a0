// 社员上线率: registered members against agricultural producers, by town and village (target 80%).

frappe.query_reports["Member Registration Rate"] = {
	filters: [
		{
			fieldname: "town",
			label: __("Town Federation"),
			fieldtype: "Link",
			options: "Cooperative",
			get_query: () => ({ filters: { cooperative_type: "Town Federation", disabled: 0 } }),
		},
		{
			fieldname: "batch",
			label: __("Rollout Batch"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "First", label: __("First") },
				{ value: "Second", label: __("Second") },
			],
		},
		{
			fieldname: "as_on_date",
			label: __("As on Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
	],
	tree: true,
	parent_field: "parent_cooperative",
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (!data) return value;
		if (column.fieldname === "registration_rate" && data.producer_count) {
			const colour = data.target_met ? "var(--green-600)" : "var(--red-600)";
			value = `<span style="color: ${colour}">${value}</span>`;
		}
		if (data.bold) {
			value = `<b>${value}</b>`;
		}
		return value;
	},
};
