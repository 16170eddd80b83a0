"""Payment Entry: the app's hooks (hooks.py doc_events): a campaign's payments are made and
cancelled by its flows and step owners only (campaign_guard); paid / due on a settlement follow
the payments against its entry (settlement_payments)."""

from agri_coop.overrides.campaign_guard import guard_campaign_cancel, guard_campaign_document
from agri_coop.overrides.settlement_payments import update_settlement_payments

before_validate = guard_campaign_document
before_cancel = guard_campaign_cancel
on_submit = on_cancel = update_settlement_payments
