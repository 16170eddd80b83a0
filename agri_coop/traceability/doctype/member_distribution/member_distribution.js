// Member Distribution (发放/签收): fill from the campaign's member lines, batches first-expiring
// first; on a phone, open a row and let the member sign, then Update.
frappe.ui.form.on("Member Distribution", {
	setup(frm) {
		frm.set_query("batch_no", "items", (doc, cdt, cdn) => {
			const row = locals[cdt][cdn];
			return {
				query: "agri_coop.traceability.api.distribution_batches",
				filters: { delivery_note: doc.delivery_note, item_code: row.item_code },
			};
		});
	},
	get_member_lines(frm) {
		if (!frm.doc.delivery_note) return;
		frm.call("get_member_lines").then(() => frm.refresh_fields());
	},
});
