"""Sales Invoice: the app's hooks (hooks.py doc_events): those of every campaign document
(overrides/campaign_document.py)."""

from agri_coop.overrides.campaign_document import before_cancel, before_submit, before_validate

__all__ = ["before_cancel", "before_submit", "before_validate"]
