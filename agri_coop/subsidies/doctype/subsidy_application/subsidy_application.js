// Subsidy Application: pay the next tranche the rule allows (Journal Entry on the fund account).

frappe.ui.form.on("Subsidy Application", {
	refresh(frm) {
		if (frm.doc.docstatus !== 1) return;
		const can_pay = frappe.user.has_role(["County SMC Manager", "Coop Accountant", "System Manager"]);
		(frm.doc.tranches || [])
			.filter((row) => !row.journal_entry)
			.forEach((row) => {
				if (!can_pay) return;
				frm.add_custom_button(
					__("Tranche {0}: {1}", [row.idx, __(row.tranche_type)]),
					() => pay_tranche(frm, row),
					__("Pay Subsidy")
				);
			});
		frm.add_custom_button(__("Journal Entries"), () =>
			frappe.set_route("List", "Journal Entry", { agri_coop_subsidy_application: frm.doc.name })
		);
	},
});

function pay_tranche(frm, row) {
	const dialog = new frappe.ui.Dialog({
		title: __("Pay Tranche {0}", [row.idx]),
		fields: [
			{ fieldname: "amount", label: __("Amount"), fieldtype: "Currency", default: row.amount, read_only: 1 },
			{ fieldname: "posting_date", label: __("Posting Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		],
		primary_action_label: __("Pay Subsidy"),
		primary_action(values) {
			dialog.hide();
			frappe
				.call({
					method: "agri_coop.subsidies.payments.pay_tranche",
					args: { application: frm.doc.name, tranche: row.name, posting_date: values.posting_date },
					freeze: true,
				})
				.then((r) => {
					frappe.show_alert({ message: __("Paid by {0}", [r.message]), indicator: "green" });
					frm.reload_doc();
				});
		},
	});
	dialog.show();
}
