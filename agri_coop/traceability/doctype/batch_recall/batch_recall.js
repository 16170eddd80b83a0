// Batch Recall: the progress figures are recomputed by the server; the recall list is a report.
frappe.ui.form.on("Batch Recall", {
	refresh(frm) {
		if (frm.doc.docstatus === 1) {
			frm.add_custom_button(__("Refresh Progress"), () =>
				frm.call("update_progress").then(() => frm.reload_doc())
			);
			frm.add_custom_button(__("Recall List"), () =>
				frappe.set_route("query-report", "Batch Recall List", { batch: frm.doc.batch })
			);
		}
		if (frm.doc.batch) {
			frm.add_custom_button(__("Trace Batch"), () =>
				frappe.set_route("query-report", "Batch Trace", { batch: frm.doc.batch })
			);
		}
	},
});
