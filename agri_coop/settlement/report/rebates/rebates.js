// 返利汇总: what the settlements return, by campaign, town, co-op and share.

frappe.query_reports["Rebates"] = {
	filters: [
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
			get_query: () => ({ filters: { cooperative_type: "Town Federation" } }),
		},
		{
			fieldname: "cooperative",
			label: __("Cooperative"),
			fieldtype: "Link",
			options: "Cooperative",
		},
		{
			fieldname: "share",
			label: __("Rebate Share"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "accumulation", label: __("Co-op Accumulation") },
				{ value: "member_rebate", label: __("Member Rebate") },
				{ value: "staff_reward", label: __("Staff Reward") },
			],
		},
	],
	tree: true,
	initial_depth: 1,
	onload(report) {
		report.page.add_inner_button(__("Print Co-op Statement"), () => {
			const dialog = new frappe.ui.Dialog({
				title: __("Print Co-op Statement"),
				fields: [
					{
						fieldname: "settlement",
						label: __("Campaign Settlement"),
						fieldtype: "Link",
						options: "Campaign Settlement",
						reqd: 1,
						get_query: () => ({ filters: { docstatus: 1 } }),
					},
					{ fieldname: "cooperative", label: __("Cooperative"), fieldtype: "Link", options: "Cooperative", reqd: 1 },
				],
				primary_action_label: __("Print"),
				primary_action(values) {
					dialog.hide();
					agri_coop_open_statement(values.settlement, values.cooperative);
				},
			});
			dialog.show();
		});
	},
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && data.bold) {
			value = `<b>${value}</b>`;
		}
		return value;
	},
};

function agri_coop_open_statement(settlement, cooperative) {
	const args = new URLSearchParams({ settlement, cooperative });
	window.open(
		frappe.urllib.get_full_url(
			`/api/method/agri_coop.settlement.doctype.campaign_settlement.campaign_settlement.print_statement?${args}`
		)
	);
}
