"""Members' mobiles on the recall list and the sales ledger, as the reader's role allows:
the county SMC, the accountants and the town / village staff who call the members see the
number; other roles (warehouse staff, the leadership office, credit officers) see it masked
(138****5678). Resident ID numbers only ever appear masked (agri_coop.security.privacy)."""

import frappe

from agri_coop.constants.roles import (
	COOP_ACCOUNTANT,
	COUNTY_SMC_MANAGER,
	FEDERATION_USER,
	VILLAGE_PURCHASING_USER,
)
from agri_coop.utils.mobile import mask_mobile

FULL_MOBILE_ROLES = {
	COUNTY_SMC_MANAGER,
	COOP_ACCOUNTANT,
	FEDERATION_USER,
	VILLAGE_PURCHASING_USER,
	"System Manager",
}


def sees_full_mobile(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(FULL_MOBILE_ROLES & set(frappe.get_roles(user)))


def member_contacts(members) -> dict:
	"""member -> (mobile as the session user may see it, masked ID number)."""
	names = sorted({m for m in members if m})
	if not names:
		return {}
	full = sees_full_mobile()
	return {
		m.name: (m.mobile if full else mask_mobile(m.mobile), m.id_number_masked)
		for m in frappe.get_all(
			"Coop Member", {"name": ("in", names)}, ["name", "mobile", "id_number_masked"]
		)
	}
