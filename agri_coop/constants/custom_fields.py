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


# Real-name pesticides and batch traceability (agri_coop.traceability): an item's input
# category (defaulted from its Item Group), its registration and producer; a batch's public
# trace token, producer batch number, inspection result and recall.
INPUT_CATEGORY_OPTIONS = "\nPesticide\nRestricted-use Pesticide\nFertiliser\nSeed\nOther"
CUSTOM_FIELDS["Item Group"] = [
	{
		"fieldname": "agri_coop_input_category",
		"label": "Farm Input Category",
		"fieldtype": "Select",
		"options": INPUT_CATEGORY_OPTIONS,
		"insert_after": "parent_item_group",
		"description": "Default category of this group's items (pesticides are sold by real name and batch-tracked)",
	}
]
CUSTOM_FIELDS["Item"] = [
	{
		"fieldname": "agri_coop_traceability_section",
		"label": "Farm Input Traceability",
		"fieldtype": "Section Break",
		"insert_after": "description",
		"collapsible": 1,
	},
	{
		"fieldname": "agri_coop_input_category",
		"label": "Farm Input Category",
		"fieldtype": "Select",
		"options": INPUT_CATEGORY_OPTIONS,
		"insert_after": "agri_coop_traceability_section",
		"in_standard_filter": 1,
		"description": "Empty: the Item Group's category",
	},
	{
		"fieldname": "agri_coop_registration_no",
		"label": "Pesticide Registration No",
		"fieldtype": "Data",
		"insert_after": "agri_coop_input_category",
		"depends_on": "eval:(doc.agri_coop_input_category||'').includes('Pesticide')",
	},
	{
		"fieldname": "agri_coop_requires_batch",
		"label": "Batch and Expiry Tracked",
		"fieldtype": "Check",
		"insert_after": "agri_coop_registration_no",
		"description": "Always on for pesticides; receipts, deliveries and distributions then carry batches",
	},
	{
		"fieldname": "agri_coop_traceability_column",
		"fieldtype": "Column Break",
		"insert_after": "agri_coop_requires_batch",
	},
	{
		"fieldname": "agri_coop_producer",
		"label": "Producer",
		"fieldtype": "Data",
		"insert_after": "agri_coop_traceability_column",
	},
	{
		"fieldname": "agri_coop_producer_licence",
		"label": "Producer Licence No",
		"fieldtype": "Data",
		"insert_after": "agri_coop_producer",
	},
]
CUSTOM_FIELDS["Batch"] = [
	{
		"fieldname": "agri_coop_traceability_section",
		"label": "Farm Input Traceability",
		"fieldtype": "Section Break",
		"insert_after": "description",
	},
	{
		"fieldname": "agri_coop_producer_batch_no",
		"label": "Producer Batch No",
		"fieldtype": "Data",
		"insert_after": "agri_coop_traceability_section",
	},
	{
		"fieldname": "agri_coop_inspection_result",
		"label": "Inspection Result",
		"fieldtype": "Select",
		"options": "Pending\nQualified\nUnqualified",
		"default": "Pending",
		"insert_after": "agri_coop_producer_batch_no",
	},
	{
		"fieldname": "agri_coop_inspection_report",
		"label": "Inspection Report No",
		"fieldtype": "Data",
		"insert_after": "agri_coop_inspection_result",
	},
	{
		"fieldname": "agri_coop_traceability_column",
		"fieldtype": "Column Break",
		"insert_after": "agri_coop_inspection_report",
	},
	{
		"fieldname": "agri_coop_recalled",
		"label": "Recalled",
		"fieldtype": "Check",
		"insert_after": "agri_coop_traceability_column",
		"read_only": 1,
		"no_copy": 1,
		"in_standard_filter": 1,
	},
	{
		"fieldname": "agri_coop_recall",
		"label": "Batch Recall",
		"fieldtype": "Link",
		"options": "Batch Recall",
		"insert_after": "agri_coop_recalled",
		"read_only": 1,
		"no_copy": 1,
	},
	{
		"fieldname": "agri_coop_trace_token",
		"label": "Public Trace Token",
		"fieldtype": "Data",
		"insert_after": "agri_coop_recall",
		"read_only": 1,
		"no_copy": 1,
		"unique": 1,
		"description": "The QR code's page is /trace/<token>: unguessable, not the batch name",
	},
]

# Closed-loop credit (agri_coop.finance.closed_loop): the partner bank whose loan a Payment
# Entry carries (the entrusted payment of members' campaign purchases); set by that flow only.
CUSTOM_FIELDS["Payment Entry"] = [
	{
		"fieldname": "agri_coop_partner_bank",
		"label": "Partner Bank",
		"fieldtype": "Link",
		"options": "Partner Bank",
		"insert_after": "party_name",
		"read_only": 1,
		"no_copy": 1,
		"search_index": 1,
		"ignore_user_permissions": 1,
		"description": "The bank whose loan pays members' campaign purchases on this invoice (受托支付)",
	}
]

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
# A company that keeps a co-op's books on this site: its revenue is what the co-op's
# applications are checked on (agri_coop.subsidies.ledger).
CUSTOM_FIELDS.setdefault("Company", []).append(
	{
		"fieldname": "agri_coop_cooperative",
		"label": "Books of Cooperative",
		"fieldtype": "Link",
		"options": "Cooperative",
		"insert_after": "date_of_incorporation",
		"description": "The co-op (town organisation) whose books this company keeps",
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
for _doctype, _insert_after in (
	("Company", "agri_coop_cooperative"),
	("Supplier", "agri_coop_registration_date"),
):
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
