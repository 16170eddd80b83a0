frappe.ui.form.on("Service Station", {
	refresh(frm) {
		if (frm.is_new() || !frm.doc.warehouse) return;
		frm.add_custom_button(__("Stock Balance"), () => {
			frappe.set_route("query-report", "Stock Balance", { warehouse: frm.doc.warehouse });
		}, __("View"));
	},
});
