"""Lookups on the Cooperative tree and ERPNext's trees, written once."""

import frappe
from frappe.utils.nestedset import get_root_of

from agri_coop.constants.cooperatives import COUNTY, TOWN, VILLAGE
from agri_coop.utils.messages import Msg, throw


def county_company() -> str | None:
	"""The ERPNext company of the county SMC (the root of the Cooperative tree), if set."""
	return frappe.db.get_value("Cooperative", {"cooperative_type": COUNTY}, "company")


def cooperative_type(cooperative: str | None) -> str | None:
	return frappe.db.get_value("Cooperative", cooperative, "cooperative_type") if cooperative else None


def is_village(cooperative: str | None) -> bool:
	return cooperative_type(cooperative) == VILLAGE


def is_town(cooperative: str | None) -> bool:
	return cooperative_type(cooperative) == TOWN


def village_town(cooperative: str | None) -> tuple[bool, str | None]:
	"""(is it a village co-op, its town federation): one read for the forms that need both."""
	values = frappe.db.get_value("Cooperative", cooperative, ["cooperative_type", "town"], as_dict=True)
	if not values or values.cooperative_type != VILLAGE:
		return False, None
	return True, values.town


def validate_town_filter(town: str | None) -> None:
	"""A report's Town Federation filter names a town federation (or is empty)."""
	if town and not is_town(town):
		throw("Field {0}: {1} is not a town federation", Msg("Town Federation"), town)


def tree_root(doctype: str) -> str | None:
	"""The root of one of ERPNext's single-rooted trees (Customer Group, Territory, Item Group);
	None while ERPNext's setup has not made it."""
	return get_root_of(doctype)
