frappe.ui.form.on("Supplier Whitelist", {
	refresh(frm) {
		if (frm.is_new()) return;
		const color = { Active: "green", Suspended: "orange", Removed: "red" }[frm.doc.state] || "gray";
		frm.page.set_indicator(__(frm.doc.state, null, frm.doctype), color);
		if (frm.doc.state === "Removed") {
			frm.set_df_property("state", "read_only", 1);
			frm.dashboard.set_headline(__("This entry has been removed; removal is final."));
		}
	},
});
