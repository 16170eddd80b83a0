// 赊购授信情况: limits, reserved, used, outstanding, overdue, interest and subsidy.

frappe.query_reports["Credit Purchase"] = {
	filters: [
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Bank", "Town", "Village", "Member"],
			default: "Village",
			reqd: 1,
		},
		{ fieldname: "partner_bank", label: __("Partner Bank"), fieldtype: "Link", options: "Partner Bank" },
		{
			fieldname: "town",
			label: __("Town Federation"),
			fieldtype: "Link",
			options: "Cooperative",
			get_query: () => ({ filters: { cooperative_type: "Town Federation", disabled: 0 } }),
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.month_start(), -2),
			reqd: 1,
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
	],
};
