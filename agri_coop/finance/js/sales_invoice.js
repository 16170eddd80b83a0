// Sales Invoice: the bank's entrusted payment of its members' credit parts (agri_coop.finance.closed_loop).
frappe.ui.form.on("Sales Invoice", {
	refresh(frm) {
		if (frm.doc.docstatus !== 1 || !(frm.doc.outstanding_amount > 0) || !frm.doc.agri_coop_campaign) return;
		if (!frappe.user.has_role(["Coop Accountant", "County SMC Manager", "System Manager"])) return;
		frm.add_custom_button(
			__("Disburse Credit"),
			() =>
				frappe.prompt(
					[
						{ fieldname: "partner_bank", fieldtype: "Link", options: "Partner Bank", label: __("Partner Bank"), reqd: 1 },
						{ fieldname: "posting_date", fieldtype: "Date", label: __("Posting Date"), reqd: 1, default: frappe.datetime.get_today() },
						{ fieldname: "bank_reference", fieldtype: "Data", label: __("Bank Reference"), reqd: 1 },
					],
					(values) =>
						frappe
							.call("agri_coop.finance.closed_loop.disburse_invoice", { sales_invoice: frm.doc.name, ...values })
							.then((r) => {
								frappe.show_alert({ message: __("Payment Entry {0} booked", [r.message]), indicator: "green" });
								frm.reload_doc();
							})
				),
			__("Create")
		);
	},
});
