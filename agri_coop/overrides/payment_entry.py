"""Payment Entry: the app's hooks (hooks.py doc_events): a campaign's payments are made and
cancelled by its flows and step owners only (campaign_guard); paid / due on a settlement follow
the payments against its entry (settlement_payments)."""

from agri_coop.finance.closed_loop import guard_bank_payment, guard_bank_payment_cancel
from agri_coop.overrides.campaign_guard import guard_campaign_cancel, guard_campaign_document
from agri_coop.overrides.settlement_payments import update_settlement_payments


def before_validate(doc, method=None):
	guard_campaign_document(doc, method)
	guard_bank_payment(doc, method)  # a loan's payment is the closed-loop flow's (agri_coop.finance)


def before_cancel(doc, method=None):
	guard_campaign_cancel(doc, method)
	guard_bank_payment_cancel(doc, method)


on_submit = on_cancel = update_settlement_payments
