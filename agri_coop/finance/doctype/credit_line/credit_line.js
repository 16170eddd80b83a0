// Credit Line (授信): the steps of the bank's credit officer as buttons; the server checks each.
frappe.ui.form.on("Credit Line", {
	refresh(frm) {
		if (frm.is_new()) return;
		const step = (label, method, args) =>
			frm.add_custom_button(label, () => frm.call(method, args || {}).then(() => frm.reload_doc()), __("Credit State"));
		const state = frm.doc.credit_state;
		if (state === "Applied") {
			frm.add_custom_button(
				__("Record Household Survey"),
				() =>
					frappe.prompt(
						{ fieldname: "notes", fieldtype: "Small Text", label: __("Household Survey Notes"), reqd: 1 },
						(values) => frm.call("record_survey", values).then(() => frm.reload_doc())
					),
				__("Credit State")
			);
		}
		if (state === "Surveyed") step(__("Approve"), "approve");
		if (state === "Approved" || state === "Frozen") step(__("Activate"), "activate");
		if (state === "Active") step(__("Freeze"), "freeze");
		if (state !== "Closed") step(__("Close"), "close");
	},
	setup(frm) {
		frm.set_query("member", () => ({ filters: { state: "Active" } }));
	},
});
