// Interest Subsidy Claim (贴息申请): lines and totals are the server's; the funds' arrival is a button.
frappe.ui.form.on("Interest Subsidy Claim", {
	refresh(frm) {
		frm.set_query("subsidy_program", () => ({ filters: { rule_type: "Interest Subsidy", disabled: 0 } }));
		if (frm.doc.docstatus === 1 && !frm.doc.fund_journal_entry) {
			frm.add_custom_button(__("Record Funds Arrival"), () =>
				frappe.prompt(
					[
						{ fieldname: "posting_date", fieldtype: "Date", label: __("Posting Date"), reqd: 1, default: frappe.datetime.get_today() },
						{ fieldname: "reference", fieldtype: "Data", label: __("Bank Reference") },
					],
					(values) => frm.call("record_funds", values).then(() => frm.reload_doc())
				)
			);
		}
	},
});
