"""Journal Entry: the app's hooks (hooks.py doc_events): those of every campaign document
(overrides/campaign_document.py); paid / due on a settlement follow the payments against its entry (settlement_payments);
a subsidy payment's entry is made by its tranche only, and cancelling it un-pays the tranche (subsidies/payments)."""

from agri_coop.overrides.campaign_document import before_cancel, before_submit
from agri_coop.overrides.campaign_document import before_validate as campaign_before_validate
from agri_coop.overrides.settlement_payments import update_settlement_payments
from agri_coop.subsidies.payments import guard_subsidy_entry, on_journal_entry_cancel

on_submit = update_settlement_payments


def before_validate(doc, method=None):
	campaign_before_validate(doc, method)
	guard_subsidy_entry(doc, method)


def on_cancel(doc, method=None):
	update_settlement_payments(doc, method)
	on_journal_entry_cancel(doc, method)  # a subsidy tranche it paid is unpaid again


__all__ = ["before_cancel", "before_submit", "before_validate", "on_cancel", "on_submit"]
