"""Delivery Note: the app's hooks (hooks.py doc_events): those of every campaign document
(overrides/campaign_document.py); the campaign's state follows its deliveries."""

from agri_coop.overrides.campaign_document import before_cancel, follow_campaign_state
from agri_coop.overrides.campaign_document import before_submit as campaign_before_submit
from agri_coop.overrides.campaign_document import before_validate as campaign_before_validate
from agri_coop.traceability.batches import (
	assign_batches,
	drop_default_batches,
	note_typed_batches,
	refuse_recalled_delivery,
)
from agri_coop.traceability.real_name import check_station_sale

on_cancel = follow_campaign_state


def before_validate(doc, method=None):
	campaign_before_validate(doc, method)
	note_typed_batches(doc, method)


def validate(doc, method=None):
	# batches, real-name pesticides and recalled batches (agri_coop.traceability)
	drop_default_batches(doc, method)
	check_station_sale(doc, method)
	refuse_recalled_delivery(doc, method)


def before_submit(doc, method=None):
	campaign_before_submit(doc, method)
	assign_batches(doc, method)  # batch items leave with first-expiring batches


def on_submit(doc, method=None):
	refuse_recalled_delivery(doc, method)  # the batches ERPNext picked itself on submit
	follow_campaign_state(doc, method)


__all__ = ["before_cancel", "before_submit", "before_validate", "on_cancel", "on_submit", "validate"]
