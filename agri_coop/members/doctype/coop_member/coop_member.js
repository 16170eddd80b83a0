// The member's state and full ID number go through the server (coop_member.py, privacy_api.py).
const NEXT_STATES = { "Pre-registered": ["Active", "Suspended"], Active: ["Suspended"], Suspended: ["Active"] };
const STATE_ACTIONS = { Active: __("Activate"), Suspended: __("Suspend") };

frappe.ui.form.on("Coop Member", {
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.perm[0] && frm.perm[0].write) {
			for (const state of NEXT_STATES[frm.doc.state] || []) {
				const label = frm.doc.state === "Suspended" ? __("Reinstate") : STATE_ACTIONS[state];
				frm.add_custom_button(label, () =>
					frm.call("change_state", { state }).then(() => frm.reload_doc())
				);
			}
		}
		if (frappe.user.has_role(["County SMC Manager", "Coop Accountant"])) {
			frm.add_custom_button(__("Reveal full ID number"), () => {
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", reqd: 1, label: __("Why do you need the full number?") },
					({ reason }) =>
						frappe
							.call("agri_coop.security.privacy_api.reveal_id_number", { member: frm.doc.name, reason })
							.then((r) => frappe.msgprint({ title: __("ID Number / Credit Code"), message: frappe.utils.escape_html(r.message) })),
					__("Reveal full ID number")
				);
			});
		}
	},
});
