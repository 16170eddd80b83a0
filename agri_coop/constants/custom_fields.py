"""Custom fields agri_coop adds to ERPNext DocTypes: created after install, re-applied on
migrate (patches.txt) and removed on uninstall."""

CUSTOM_FIELDS = {
	"Customer": [
		{
			"fieldname": "agri_coop_cooperative",
			"label": "Cooperative",
			"fieldtype": "Link",
			"options": "Cooperative",
			"insert_after": "customer_group",
			"read_only": 1,
			"in_standard_filter": 1,
			"description": "The co-op this customer belongs to; scopes it to that co-op's town and village users",
		},
		{
			"fieldname": "agri_coop_member",
			"label": "Coop Member",
			"fieldtype": "Link",
			"options": "Coop Member",
			"insert_after": "agri_coop_cooperative",
			"read_only": 1,
			"ignore_user_permissions": 1,
		},
	],
}
