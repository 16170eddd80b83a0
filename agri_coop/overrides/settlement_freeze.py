"""A settled campaign is frozen (README "How it is built": Settlement).

While a submitted Campaign Settlement exists for a campaign, its documents keep the figures
the settlement was computed from: cancelling (and so amending) its Campaign Orders and the
ERPNext documents it produced (Purchase / Sales Orders, Purchase Receipts, Delivery Notes,
Purchase / Sales Invoices) is refused, and so are its cost vouchers (Journal Entries and
Landed Cost Vouchers tagged with it); no new such document (a return, a credit note, a late
cost, an amendment) may be submitted for it either. Cancel the settlement first. The
settlement's own Journal Entry is exempt: the settlement posts and cancels it. Wired in
hooks.py (doc_events before_submit / before_cancel).
"""

import frappe

from agri_coop.utils.messages import Msg, throw


def campaign_of(doc) -> str | None:
	if doc.doctype == "Campaign Order":
		return doc.get("campaign")
	return doc.get("agri_coop_campaign")


def settlement_of(doc) -> str | None:
	"""The submitted settlement that freezes `doc`'s campaign, if any."""
	campaign = campaign_of(doc)
	if not campaign or doc.get("agri_coop_settlement"):
		return None
	return frappe.db.get_value("Campaign Settlement", {"campaign": campaign, "docstatus": 1}, "name")


def refuse_cancel_when_settled(doc, method=None):
	from agri_coop.settlement.doctype.campaign_settlement.campaign_settlement import CampaignSettledError

	settlement = settlement_of(doc)
	if settlement:
		throw(
			"Campaign {0} is settled ({1}): {2} {3} can no longer be cancelled or amended; cancel the settlement first",
			campaign_of(doc),
			settlement,
			Msg(doc.doctype),
			doc.name,
			exc=CampaignSettledError,
		)


def refuse_submit_when_settled(doc, method=None):
	from agri_coop.settlement.doctype.campaign_settlement.campaign_settlement import CampaignSettledError

	settlement = settlement_of(doc)
	if settlement:
		throw(
			"Campaign {0} is settled ({1}): no new {2} can be submitted for it; cancel the settlement first",
			campaign_of(doc),
			settlement,
			Msg(doc.doctype),
			exc=CampaignSettledError,
		)
