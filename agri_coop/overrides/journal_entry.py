"""Journal Entry: the app's hooks (wired in hooks.py doc_events), each calling the rule where it lives:
- a campaign's documents are made and cancelled by its flows and step owners only (campaign_guard);
- nothing of a settled campaign is submitted or cancelled (settlement_freeze);
- a settlement's paid / due follow payments against its entry (settlement_payments);
"""

from agri_coop.overrides.campaign_guard import guard_campaign_cancel, guard_campaign_document
from agri_coop.overrides.settlement_freeze import refuse_cancel_when_settled, refuse_submit_when_settled
from agri_coop.overrides.settlement_payments import update_settlement_payments


def before_validate(doc, method=None):
	guard_campaign_document(doc, method)


def before_submit(doc, method=None):
	refuse_submit_when_settled(doc, method)


def before_cancel(doc, method=None):
	refuse_cancel_when_settled(doc, method)
	guard_campaign_cancel(doc, method)


def on_submit(doc, method=None):
	update_settlement_payments(doc, method)


def on_cancel(doc, method=None):
	update_settlement_payments(doc, method)
