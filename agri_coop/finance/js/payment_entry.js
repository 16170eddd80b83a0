// Payment Entry: a bank's entrusted payment is reversed with its loan disbursements (agri_coop.finance.closed_loop).
frappe.ui.form.on("Payment Entry", {
	refresh(frm) {
		if (frm.doc.docstatus !== 1 || !frm.doc.agri_coop_partner_bank) return;
		if (!frappe.user.has_role(["Coop Accountant", "County SMC Manager", "System Manager"])) return;
		frm.add_custom_button(__("Reverse Disbursements"), () =>
			frappe.confirm(__("Cancel this bank payment and its loan disbursements?"), () =>
				frappe
					.call("agri_coop.finance.closed_loop.reverse_disbursements", { payment_entry: frm.doc.name })
					.then(() => frm.reload_doc())
			)
		);
	},
});
