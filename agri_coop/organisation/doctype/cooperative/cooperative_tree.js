frappe.treeview_settings["Cooperative"] = {
	get_tree_nodes: "agri_coop.organisation.doctype.cooperative.cooperative.get_children",
	add_tree_node: "frappe.desk.treeview.add_node",
	breadcrumb: "Organisation",
	fields: [
		{ fieldtype: "Data", fieldname: "cooperative_name", label: __("Cooperative Name"), reqd: true },
		{ fieldtype: "Data", fieldname: "region_name", label: __("Town / Village") },
		{ fieldtype: "Select", fieldname: "cooperative_type", label: __("Cooperative Type"), reqd: true,
		  options: ["Town Federation", "Village Cooperative"] },
		{ fieldtype: "Int", fieldname: "producer_count", label: __("Agricultural Producers"),
		  depends_on: "eval:doc.cooperative_type=='Village Cooperative'" },
	],
	ignore_fields: ["parent_cooperative"],
};
