"""Sales Order: the app's hooks (hooks.py doc_events): those of every campaign document
(overrides/campaign_document.py); and the class (hooks.py override_doctype_class), which lets
a campaign's consolidation recompute the station bins' reserved qty once instead of after
every one of its orders."""

from erpnext.selling.doctype.sales_order.sales_order import SalesOrder as ERPNextSalesOrder

from agri_coop.overrides.campaign_document import before_cancel, before_submit, before_validate

__all__ = ["DEFER_RESERVED_QTY", "SalesOrder", "before_cancel", "before_submit", "before_validate"]

# Set on an order's flags by consolidation (agri_coop.purchasing.consolidation).
DEFER_RESERVED_QTY = "agri_coop_defer_reserved_qty"


class SalesOrder(ERPNextSalesOrder):
	def update_reserved_qty(self, so_item_rows=None):
		# Consolidation submits hundreds of orders against the same few station bins, and each
		# recomputation sums every open order of the item: it defers it and recomputes each bin
		# once when its orders are in (consolidation.update_reserved_qty), the same figure.
		if self.flags.get(DEFER_RESERVED_QTY):
			return
		super().update_reserved_qty(so_item_rows)
