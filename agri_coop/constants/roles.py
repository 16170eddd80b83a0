"""The app's roles (README "How it is built"), shipped with it (zh names in translations/zh.csv)."""

from agri_coop.constants.cooperatives import TOWN, VILLAGE

COUNTY_SMC_MANAGER = "County SMC Manager"
FEDERATION_USER = "Federation User"
VILLAGE_PURCHASING_USER = "Village Purchasing User"
COOP_ACCOUNTANT = "Coop Accountant"
WAREHOUSE_STAFF = "Warehouse Staff"
LEADERSHIP_OFFICE = "Leadership Office"
CREDIT_OFFICER = "Credit Officer"

ROLES = (
	COUNTY_SMC_MANAGER,
	FEDERATION_USER,
	VILLAGE_PURCHASING_USER,
	COOP_ACCOUNTANT,
	WAREHOUSE_STAFF,
	LEADERSHIP_OFFICE,
	CREDIT_OFFICER,
)

# Roles whose users are tied to one town or village by a User Permission on Cooperative.
SCOPED_ROLES = {TOWN: FEDERATION_USER, VILLAGE: VILLAGE_PURCHASING_USER}

# ERPNext roles each app role needs to do its job on ERPNext's own DocTypes, and no more:
# town and village users only read their co-op's selling documents, the leadership office
# only reads, the credit officer works on app records only (ROLE_PERMISSIONS gives the
# reads). Users get them from create_scoped_user / the demo, and lose the extra ones of
# earlier versions on migrate (patches/least_privilege_roles.py).
ERPNEXT_ROLES = {
	COUNTY_SMC_MANAGER: ("Purchase Manager", "Sales Manager", "Stock User", "Item Manager"),
	FEDERATION_USER: (),
	VILLAGE_PURCHASING_USER: (),
	COOP_ACCOUNTANT: ("Accounts User", "Accounts Manager"),
	WAREHOUSE_STAFF: ("Stock User",),
	LEADERSHIP_OFFICE: (),
	CREDIT_OFFICER: (),
}

# ERPNext roles earlier versions gave with the app roles (removed by the patch unless
# ERPNEXT_ROLES still gives them through another app role of the user).
FORMER_ERPNEXT_ROLES = {
	FEDERATION_USER: ("Sales User",),
	VILLAGE_PURCHASING_USER: ("Sales User",),
	LEADERSHIP_OFFICE: ("Report Manager",),
	CREDIT_OFFICER: ("Accounts User",),
}

_SELLING = ("Sales Order", "Delivery Note", "Sales Invoice")
_CAMPAIGN_DOCUMENTS = (*_SELLING, "Purchase Order", "Purchase Receipt", "Purchase Invoice")
_READ = ("select", "read", "print")
# (app role, ERPNext DocType) -> the rights of the role's own DocPerm (Custom DocPerm, level 0),
# made by agri_coop.setup.install.make_role_permissions. Town and village users are limited
# to their own co-op's documents by agri_coop.overrides.selling_scope.
ROLE_PERMISSIONS = {
	**{(FEDERATION_USER, dt): _READ for dt in _SELLING},
	**{(VILLAGE_PURCHASING_USER, dt): _READ for dt in _SELLING},
	**{(LEADERSHIP_OFFICE, dt): (*_READ, "report") for dt in _CAMPAIGN_DOCUMENTS},
	# the warehouse records a supplier's batches of farm inputs on receipt (agri_coop.traceability)
	(WAREHOUSE_STAFF, "Batch"): (*_READ, "report", "write", "create"),
	(LEADERSHIP_OFFICE, "Batch"): (*_READ, "report"),
	# town and village users pick a batch on their distributions and reports: select, not read
	(FEDERATION_USER, "Batch"): ("select",),
	(VILLAGE_PURCHASING_USER, "Batch"): ("select",),
}
