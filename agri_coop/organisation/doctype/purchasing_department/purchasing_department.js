frappe.ui.form.on("Purchasing Department", {
	setup(frm) {
		frm.set_query("cooperative", () => ({
			filters: { cooperative_type: ["in", ["Town Federation", "Village Cooperative"]] },
		}));
	},
	refresh(frm) {
		if (frm.is_new()) return;
		frm.page.set_indicator(__(frm.doc.state, null, frm.doctype), { "Set Up": "orange", Established: "blue", Certified: "green" }[frm.doc.state]);
		if (frm.doc.state === "Set Up" && frm.perm[0] && frm.perm[0].write) {
			frm.add_custom_button(__("Record Establishment"), () => {
				frappe.prompt(
					[{ fieldname: "established_on", fieldtype: "Date", label: __("Established On"), reqd: 1, default: frappe.datetime.get_today() }],
					(values) => frm.call("establish", values).then(() => frm.reload_doc()),
					__("Record Establishment")
				);
			}, __("Establishment and Certification"));
		}
		if (frm.doc.state === "Established" && frappe.user.has_role(["County SMC Manager", "System Manager"])) {
			frm.add_custom_button(__("Certify as Service Station"), () => {
				frappe.prompt(
					[{ fieldname: "certified_on", fieldtype: "Date", label: __("Certified On"), reqd: 1, default: frappe.datetime.get_today() }],
					(values) => frm.call("certify", values).then(() => frm.reload_doc()),
					__("Certify as Service Station")
				);
			}, __("Establishment and Certification"));
		}
	},
});
