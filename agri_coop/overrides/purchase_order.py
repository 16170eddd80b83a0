"""Purchase Order: one made for a campaign buys only from actively whitelisted suppliers.

DESIGN.md "Suppliers": no Purchase Order made for a campaign may use a supplier that is
not actively whitelisted for that item on that date. A Purchase Order is made for a
campaign when its custom field `agri_coop_campaign` is set; other purchase orders of the
county SMC are left alone. Wired in hooks.py:

	doc_events = {"Purchase Order": {"validate": "agri_coop.overrides.purchase_order.validate_purchase_order"}}
"""

from agri_coop.purchasing.whitelist import SupplierNotWhitelistedError, assert_whitelisted
from agri_coop.utils.messages import Msg, throw


def validate_purchase_order(doc, method=None):
	if not doc.get("agri_coop_campaign"):
		return
	if not doc.get("supplier"):
		throw(
			"Field {0} is required on a purchase order for campaign {1}",
			Msg("Supplier"),
			doc.get("agri_coop_campaign"),
			exc=SupplierNotWhitelistedError,
		)
	admitted = set()  # a consolidated order often has several rows of the same item
	for row in doc.get("items") or []:
		if not row.get("item_code") or row.item_code in admitted:
			continue
		assert_whitelisted(doc.supplier, row.item_code, doc.transaction_date, row_label=row.idx)
		admitted.add(row.item_code)
