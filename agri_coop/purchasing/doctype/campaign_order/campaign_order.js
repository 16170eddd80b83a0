frappe.ui.form.on("Campaign Order", {
	setup(frm) {
		frm.set_query("campaign", () => ({ filters: { campaign_state: "Open" } }));
		frm.set_query("cooperative", () => ({ filters: { cooperative_type: "Village Cooperative" } }));
		frm.set_query("member", "lines", () => ({
			filters: { cooperative: frm.doc.cooperative, state: ["!=", "Suspended"] },
		}));
		frm.set_query("item_code", "lines", () => ({
			query: "agri_coop.purchasing.doctype.campaign_order.campaign_order.campaign_items",
			filters: { campaign: frm.doc.campaign },
		}));
	},
});

frappe.ui.form.on("Campaign Order Line", {
	item_code(frm, cdt, cdn) {
		const line = locals[cdt][cdn];
		if (!frm.doc.campaign || !line.item_code) return;
		frappe.db
			.get_value("Purchase Campaign Item", { parent: frm.doc.campaign, item_code: line.item_code }, "sale_price")
			.then((r) => frappe.model.set_value(cdt, cdn, "rate", r.message && r.message.sale_price));
	},
	qty(frm, cdt, cdn) {
		const line = locals[cdt][cdn];
		frappe.model.set_value(cdt, cdn, "amount", flt(line.qty) * flt(line.rate));
	},
});
