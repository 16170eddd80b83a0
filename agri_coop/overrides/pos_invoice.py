"""POS Invoice: the app's hooks (hooks.py doc_events): traced inputs leave a warehouse on
Delivery Notes only (agri_coop.traceability.batches)."""

from agri_coop.traceability.batches import refuse_traced_inputs_on_invoice as validate

__all__ = ["validate"]
