"""Delivery Note: the app's hooks (hooks.py doc_events): those of every campaign document
(overrides/campaign_document.py); the campaign's state follows its deliveries."""

from agri_coop.overrides.campaign_document import (
	before_cancel,
	before_submit,
	before_validate,
	follow_campaign_state,
)

on_submit = on_cancel = follow_campaign_state

__all__ = ["before_cancel", "before_submit", "before_validate", "on_cancel", "on_submit"]
