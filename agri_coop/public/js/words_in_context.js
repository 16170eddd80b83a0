// The app's Select values read in their DocType's words: a campaign that is "Open" is 接单中,
// while ERPNext's "Open" stays its own. zh.csv gives such words with the DocType as context;
// Frappe's dropdowns, filters and form indicators translate with that context, its formatter
// (form, list and report cells), list pills and list indicators do not, so this passes it
// there for the fields that have such words. Loaded with every app DocType's form and list
// (hooks.py doctype_js / doctype_list_js); running it again changes nothing.
(() => {
	const in_context = (value, doctype) => (value ? __(value, null, doctype) : value);
	const has_words = (df, doctype) =>
		df.fieldtype === "Select" &&
		(df.options || "").split("\n").some((option) => frappe._messages[`${option}:${doctype}`]);

	for (const [doctype, fields] of Object.entries(frappe.meta.docfield_map || {})) {
		const worded = Object.values(fields).filter((df) => has_words(df, doctype));
		if (!worded.length) continue;
		const settings = (frappe.listview_settings[doctype] ||= {});
		settings.formatters ||= {};
		for (const df of worded) {
			df.formatter ||= (value) => in_context(value, doctype);
			settings.formatters[df.fieldname] ||= (value) => {
				const text = frappe.utils.escape_html(in_context(value, doctype) || "");
				return `<span class="filterable indicator-pill ${frappe.utils.guess_colour(value)} ellipsis"
					data-filter="${df.fieldname},=,${frappe.utils.escape_html(value || "")}">
					<span class="ellipsis">${text}</span></span>`;
			};
		}
		// the list's standard filters are Select controls without a DocType: give them one
		for (const hook of ["onload", "refresh"]) {
			const original = settings[hook];
			if (original?.in_context) continue;
			settings[hook] = function (listview) {
				for (const df of worded) {
					const filter = listview.page?.fields_dict?.[df.fieldname];
					if (filter?.set_options && !filter.df.context) {
						filter.df.context = doctype;
						filter.last_options = null;
						filter.set_options(filter.get_value());
					}
				}
				return original?.apply(this, arguments);
			};
			settings[hook].in_context = true;
		}
		// a list indicator built from one of these fields ("state,=,Active") shows its word
		const get_indicator = settings.get_indicator;
		if (get_indicator && !get_indicator.in_context) {
			settings.get_indicator = (doc) => {
				const indicator = get_indicator(doc);
				const [fieldname, operator, value] = (indicator?.[2] || "").split(",");
				if (operator === "=" && worded.some((df) => df.fieldname === fieldname)) {
					indicator[0] = in_context(value, doctype);
				}
				return indicator;
			};
			settings.get_indicator.in_context = true;
		}
	}
})();
