// 组织体系建设进度: federations and purchasing departments by batch and state, against the plan.

frappe.query_reports["Organisation Build-out"] = {
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
		if (data.is_late && ["late_steps", "days_late"].includes(column.fieldname)) {
			value = `<span style="color: var(--red-600)">${value}</span>`;
		}
		return data.bold ? `<b>${value}</b>` : value;
	},
};
