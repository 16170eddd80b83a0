"""Real-name sale of pesticides (seed 001 §二 9: 农药销售、购买实名制管理; 农药管理条例: restricted-
use pesticides only to identified buyers).

A pesticide goes only to an active member whose identity is on record (a verified resident ID
number, or an organisation's unified social credit code: both are stored as the keyed hash
`id_number_hash` once they passed GB 11643 / GB 32100). A restricted-use pesticide also needs
the member's land and crops recorded (what it will be used on), and a dealer buying to resell
needs its pesticide dealer licence. The same check runs for campaign order lines, member
distributions and station sales (Delivery Notes to a member's Customer)."""

import frappe
from frappe.utils import flt

from agri_coop.traceability.inputs import RESTRICTED_PESTICIDE, input_rules, is_pesticide
from agri_coop.utils.messages import Msg, throw

DEALER = "Dealer"


class RealNameError(frappe.ValidationError):
	pass


def member_identities(members) -> dict:
	names = sorted({m for m in members if m})
	if not names:
		return {}
	return {
		m.name: m
		for m in frappe.get_all(
			"Coop Member",
			{"name": ("in", names)},
			[
				"name",
				"member_name",
				"member_type",
				"state",
				"id_number_hash",
				"land_area_mu",
				"main_products",
				"pesticide_licence_no",
			],
		)
	}


def refusal(member, rule) -> Msg | None:
	"""Why `member` may not buy the item of `rule`, or None."""
	if not is_pesticide(rule):
		return None
	if not member or member.state != "Active":
		return Msg("a pesticide is sold only to an active member (实名制)")
	if not member.id_number_hash:
		return Msg(
			"a pesticide is sold only to a member whose resident ID or credit code is on record (实名制)"
		)
	if rule.category == RESTRICTED_PESTICIDE:
		if flt(member.land_area_mu) <= 0 or not (member.main_products or "").strip():
			return Msg("a restricted-use pesticide needs the member's land area and crops recorded")
		if member.member_type == DEALER and not (member.pesticide_licence_no or "").strip():
			return Msg(
				"a restricted-use pesticide is not sold to a dealer without a pesticide dealer licence"
			)
	return None


def check_real_name(rows, table_label: str, member_of=lambda row: row.member):
	"""Refuse the first row (an item_code, its buyer from `member_of`) whose buyer may not
	have its pesticide; two queries whatever the number of rows."""
	rows = list(rows)
	rules = input_rules(r.item_code for r in rows)
	if not any(is_pesticide(rule) for rule in rules.values()):
		return
	members = member_identities(member_of(r) for r in rows)
	for row in rows:
		rule = rules.get(row.item_code)
		member = members.get(member_of(row))
		reason = refusal(member, rule)
		if reason:
			throw(
				"{0} row {1}: {2} ({3}) may not buy {4}: {5}",
				Msg(table_label),
				row.idx,
				member.member_name if member else member_of(row),
				member_of(row),
				rule.item_name or row.item_code,
				reason,
				exc=RealNameError,
			)


def check_campaign_order(doc, method=None):
	"""Campaign Order.validate: every pesticide line goes to an identified member."""
	check_real_name(doc.lines, "Member lines")


def check_station_sale(doc, method=None):
	"""Delivery Note.validate: a station's sale to a member's Customer follows the same rule
	(a campaign's Delivery Note to a village is checked per member on its distribution)."""
	member = frappe.db.get_value("Customer", doc.customer, "agri_coop_member") if doc.customer else None
	if not member:
		return
	check_real_name(doc.items, "Items", member_of=lambda row: member)
