"""The rules a member record obeys, written once: the form (Coop Member.validate) and the
onboarding import both call these. Each check returns (clean value, None) or (None, reason)."""

from collections.abc import Callable

import frappe
from frappe.utils import flt, now_datetime

from agri_coop.utils.bulk import standard_fields
from agri_coop.utils.messages import Msg
from agri_coop.utils.mobile import half_width
from agri_coop.utils.resident_id import looks_like_resident_id, parse_resident_id
from agri_coop.utils.uscc import normalize, uscc_error

MEMBER_TYPES = ("Household", "Family Farm", "Farmers' Co-op", "Enterprise", "Dealer")
MEMBER_TYPE_ZH = {
	"Household": "农户",
	"Family Farm": "家庭农场",
	"Farmers' Co-op": "农民专业合作社",
	"Enterprise": "企业",
	"Dealer": "经销商",
}
MEMBER_TYPE_BY_LABEL = {**{t: t for t in MEMBER_TYPES}, **{zh: t for t, zh in MEMBER_TYPE_ZH.items()}}
# Who identifies with what: people by resident ID, organisations by credit code; family
# farms and dealers may be either (a person, or a registered business).
PERSON_ONLY = {"Household"}
ORGANISATION_ONLY = {"Farmers' Co-op", "Enterprise"}
MEMBERS_CUSTOMER_GROUP = "社员"
# A cell starting with one of these is a formula to Excel / WPS when the list is exported.
FORMULA_STARTS = ("=", "+", "-", "@")


def check_name(raw):
	name = " ".join(str(raw or "").split())
	if not name:
		return None, Msg("name is empty")
	if len(name) > 140:
		return None, Msg("name is longer than 140 characters")
	# Names are shown in lists, reports, print formats and spreadsheets: no markup, no formulas.
	if "<" in name or ">" in name:
		return None, Msg("name must not contain angle brackets (markup)")
	if name.startswith(FORMULA_STARTS):
		return None, Msg("name must not start with = + - or @")
	return name, None


def clean_text(raw, length: int | None = None):
	"""Free text as the form stores it: Frappe sanitises HTML in saved values; the bulk
	insert of the import does not, so the import calls this."""
	from frappe.utils.html_utils import sanitize_html

	text = str(raw or "").strip()
	if "<" in text or ">" in text:
		text = sanitize_html(text)
	return (text[:length] if length else text) or None


def check_member_type(raw):
	member_type = MEMBER_TYPE_BY_LABEL.get(str(raw or "").strip())
	if not member_type:
		return None, Msg("unknown member type (农户, 家庭农场, 农民专业合作社, 企业, 经销商)")
	return member_type, None


def identity_code(raw) -> str:
	"""The ID number or credit code as typed, folded to what check_identity checks and stores:
	two rows with the same code are the same person or body."""
	return normalize(half_width(raw))


def check_identity(member_type, raw):
	"""Return ((id_number, birth_date, gender), None) or (None, reason)."""
	code = identity_code(raw)
	if not code:
		return None, Msg("ID number / credit code is empty")
	if member_type not in ORGANISATION_ONLY and (member_type in PERSON_ONLY or looks_like_resident_id(code)):
		birth, gender, reason = parse_resident_id(code)
		return (None, reason) if reason else ((code, birth, gender), None)
	reason = uscc_error(code)
	return (None, reason) if reason else ((code, None, None), None)


def check_land(raw):
	if raw in (None, ""):
		return 0.0, None
	try:
		value = float(str(raw).replace(",", "").strip())
	except ValueError:
		return None, Msg("land area is not a number")
	if value < 0:
		return None, Msg("land area cannot be negative")
	return flt(value, 2), None


# -- the member's ERPNext Customer


def member_customer_group(member_type: str) -> str:
	return MEMBER_TYPE_ZH[member_type]


def ensure_member_customer_groups() -> bool:
	"""社员 with one child per member type; False while ERPNext's setup has not made the root."""
	root = frappe.db.get_value("Customer Group", {"is_group": 1, "parent_customer_group": ("is", "not set")})
	if not root:
		return False
	groups = [(MEMBERS_CUSTOMER_GROUP, root, 1)] + [
		(zh, MEMBERS_CUSTOMER_GROUP, 0) for zh in MEMBER_TYPE_ZH.values()
	]
	for name, parent, is_group in groups:
		if not frappe.db.exists("Customer Group", name):
			frappe.get_doc(
				{
					"doctype": "Customer Group",
					"customer_group_name": name,
					"parent_customer_group": parent,
					"is_group": is_group,
				}
			).insert(ignore_permissions=True)
	return True


def member_customer_values(member) -> dict:
	"""The Customer fields that follow a member (one rule for the form and the import)."""
	return {
		"customer_name": member.get("member_name"),
		"customer_type": "Company" if member.get("member_type") in ORGANISATION_ONLY else "Individual",
		"customer_group": member_customer_group(member.get("member_type")),
		"disabled": 1 if member.get("state") == "Suspended" else 0,
		"agri_coop_cooperative": member.get("cooperative"),
		"agri_coop_member": member.get("name"),
	}


CUSTOMER_COLUMNS = (
	"name",
	"customer_name",
	"customer_type",
	"customer_group",
	"disabled",
	"agri_coop_cooperative",
	"agri_coop_member",
)


def member_customer_row(territory: str) -> tuple[dict, Callable[[dict], tuple]]:
	"""(the values every member's Customer has, member -> its Customer's own values in
	CUSTOMER_COLUMNS); the Customer is named like the member. The import writes them with
	multi-row inserts. What the rows need is looked up now, so that building them later
	needs no query; the customer groups must exist (ensure_member_customer_groups).

	100,000 Customer.insert() calls would take most of an hour; the rows written here are
	the ones Customer.insert() writes for an individual with no address or contact.
	"""
	defaults = frappe.new_doc("Customer")  # what Customer.insert() fills in (site defaults)
	fixed = {
		"territory": territory,
		"naming_series": defaults.naming_series,
		"language": defaults.language,
		"default_commission_rate": defaults.default_commission_rate or 0,
		**standard_fields(now_datetime(), frappe.session.user),
	}

	def row(member: dict) -> tuple:
		values = member_customer_values(member)
		return (
			member["name"],
			values["customer_name"],
			values["customer_type"],
			values["customer_group"],
			values["disabled"],
			values["agri_coop_cooperative"],
			member["name"],
		)

	return fixed, row
