// Subsidy Program: book money arriving on the fund account; see the Subsidies report.

frappe.ui.form.on("Subsidy Program", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Subsidies"), () =>
			frappe.set_route("query-report", "Subsidies", { program: frm.doc.name, group_by: "Beneficiary" })
		);
		if (!frappe.user.has_role(["County SMC Manager", "Coop Accountant", "System Manager"])) return;
		frm.add_custom_button(__("Funds Arrived"), () => {
			const dialog = new frappe.ui.Dialog({
				title: __("Funds Arrived"),
				fields: [
					{ fieldname: "amount", label: __("Amount"), fieldtype: "Currency", reqd: 1 },
					{ fieldname: "posting_date", label: __("Posting Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
					{ fieldname: "reference", label: __("Allocation Document"), fieldtype: "Data" },
				],
				primary_action_label: __("Book Arrival"),
				primary_action(values) {
					dialog.hide();
					frappe
						.call({
							method: "agri_coop.subsidies.payments.receive_funds",
							args: { program: frm.doc.name, ...values },
							freeze: true,
						})
						.then((r) => frappe.show_alert({ message: __("Booked by {0}", [r.message]), indicator: "green" }));
				},
			});
			dialog.show();
		});
	},
});
