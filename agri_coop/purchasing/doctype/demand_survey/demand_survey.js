// 需求调查表: the village submits, the town federation reviews and forwards to the county SMC.

const REVIEW_COLORS = { Submitted: "orange", Reviewed: "blue", Forwarded: "green" };

frappe.ui.form.on("Demand Survey", {
	setup(frm) {
		frm.set_query("cooperative", () => ({ filters: { cooperative_type: "Village Cooperative", disabled: 0 } }));
		frm.set_query("member", "items", () => ({ filters: { cooperative: frm.doc.cooperative || "" } }));
		frm.set_query("item_code", "items", () => ({ filters: { disabled: 0 } }));
	},
	refresh(frm) {
		if (frm.doc.docstatus !== 1) return;
		const overdue = frm.doc.review_state !== "Forwarded" && frm.doc.due_date && frm.doc.due_date < frappe.datetime.get_today();
		if (overdue) {
			frm.page.set_indicator(__("Overdue"), "red");
			frm.dashboard.set_headline(
				__("The town federation should have forwarded this survey by {0}.", [frappe.datetime.str_to_user(frm.doc.due_date)]),
				"red"
			);
		} else if (frm.doc.review_state) {
			frm.page.set_indicator(__(frm.doc.review_state), REVIEW_COLORS[frm.doc.review_state]);
		}
		const may_review = frappe.user.has_role(["Federation User", "County SMC Manager", "System Manager"]) && frm.perm[0] && frm.perm[0].write;
		if (!may_review) return;
		const step = (method, title) => () =>
			frappe.prompt(
				[{ fieldname: "remarks", fieldtype: "Small Text", label: __("Review Remarks") }],
				(values) => frm.call(method, values).then(() => frm.reload_doc()),
				title
			);
		if (frm.doc.review_state === "Submitted") {
			frm.add_custom_button(__("Mark as Reviewed"), step("review", __("Mark as Reviewed")), __("Federation Review"));
		}
		if (frm.doc.review_state === "Reviewed") {
			frm.add_custom_button(__("Forward to County SMC"), step("forward", __("Forward to County SMC")), __("Federation Review"));
		}
	},
});
