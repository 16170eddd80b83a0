"""Sales Invoice: the app's hooks (hooks.py doc_events): those of every campaign document
(overrides/campaign_document.py); traced inputs leave a warehouse on Delivery Notes only."""

from agri_coop.overrides.campaign_document import before_cancel, before_submit, before_validate
from agri_coop.traceability.batches import refuse_traced_inputs_on_invoice as validate

__all__ = ["before_cancel", "before_submit", "before_validate", "validate"]
