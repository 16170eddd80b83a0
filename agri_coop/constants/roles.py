"""The roles of DESIGN.md, shipped with the app (their zh names are in translations/zh.csv)."""

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
SCOPED_ROLES = {"Town Federation": FEDERATION_USER, "Village Cooperative": VILLAGE_PURCHASING_USER}

# ERPNext roles each app role needs to do its job on ERPNext's own DocTypes.
ERPNEXT_ROLES = {
	COUNTY_SMC_MANAGER: ("Purchase Manager", "Sales Manager", "Stock User", "Item Manager"),
	FEDERATION_USER: ("Sales User",),
	VILLAGE_PURCHASING_USER: ("Sales User",),
	COOP_ACCOUNTANT: ("Accounts User", "Accounts Manager"),
	WAREHOUSE_STAFF: ("Stock User",),
	LEADERSHIP_OFFICE: ("Report Manager",),
	CREDIT_OFFICER: ("Accounts User",),
}
