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

# Subsidies (agri_coop.subsidies): a payment's Journal Entry names its application; a
# co-op-run enterprise (社办企业, a Company or Supplier) carries what the seed 002 rules ask.
CUSTOM_FIELDS["Journal Entry"].append(
	{
		"fieldname": "agri_coop_subsidy_application",
		"label": "Subsidy Application",
		"fieldtype": "Link",
		"options": "Subsidy Application",
		"insert_after": "agri_coop_settlement",
		"read_only": 1,
		"no_copy": 1,
		"search_index": 1,
		"ignore_user_permissions": 1,
	}
)
# A Company's registration date is ERPNext's own Date of Incorporation.
CUSTOM_FIELDS.setdefault("Supplier", []).append(
	{
		"fieldname": "agri_coop_registration_date",
		"label": "Registration Date",
		"fieldtype": "Date",
		"insert_after": "country",
		"description": "Date of registration (co-op-run enterprise, seed 002)",
	}
)
for _doctype, _insert_after in (("Company", "date_of_incorporation"), ("Supplier", "agri_coop_registration_date")):
	CUSTOM_FIELDS.setdefault(_doctype, []).extend(
		[
			{
				"fieldname": "agri_coop_registered_in_city",
				"label": "Registered in the City",
				"fieldtype": "Check",
				"insert_after": _insert_after,
			},
			{
				"fieldname": "agri_coop_smc_share",
				"label": "SMC Share of Paid-in Capital",
				"fieldtype": "Percent",
				"insert_after": "agri_coop_registered_in_city",
				"description": "The supply and marketing co-op's verified share of the paid-in capital",
			},
		]
	)
