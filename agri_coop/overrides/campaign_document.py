"""The hooks every ERPNext document of a campaign shares (imported by the per-DocType files):
- before_validate: a campaign's documents are made by its flows and step owners only
  (campaign_guard);
- before_submit / before_cancel: nothing of a settled campaign is submitted or cancelled
  (settlement_freeze), and only the step's owners cancel (campaign_guard);
- follow_campaign_state (receipts, deliveries): the campaign's state follows them."""

from agri_coop.overrides.campaign_guard import guard_campaign_cancel, guard_campaign_document
from agri_coop.overrides.settlement_freeze import refuse_cancel_when_settled, refuse_submit_when_settled
from agri_coop.purchasing.campaign_state import update_campaign_state


def before_validate(doc, method=None):
	guard_campaign_document(doc, method)


def before_submit(doc, method=None):
	refuse_submit_when_settled(doc, method)


def before_cancel(doc, method=None):
	refuse_cancel_when_settled(doc, method)
	guard_campaign_cancel(doc, method)


def follow_campaign_state(doc, method=None):
	update_campaign_state(doc.get("agri_coop_campaign"))
