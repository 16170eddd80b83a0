"""Journal Entry: the app's hooks (hooks.py doc_events): those of every campaign document
(overrides/campaign_document.py); paid / due on a settlement follow the payments against its entry (settlement_payments)."""

from agri_coop.overrides.campaign_document import before_cancel, before_submit, before_validate
from agri_coop.overrides.settlement_payments import update_settlement_payments
from agri_coop.subsidies.payments import on_journal_entry_cancel

on_submit = update_settlement_payments


def on_cancel(doc, method=None):
	update_settlement_payments(doc, method)
	on_journal_entry_cancel(doc, method)  # a subsidy tranche it paid is unpaid again

__all__ = ["before_cancel", "before_submit", "before_validate", "on_cancel", "on_submit"]
