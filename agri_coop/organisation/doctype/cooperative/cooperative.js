frappe.ui.form.on("Cooperative", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.cooperative_type !== "Town Federation") return;
		if (frm.doc.approval_state === "Drafted") {
			frm.add_custom_button(__("Record Town Government Approval"), () => {
				frappe.prompt(
					[
						{ fieldname: "approved_on", fieldtype: "Date", label: __("Approved by Town Government On"), reqd: 1, default: frappe.datetime.get_today() },
						{ fieldname: "approval_reference", fieldtype: "Data", label: __("Town Government Approval Reference"), reqd: 1 },
					],
					(values) => frm.call("approve", values).then(() => frm.reload_doc()),
					__("Record Town Government Approval")
				);
			}, __("Approval"));
		}
		if (frm.doc.approval_state === "Approved" && frappe.user.has_role(["County SMC Manager", "System Manager"])) {
			frm.add_custom_button(__("Register with Code"), () => {
				frappe.prompt(
					[
						{ fieldname: "uscc", fieldtype: "Data", label: __("Unified Social Credit Code"), reqd: 1, default: frm.doc.uscc },
						{ fieldname: "registered_on", fieldtype: "Date", label: __("Registered On"), reqd: 1, default: frappe.datetime.get_today() },
					],
					(values) => frm.call("register", values).then(() => frm.reload_doc()),
					__("Register with Code")
				);
			}, __("Approval"));
		}
	},
	cooperative_type(frm) {
		const parent_type = { "Town Federation": "County SMC", "Village Cooperative": "Town Federation" }[frm.doc.cooperative_type];
		frm.set_query("parent_cooperative", () => ({ filters: { cooperative_type: parent_type || "__none__" } }));
	},
	onload(frm) {
		frm.trigger("cooperative_type");
	},
});
