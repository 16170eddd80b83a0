frappe.ui.form.on("Member Import", {
	refresh(frm) {
		frm.add_custom_button(__("Download Template"), () => {
			window.open("/api/method/agri_coop.members.doctype.member_import.member_import.download_template");
		});
		if (!frm.is_new() && frm.doc.import_file && ["Not Started", "Failed"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Start Import"), () => {
				frm.call("start_import").then(() => frm.reload_doc());
			}).addClass("btn-primary");
		}
		if (frm.doc.error_file) {
			frappe.call({
				method: "agri_coop.members.doctype.member_import.member_import.get_error_preview",
				args: { import_name: frm.doc.name },
			}).then((r) => frm.get_field("error_preview").$wrapper.html(r.message || ""));
		}
		if (frm.doc.status === "Queued" || frm.doc.status === "Running") {
			frm.dashboard.set_headline(__("Importing in the background; this page refreshes when it is done."));
		}
	},
	onload(frm) {
		frappe.realtime.on("progress", (data) => {
			if (data.percent >= 100) frm.reload_doc();
		});
	},
});
