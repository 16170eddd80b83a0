"""Custom fields agri_coop adds to ERPNext DocTypes: created after install, re-applied on
migrate (patches.txt) and removed on uninstall."""

# ERPNext documents a campaign produces, and the field the campaign link follows.
CAMPAIGN_DOCUMENTS = {
	"Purchase Order": "supplier",
	"Purchase Receipt": "supplier",
	"Purchase Invoice": "supplier",
	"Sales Order": "customer",
	"Delivery Note": "customer",
	"Sales Invoice": "customer",
}

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
	**{
		doctype: [
			{
				"fieldname": "agri_coop_campaign",
				"label": "Purchase Campaign",
				"fieldtype": "Link",
				"options": "Purchase Campaign",
				"insert_after": insert_after,
				"read_only": 1,
				"in_standard_filter": 1,
				"search_index": 1,
				"ignore_user_permissions": 1,
			}
		]
		for doctype, insert_after in CAMPAIGN_DOCUMENTS.items()
	},
}

# The co-op a campaign's selling documents are for: scopes them to its town and village users.
for _doctype in ("Sales Order", "Delivery Note", "Sales Invoice"):
	CUSTOM_FIELDS[_doctype].append(
		{
			"fieldname": "agri_coop_cooperative",
			"label": "Cooperative",
			"fieldtype": "Link",
			"options": "Cooperative",
			"insert_after": "agri_coop_campaign",
			"read_only": 1,
			"in_standard_filter": 1,
			"search_index": 1,
		}
	)


# Campaign costs (freight, handling, ...) booked as Journal Entries or Landed Cost Vouchers
# are tagged with their campaign by the accountant, and count in its settlement; the
# settlement's own Journal Entry carries the settlement (agri_coop.settlement).
for _doctype in ("Journal Entry", "Landed Cost Voucher"):
	CUSTOM_FIELDS[_doctype] = [
		{
			"fieldname": "agri_coop_campaign",
			"label": "Purchase Campaign",
			"fieldtype": "Link",
			"options": "Purchase Campaign",
			"insert_after": "company",
			"in_standard_filter": 1,
			"search_index": 1,
			"ignore_user_permissions": 1,
			"description": "A cost of this campaign: counted in its settlement",
		}
	]
CUSTOM_FIELDS["Journal Entry"].append(
	{
		"fieldname": "agri_coop_settlement",
		"label": "Campaign Settlement",
		"fieldtype": "Link",
		"options": "Campaign Settlement",
		"insert_after": "agri_coop_campaign",
		"read_only": 1,
		"no_copy": 1,
		"search_index": 1,
		"ignore_user_permissions": 1,
	}
)
