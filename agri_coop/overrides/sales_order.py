"""Sales Order: the app's hooks (wired in hooks.py doc_events), each calling the rule where it lives:
- a campaign's documents are made and cancelled by its flows and step owners only (campaign_guard);
- nothing of a settled campaign is submitted or cancelled (settlement_freeze);
"""

from agri_coop.overrides.campaign_guard import guard_campaign_cancel, guard_campaign_document
from agri_coop.overrides.settlement_freeze import refuse_cancel_when_settled, refuse_submit_when_settled


def before_validate(doc, method=None):
	guard_campaign_document(doc, method)


def before_submit(doc, method=None):
	refuse_submit_when_settled(doc, method)


def before_cancel(doc, method=None):
	refuse_cancel_when_settled(doc, method)
	guard_campaign_cancel(doc, method)
