"""Batch: the app's hooks (hooks.py doc_events): the public trace token of the batch's QR code
(agri_coop.traceability.batches)."""

from agri_coop.traceability.batches import set_trace_token


def before_insert(doc, method=None):
	set_trace_token(doc, method)
