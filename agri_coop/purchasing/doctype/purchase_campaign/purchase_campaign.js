frappe.ui.form.on("Purchase Campaign", {
	refresh(frm) {
		const manager = frappe.user.has_role(["County SMC Manager", "System Manager"]);
		if (frm.is_new() || !manager) return;
		const actions = {
			Draft: [__("Open for Orders"), "open_campaign"],
			Open: [__("Close and Consolidate"), "close_campaign"],
			Closed: [__("Consolidate"), "consolidate"],
		}[frm.doc.campaign_state];
		if (actions) {
			frm.add_custom_button(actions[0], () =>
				frappe.confirm(__("{0} campaign {1}?", [actions[0], frm.doc.name]), () =>
					frm.call(actions[1]).then(() => frm.reload_doc())
				)
			).addClass("btn-primary");
		}
	},
	setup(frm) {
		frm.set_query("delivering_station", "items", () => ({ filters: { disabled: 0 } }));
	},
});
