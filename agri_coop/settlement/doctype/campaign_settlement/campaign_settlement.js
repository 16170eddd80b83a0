// 统购结算: computed on save, posted on submit; pay the co-ops and print their statements.

const STATEMENT_METHOD = "agri_coop.settlement.doctype.campaign_settlement.campaign_settlement";

frappe.ui.form.on("Campaign Settlement", {
	setup(frm) {
		// the settlement cancels its own Journal Entry (and refuses while it has payments)
		frm.ignore_doctypes_on_cancel_all = ["Journal Entry"];
		frm.set_query("campaign", () => ({ filters: { campaign_state: "Delivered" } }));
	},
	refresh(frm) {
		if (!frm.is_new() && flt(frm.doc.profit) <= 0) {
			frm.dashboard.set_headline(__("The campaign made no profit: nothing is returned to the co-ops."), "orange");
		}
		if (frm.doc.docstatus !== 1) return;
		show_posting_status(frm);
		if (frm.doc.posting_status !== "Posted") return;
		frm.add_custom_button(__("Print Co-op Statement"), () => print_statement(frm));
		if (frm.doc.journal_entry) {
			frm.add_custom_button(
				__("Journal Entry"),
				() => frappe.set_route("List", "Journal Entry", { agri_coop_settlement: frm.doc.name }),
				__("View")
			);
		}
		frm.add_custom_button(__("Rebates"), () => frappe.set_route("query-report", "Rebates", { campaign: frm.doc.campaign }), __("View"));
		const due = (frm.doc.cooperatives || []).filter((row) => flt(row.due_amount) > 0);
		if (due.length && frappe.model.can_create("Payment Entry")) {
			frm.add_custom_button(__("Pay a Co-op"), () => pay_cooperative(frm, due), __("Create"));
		}
	},
});

// Submitting queues the posting of the Journal Entries: follow it until Posted or Failed.
function show_posting_status(frm) {
	const status = frm.doc.posting_status;
	if (status === "Posting") {
		frm.dashboard.set_headline(__("Posting the Journal Entries in the background; the campaign is frozen."), "blue");
		if (!frm.__posting_listener) {
			frm.__posting_listener = true;
			frappe.realtime.on("progress", (data) => {
				if (data.doctype !== frm.doctype || data.docname !== frm.doc.name) return;
				frm.dashboard.show_progress(__("Posting the settlement"), data.percent, data.description);
				if (data.percent >= 100) frm.reload_doc();
			});
		}
	} else if (status === "Failed") {
		frm.dashboard.set_headline(
			__("Posting failed, nothing was posted: {0}", [frappe.utils.escape_html(frm.doc.posting_error || "")]),
			"red"
		);
	}
	if ((status === "Failed" || status === "Posting") && frm.perm[0] && frm.perm[0].submit) {
		frm.add_custom_button(__("Post Again"), () =>
			frm.call("retry_posting").then(() => frm.reload_doc())
		);
	}
}

function print_statement(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Print Co-op Statement"),
		fields: [
			{
				fieldname: "cooperative",
				label: __("Cooperative"),
				fieldtype: "Select",
				reqd: 1,
				options: (frm.doc.cooperatives || []).map((row) => row.cooperative),
			},
		],
		primary_action_label: __("Print"),
		primary_action(values) {
			dialog.hide();
			const args = new URLSearchParams({ settlement: frm.doc.name, cooperative: values.cooperative });
			window.open(frappe.urllib.get_full_url(`/api/method/${STATEMENT_METHOD}.print_statement?${args}`));
		},
	});
	dialog.show();
}

function pay_cooperative(frm, rows) {
	const dialog = new frappe.ui.Dialog({
		title: __("Pay a Co-op"),
		fields: [
			{
				fieldname: "cooperative",
				label: __("Cooperative"),
				fieldtype: "Select",
				reqd: 1,
				options: rows.map((row) => ({
					value: row.cooperative,
					label: `${row.cooperative} (${format_currency(row.due_amount)})`,
				})),
			},
			{
				fieldname: "share",
				label: __("Rebate Share"),
				fieldtype: "Select",
				options: [
					{ value: "", label: "" },
					{ value: "accumulation", label: __("Co-op Accumulation") },
					{ value: "member_rebate", label: __("Member Rebate") },
					{ value: "staff_reward", label: __("Staff Reward") },
				],
			},
		],
		primary_action_label: __("Create"),
		primary_action(values) {
			dialog.hide();
			frappe
				.call("agri_coop.settlement.accounts.make_payment_entry", {
					settlement: frm.doc.name,
					cooperative: values.cooperative,
					share: values.share || null,
				})
				.then((r) => {
					const doc = frappe.model.sync(r.message)[0];
					frappe.set_route("Form", doc.doctype, doc.name);
				});
		},
	});
	dialog.show();
}
