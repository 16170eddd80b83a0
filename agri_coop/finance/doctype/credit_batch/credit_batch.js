// Credit Batch (整村授信): the bank's sheet for one village, granted by the credit officer.
frappe.ui.form.on("Credit Batch", {
	refresh(frm) {
		frm.set_query("cooperative", () => ({ filters: { cooperative_type: "Village Cooperative", disabled: 0 } }));
		if (!frm.is_new() && frm.doc.import_file && ["Draft", "Failed", "Done with Errors"].includes(frm.doc.batch_state)) {
			frm.add_custom_button(__("Grant Credit Lines"), () => frm.call("grant").then(() => frm.reload_doc())).addClass(
				"btn-primary"
			);
		}
	},
});
