import frappe
from frappe.model.document import Document
from frappe.utils import flt, get_datetime, getdate, now_datetime

from agri_coop.purchasing.campaign_state import DRAFT, OPEN, CampaignStateError, check_manager, take_step
from agri_coop.purchasing.consolidation import check_closed, close_campaign, start_consolidation
from agri_coop.utils.messages import Msg, throw
from agri_coop.utils.transitions import in_transition

# Fields of a campaign item that make the offer: fixed once the campaign is open, so every
# buyer gets the same terms (seed 000 §五(三)).
OFFER_FIELDS = (
	"item_code",
	"supplier",
	"purchase_rate",
	"sale_price",
	"min_qty",
	"max_qty",
	"delivering_station",
)


class CampaignTermsError(frappe.ValidationError):
	pass


class PurchaseCampaign(Document):
	def validate(self):
		self.validate_state_unchanged()
		self.validate_window()
		self.validate_items()
		self.validate_rebate_policy()
		if self.campaign_state != DRAFT:
			self.validate_offer_unchanged()

	def validate_state_unchanged(self):
		if self.is_new():
			self.campaign_state = DRAFT
		elif not in_transition(self) and self.get_db_value("campaign_state") != self.campaign_state:
			throw(
				"The campaign state follows what happens (open, close, orders, receipts, deliveries, settlement); it cannot be typed in",
				exc=CampaignStateError,
			)

	def validate_window(self):
		if get_datetime(self.closes_on) <= get_datetime(self.opens_on):
			throw(
				"Field {0} must be after {1}",
				Msg("Orders Close On"),
				Msg("Orders Open On"),
				exc=CampaignTermsError,
			)
		if getdate(self.delivery_date) < getdate(self.closes_on):
			throw(
				"Field {0} must not be before the orders close",
				Msg("Expected Delivery Date"),
				exc=CampaignTermsError,
			)

	def validate_items(self):
		from agri_coop.purchasing.whitelist import assert_whitelisted

		seen = set()
		for row in self.items:
			if row.item_code in seen:
				throw(
					"Items row {0}: {1} is already in the campaign; one supplier and one price per item",
					row.idx,
					row.item_code,
					exc=CampaignTermsError,
				)
			seen.add(row.item_code)
			if flt(row.sale_price) <= 0:
				throw(
					"Items row {0}: field {1} must be greater than 0",
					row.idx,
					Msg("Uniform Sale Price"),
					exc=CampaignTermsError,
				)
			if flt(row.max_qty) and flt(row.max_qty) < flt(row.min_qty):
				throw(
					"Items row {0}: field {1} is below {2}",
					row.idx,
					Msg("Maximum for the Campaign"),
					Msg("Minimum per Member Line"),
					exc=CampaignTermsError,
				)
			assert_whitelisted(row.supplier, row.item_code, getdate(self.opens_on), row_label=row.idx)

	def validate_rebate_policy(self):
		for fieldname, label in (
			("rebate_rate", "Share of Profit Returned"),
			("federation_share", "Federation Share of the Returned Profit"),
		):
			if not 0 <= flt(self.get(fieldname)) <= 100:
				throw("Field {0} must be between 0 and 100", Msg(label), exc=CampaignTermsError)
		shares = flt(self.accumulation_share) + flt(self.member_rebate_share) + flt(self.staff_reward_share)
		if abs(shares - 100) > 0.0001:
			throw(
				"Co-op accumulation, member rebate and staff reward shares must add up to 100%, not {0}%",
				flt(shares, 4),
				exc=CampaignTermsError,
			)

	def validate_offer_unchanged(self):
		before = self.get_doc_before_save() or frappe.get_doc(self.doctype, self.name)
		if offer_terms(before) != offer_terms(self):
			throw(
				"The campaign is {0}: its items, suppliers, prices and quantities can no longer change",
				Msg(self.campaign_state, context=self.doctype),
				exc=CampaignTermsError,
			)

	def supplier_items(self) -> dict:
		return {row.item_code: row for row in self.items}

	# -- lifecycle, driven by the County SMC Manager and then by the ERPNext documents
	# (the steps and who takes each: agri_coop.purchasing.campaign_state)

	@frappe.whitelist()
	def open_campaign(self):
		take_step(self, OPEN, opened_at=now_datetime())

	@frappe.whitelist()
	def close_campaign(self):
		"""Stop taking orders and consolidate them into Purchase and Sales Orders."""
		check_manager()
		return close_campaign(self.name)

	@frappe.whitelist()
	def consolidate(self):
		"""Run (or finish) the consolidation of a closed campaign; creates nothing twice."""
		check_manager()
		check_closed(self.name, self.campaign_state)  # here, not in a job that fails unseen
		start_consolidation(self.name)


def offer_terms(campaign) -> list[tuple]:
	numeric = {"purchase_rate", "sale_price", "min_qty", "max_qty"}
	return [
		tuple(flt(row.get(f), 6) if f in numeric else row.get(f) for f in OFFER_FIELDS)
		for row in campaign.items
	]
