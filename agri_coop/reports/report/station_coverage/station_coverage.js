// 服务站覆盖: towns and villages with a certified station by type, against the targets.

frappe.query_reports["Station Coverage"] = {
	filters: [
		{
			fieldname: "town",
			label: __("Town Federation"),
			fieldtype: "Link",
			options: "Cooperative",
			get_query: () => ({ filters: { cooperative_type: "Town Federation", disabled: 0 } }),
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
	initial_depth: 1,
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		return data && data.bold ? `<b>${value}</b>` : value;
	},
};
