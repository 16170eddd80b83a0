// 统购活动汇总: volume and value by item, item group, supplier, town, village; savings for members.

frappe.query_reports["Campaign Summary"] = {
	filters: [
		{ fieldname: "season", label: __("Season"), fieldtype: "Data" },
		{
			fieldname: "campaign",
			label: __("Purchase Campaign"),
			fieldtype: "Link",
			options: "Purchase Campaign",
		},
		{
			fieldname: "town",
			label: __("Town Federation"),
			fieldtype: "Link",
			options: "Cooperative",
			get_query: () => ({ filters: { cooperative_type: "Town Federation", disabled: 0 } }),
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Item", label: __("Item") },
				{ value: "Item Group", label: __("Item Group") },
				{ value: "Supplier", label: __("Supplier") },
				{ value: "Town", label: __("Town") },
				{ value: "Village", label: __("Village") },
			],
			default: "Item",
			reqd: 1,
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && column.fieldname === "savings" && data.savings > 0) {
			value = `<span style="color: var(--green-600)">${value}</span>`;
		}
		return data && data.bold ? `<b>${value}</b>` : value;
	},
};
