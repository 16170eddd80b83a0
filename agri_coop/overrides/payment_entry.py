"""Payment Entry: the app's hooks (wired in hooks.py doc_events), each calling the rule where it lives:
- a campaign's documents are made and cancelled by its flows and step owners only (campaign_guard);
- a settlement's paid / due follow payments against its entry (settlement_payments);
"""

from agri_coop.overrides.campaign_guard import guard_campaign_cancel, guard_campaign_document
from agri_coop.overrides.settlement_payments import update_settlement_payments


def before_validate(doc, method=None):
	guard_campaign_document(doc, method)


def before_cancel(doc, method=None):
	guard_campaign_cancel(doc, method)


def on_submit(doc, method=None):
	update_settlement_payments(doc, method)


def on_cancel(doc, method=None):
	update_settlement_payments(doc, method)
