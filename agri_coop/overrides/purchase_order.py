"""Purchase Order: the app's hooks (hooks.py doc_events): those of every campaign document
(overrides/campaign_document.py); a campaign's order buys only from whitelisted suppliers (purchasing.whitelist)."""

from agri_coop.overrides.campaign_document import before_cancel, before_submit, before_validate
from agri_coop.purchasing.whitelist import validate_purchase_order as validate

__all__ = ["before_cancel", "before_submit", "before_validate", "validate"]
