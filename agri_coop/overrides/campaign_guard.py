"""Who makes, submits and cancels the ERPNext documents of a campaign (README "Security model":
ERPNext documents and roles).

A document is a campaign's when it is tagged with the campaign (`agri_coop_campaign`) or a
settlement (`agri_coop_settlement`), when it is made from a campaign's order, or (Payment
Entry, Journal Entry) when it pays one of the campaign's documents. Such a document counts
in the campaign's state and settlement, so a hand-made one is refused:

- Sales and Purchase Orders are made only by consolidation, and the settlement's Journal
  Entries only by the settlement (both set the APP_FLOW flag on the document); the county
  SMC manager may cancel an order (to amend the campaign), the settlement's entries are
  reversed only by cancelling the settlement;
- receipts and deliveries belong to the warehouse staff, invoices, payments and cost
  vouchers to the accountants; the county SMC manager (and System Manager) may do either;
- a receipt, delivery or invoice tagged with a campaign is made from that campaign's own
  orders, row by row, for the co-op of the order; one made from a campaign's order carries
  that campaign.

Wired in hooks.py (doc_events before_validate and before_cancel).
"""

import frappe
from frappe.query_builder import DocType

from agri_coop.constants.roles import COOP_ACCOUNTANT, COUNTY_SMC_MANAGER, WAREHOUSE_STAFF
from agri_coop.purchasing.campaign_documents import SOURCE_ORDER, app_orders
from agri_coop.utils.messages import Msg, throw

# Set on a document's flags by the app's own flows (consolidation, settlement).
APP_FLOW = "agri_coop_flow"

RECEIVE_DELIVER = (WAREHOUSE_STAFF, COUNTY_SMC_MANAGER, "System Manager")
INVOICE_PAY = (COOP_ACCOUNTANT, COUNTY_SMC_MANAGER, "System Manager")
# DocType -> roles that may make and submit it by hand for a campaign (none: only the app)
MAKERS = {
	"Sales Order": (),
	"Purchase Order": (),
	"Purchase Receipt": RECEIVE_DELIVER,
	"Delivery Note": RECEIVE_DELIVER,
	"Sales Invoice": INVOICE_PAY,
	"Purchase Invoice": INVOICE_PAY,
	"Journal Entry": INVOICE_PAY,
	"Payment Entry": INVOICE_PAY,
	"Landed Cost Voucher": INVOICE_PAY,
}
# Orders are cancelled (to be consolidated again) by the county SMC manager.
CANCELLERS = {
	"Sales Order": (COUNTY_SMC_MANAGER, "System Manager"),
	"Purchase Order": (COUNTY_SMC_MANAGER, "System Manager"),
}


class CampaignDocumentError(frappe.PermissionError):
	pass


class CampaignSourceError(frappe.ValidationError):
	pass


def is_app_flow(doc) -> bool:
	return bool(doc.flags.get(APP_FLOW))


def campaign_tag(doc) -> str | None:
	"""The campaign or settlement `doc` belongs to, if any."""
	if doc.get("agri_coop_settlement"):
		return doc.agri_coop_settlement
	if doc.get("agri_coop_campaign"):
		return doc.agri_coop_campaign
	if doc.doctype in ("Payment Entry", "Journal Entry"):
		return paid_campaign_document(doc)
	return None


def paid_campaign_document(doc) -> str | None:
	"""For a payment: the campaign or settlement of the first document it pays, if any."""
	if doc.doctype == "Payment Entry":
		refs = [(r.reference_doctype, r.reference_name) for r in doc.get("references") or []]
	else:
		refs = [(r.reference_type, r.reference_name) for r in doc.get("accounts") or []]
	for ref_doctype, ref_name in refs:
		if not ref_name or ref_doctype not in (
			"Sales Invoice",
			"Purchase Invoice",
			"Journal Entry",
			"Sales Order",
			"Purchase Order",
		):
			continue
		fields = ["agri_coop_campaign"] + (["agri_coop_settlement"] if ref_doctype == "Journal Entry" else [])
		values = frappe.db.get_value(ref_doctype, ref_name, fields, as_dict=True) or {}
		tag = values.get("agri_coop_settlement") or values.get("agri_coop_campaign")
		if tag:
			return tag
	return None


def has_any_role(roles) -> bool:
	return bool(set(roles) & set(frappe.get_roles()))


def guard_campaign_document(doc, method=None):
	"""before_validate: making or submitting a campaign's document."""
	if doc.doctype in SOURCE_ORDER:
		check_source_orders(doc)
	if is_app_flow(doc):
		return
	tag = campaign_tag(doc)
	if not tag:
		return
	if doc.get("agri_coop_settlement"):
		throw(
			"{0} {1} belongs to settlement {2}: only the settlement posts and reverses it",
			Msg(doc.doctype),
			doc.name,
			doc.agri_coop_settlement,
			exc=CampaignDocumentError,
		)
	if not has_any_role(MAKERS[doc.doctype]):
		refuse(doc, tag)


def guard_campaign_cancel(doc, method=None):
	"""before_cancel: only the app's flows and the step's owners cancel a campaign's document."""
	if is_app_flow(doc):
		return
	tag = campaign_tag(doc)
	if not tag:
		return
	if doc.get("agri_coop_settlement"):
		throw(
			"{0} {1} belongs to settlement {2}: cancel the settlement to reverse it",
			Msg(doc.doctype),
			doc.name,
			doc.agri_coop_settlement,
			exc=CampaignDocumentError,
		)
	if not has_any_role(CANCELLERS.get(doc.doctype) or MAKERS[doc.doctype]):
		refuse(doc, tag)


def refuse(doc, tag):
	if not MAKERS[doc.doctype]:
		throw(
			"{0} of campaign {1} are made by the campaign's consolidation only, not by hand",
			Msg(doc.doctype),
			tag,
			exc=CampaignDocumentError,
		)
	throw(
		"{0} {1} is a document of campaign {2}: your role may not make, submit or cancel it",
		Msg(doc.doctype),
		doc.name,
		tag,
		exc=CampaignDocumentError,
	)


def check_source_orders(doc):
	"""A receipt, delivery or invoice of a campaign comes from that campaign's own orders,
	for the order's co-op; one made from a campaign's order carries that campaign."""
	_item_doctype, order_field, order_doctype = SOURCE_ORDER[doc.doctype]
	sources = {row.get(order_field) for row in doc.get("items") or [] if row.get(order_field)}
	campaign = doc.get("agri_coop_campaign")
	if sources:
		Order = DocType(order_doctype)
		fields = [Order.name, Order.agri_coop_campaign]
		if order_doctype == "Sales Order":
			fields.append(Order.agri_coop_cooperative)
		tagged = {
			row[0]: row[1:]
			for row in frappe.qb.from_(Order).select(*fields).where(Order.name.isin(list(sources))).run()
			if row[1]
		}
		for order, (order_campaign, *cooperative) in tagged.items():
			if order_campaign != campaign:
				throw(
					"{0} {1} is an order of campaign {2}: what is made from it belongs to that campaign",
					Msg(order_doctype),
					order,
					order_campaign,
					exc=CampaignSourceError,
				)
			if cooperative and doc.get("agri_coop_cooperative") != cooperative[0]:
				throw(
					"{0} {1} is for co-op {2}: what is made from it is for that co-op too",
					Msg(order_doctype),
					order,
					cooperative[0],
					exc=CampaignSourceError,
				)
	if not campaign:
		return
	own = set(app_orders(campaign, order_doctype))
	for row in doc.get("items") or []:
		if row.get(order_field) not in own:
			throw(
				"{0} row {1}: a document of campaign {2} is made from the campaign's own {3} only",
				Msg(doc.doctype),
				row.idx,
				campaign,
				Msg(order_doctype),
				exc=CampaignSourceError,
			)
