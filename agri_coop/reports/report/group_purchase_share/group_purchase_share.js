// 统购占比: campaign purchases against the county's total input purchases (target 10%).

frappe.query_reports["Group-purchase Share"] = {
	filters: [
		{ fieldname: "year", label: __("Year"), fieldtype: "Int" },
		{
			fieldname: "town",
			label: __("Town Federation"),
			fieldtype: "Link",
			options: "Cooperative",
			get_query: () => ({ filters: { cooperative_type: "Town Federation", disabled: 0 } }),
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && column.fieldname === "share" && data.total_value) {
			const colour = data.target_met ? "var(--green-600)" : "var(--red-600)";
			value = `<span style="color: ${colour}">${value}</span>`;
		}
		return data && data.bold ? `<b>${value}</b>` : value;
	},
};
