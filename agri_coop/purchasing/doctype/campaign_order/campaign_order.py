import frappe
from frappe.model.document import Document
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count, Sum
from frappe.utils import flt, get_datetime, now_datetime

from agri_coop.finance import credit
from agri_coop.traceability.real_name import check_campaign_order
from agri_coop.utils.lookups import village_town
from agri_coop.utils.messages import Msg, throw


class CampaignClosedError(frappe.ValidationError):
	pass


class PriceTamperingError(frappe.ValidationError):
	pass


class CampaignOrderError(frappe.ValidationError):
	pass


class CampaignOrder(Document):
	def validate(self):
		campaign = frappe.get_doc("Purchase Campaign", self.campaign)
		self.validate_campaign_open(campaign.campaign_state)
		self.validate_village()
		self.validate_lines(campaign)
		credit.validate_order_credit(self)  # lines on credit name a usable credit line
		check_campaign_order(self)  # pesticides by real name (agri_coop.traceability)

	def validate_campaign_open(self, state):
		if state != "Open":
			throw(
				"Campaign {0} is {1}: orders are taken only while it is open",
				self.campaign,
				Msg(state, context="Purchase Campaign"),
				exc=CampaignClosedError,
			)

	def validate_village(self):
		village, town = village_town(self.cooperative)
		if not village:
			throw(
				"Field {0}: {1} is not a village co-op; a village purchasing department orders",
				Msg("Village Cooperative"),
				self.cooperative,
				exc=CampaignOrderError,
			)
		self.town = town

	def validate_lines(self, campaign):
		offer = campaign.supplier_items()
		member_names = [line.member for line in self.lines]
		members = {
			m.name: m
			for m in frappe.get_all(
				"Coop Member", {"name": ("in", member_names)}, ["name", "cooperative", "state"]
			)
		}
		self.total_qty = self.total_amount = 0
		for line in self.lines:
			item = offer.get(line.item_code)
			if not item:
				throw(
					"Member lines row {0}: {1} is not offered in campaign {2}",
					line.idx,
					line.item_code,
					self.campaign,
					exc=CampaignOrderError,
				)
			member = members.get(line.member)
			if not member or member.cooperative != self.cooperative:
				throw(
					"Member lines row {0}: member {1} belongs to {2}, not to the ordering village {3}",
					line.idx,
					line.member,
					member.cooperative if member else "?",
					self.cooperative,
					exc=CampaignOrderError,
				)
			if member.state == "Suspended":
				throw(
					"Member lines row {0}: member {1} is suspended",
					line.idx,
					line.member,
					exc=CampaignOrderError,
				)
			if flt(line.qty) <= 0 or flt(line.qty) < flt(item.min_qty):
				throw(
					"Member lines row {0}: quantity {1} is below the minimum of {2}",
					line.idx,
					flt(line.qty),
					max(flt(item.min_qty), 0),
					exc=CampaignOrderError,
				)
			if line.rate not in (None, "") and flt(line.rate, 2) != flt(item.sale_price, 2):
				throw(
					"Member lines row {0}: the price of {1} is the campaign's uniform price {2}; {3} is refused (no price discrimination)",
					line.idx,
					line.item_code,
					flt(item.sale_price, 2),
					flt(line.rate, 2),
					exc=PriceTamperingError,
				)
			line.rate = item.sale_price
			line.amount = flt(flt(line.qty) * flt(line.rate), 2)
			self.total_qty += flt(line.qty)
			self.total_amount += line.amount

	def before_submit(self):
		"""Serialise with closing: both take the campaign row's lock, so an order is either
		submitted before the close (and consolidated) or refused after it."""
		state, closes_on, opens_on = frappe.db.get_value(
			"Purchase Campaign", self.campaign, ["campaign_state", "closes_on", "opens_on"], for_update=True
		)
		self.validate_campaign_open(state)
		if not get_datetime(opens_on) <= now_datetime() <= get_datetime(closes_on):
			throw(
				"Campaign {0} takes orders from {1} to {2}",
				self.campaign,
				opens_on,
				closes_on,
				exc=CampaignClosedError,
			)
		self.validate_campaign_limits()
		credit.reserve_order_credit(self)  # within each credit line's available limit, under its lock

	def validate_campaign_limits(self):
		campaign = frappe.get_doc("Purchase Campaign", self.campaign)
		ordered = submitted_quantities(self.campaign, exclude=self.name)
		mine = {}
		for line in self.lines:
			mine[line.item_code] = mine.get(line.item_code, 0) + flt(line.qty)
		for item in campaign.items:
			if flt(item.max_qty) and ordered.get(item.item_code, 0) + mine.get(item.item_code, 0) > flt(
				item.max_qty
			):
				throw(
					"{0}: this order would bring the campaign to {1}, above its maximum of {2}",
					item.item_code,
					ordered.get(item.item_code, 0) + mine.get(item.item_code, 0),
					flt(item.max_qty),
					exc=CampaignOrderError,
				)
		if campaign.is_trial:
			total = submitted_amount(self.campaign, exclude=self.name) + flt(self.total_amount)
			if total > flt(campaign.trial_amount_cap):
				throw(
					"Trial campaign {0}: orders would total {1}, above its cap of {2}",
					self.campaign,
					flt(total, 2),
					flt(campaign.trial_amount_cap, 2),
					exc=CampaignOrderError,
				)

	def on_submit(self):
		update_campaign_totals(self.campaign)
		credit.refresh_order_lines(self)

	def before_cancel(self):
		state = frappe.db.get_value("Purchase Campaign", self.campaign, "campaign_state", for_update=True)
		if state != "Open":
			throw(
				"Campaign {0} is {1}: its orders are consolidated and cannot be cancelled",
				self.campaign,
				Msg(state, context="Purchase Campaign"),
				exc=CampaignClosedError,
			)

	def on_cancel(self):
		update_campaign_totals(self.campaign)
		credit.refresh_order_lines(self)  # the reservation is released with the order


def submitted_lines_query(campaign: str, exclude: str | None = None):
	Order, Line = DocType("Campaign Order"), DocType("Campaign Order Line")
	query = (
		frappe.qb.from_(Line)
		.join(Order)
		.on(Line.parent == Order.name)
		.where((Order.campaign == campaign) & (Order.docstatus == 1) & (Line.parenttype == "Campaign Order"))
	)
	if exclude:
		query = query.where(Order.name != exclude)
	return query, Order, Line


def submitted_quantities(campaign: str, exclude: str | None = None) -> dict[str, float]:
	query, _, Line = submitted_lines_query(campaign, exclude)
	return dict(query.select(Line.item_code, Sum(Line.qty)).groupby(Line.item_code).for_update().run())


def submitted_amount(campaign: str, exclude: str | None = None) -> float:
	query, _, Line = submitted_lines_query(campaign, exclude)
	return flt(query.select(Sum(Line.amount)).for_update().run()[0][0])


def update_campaign_totals(campaign: str):
	query, Order, Line = submitted_lines_query(campaign)
	count, qty, amount = query.select(Count(Order.name).distinct(), Sum(Line.qty), Sum(Line.amount)).run()[0]
	frappe.db.set_value(
		"Purchase Campaign",
		campaign,
		{"order_count": count, "total_qty": flt(qty), "total_amount": flt(amount, 2)},
		update_modified=False,
	)
	CampaignItem = DocType("Purchase Campaign Item")
	for item_code, ordered in submitted_quantities(campaign).items():
		frappe.qb.update(CampaignItem).set(CampaignItem.ordered_qty, ordered).where(
			(CampaignItem.parent == campaign) & (CampaignItem.item_code == item_code)
		).run()


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def campaign_items(doctype, txt, searchfield, start, page_len, filters):
	"""Link search for an order line: only the items the campaign offers."""
	campaign = filters.get("campaign")
	if not campaign or not frappe.has_permission("Purchase Campaign", "read", campaign):
		return []
	Item = DocType("Purchase Campaign Item")
	return (
		frappe.qb.from_(Item)
		.select(Item.item_code, Item.item_name, Item.sale_price)
		.where((Item.parent == campaign) & (Item.parenttype == "Purchase Campaign"))
		.where(Item.item_code.like(f"%{txt}%") | Item.item_name.like(f"%{txt}%"))
		.orderby(Item.idx)
		.limit(page_len)
		.offset(start)
		.run()
	)
