// 需求汇总: the season's demand by item, town federation and village co-op.

frappe.query_reports["Demand Summary"] = {
	filters: [
		{
			fieldname: "season",
			label: __("Season"),
			fieldtype: "Autocomplete",
			options: [],
		},
		{
			fieldname: "town",
			label: __("Town Federation"),
			fieldtype: "Link",
			options: "Cooperative",
			get_query: () => ({ filters: { cooperative_type: "Town Federation", disabled: 0 } }),
		},
		{
			fieldname: "item",
			label: __("Item"),
			fieldtype: "Link",
			options: "Item",
		},
	],
	tree: true,
	initial_depth: 1,
	onload(report) {
		frappe
			.call("agri_coop.purchasing.report.demand_summary.demand_summary.get_seasons")
			.then((r) => {
				const seasons = r.message || [];
				const filter = report.get_filter("season");
				filter.df.options = seasons;
				filter.set_data && filter.set_data(seasons);
				if (!filter.get_value() && seasons.length) {
					filter.set_value(seasons[0]);
				}
			});
	},
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (!data) return value;
		if (column.fieldname === "review_state" && data.is_overdue) {
			value = `<span style="color: var(--red-600)">${value} · ${__("Overdue")}</span>`;
		}
		if (data.bold) {
			value = `<b>${value}</b>`;
		}
		return value;
	},
};
