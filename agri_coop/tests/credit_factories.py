"""Factories for the credit tests: a bank, members with lines, a campaign bought partly on
credit and taken to its invoices (the builders of agri_coop.demo.credit)."""

import frappe
from erpnext.buying.doctype.purchase_order.purchase_order import make_purchase_receipt
from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice
from frappe.utils import add_days, nowdate

from agri_coop.demo import builders
from agri_coop.demo.credit import BANK, create_credit_line, create_partner_bank
from agri_coop.tests.campaign_factories import ITEMS, create_campaign
from agri_coop.tests.utils import SMC_USER, XINMINBAO, as_user, create_member

UREA, FILM = list(ITEMS)  # 120.00 and 36.50 a unit
TEST_BANK = "测试农商银行"


def bank(name: str = TEST_BANK, **values) -> str:
	return create_partner_bank(name, **values)


def member_with_line(limit: float, cooperative: str = XINMINBAO, bank_name: str = TEST_BANK, **values):
	member = create_member(
		cooperative, state="Active", member_name=values.pop("member_name", "赊购社员")
	).name
	line = create_credit_line(
		member,
		bank_name,
		limit,
		valid_from=values.pop("valid_from", add_days(nowdate(), -30)),
		valid_to=values.pop("valid_to", add_days(nowdate(), 300)),
		**values,
	)
	return member, line


def credit_row(member: str, item: str, qty: float, credit_line: str | None = None, mode: str = "On Credit"):
	return {"member": member, "item_code": item, "qty": qty, "payment_mode": mode, "credit_line": credit_line}


def order(campaign: str, rows: list[dict], cooperative: str = XINMINBAO, submit: bool = True):
	return builders.create_order(campaign, cooperative, rows, submit)


def invoice_campaign(campaign: str) -> dict[str, str]:
	"""Close the campaign, deliver and invoice every village: {co-op: Sales Invoice}."""
	with as_user(SMC_USER):
		frappe.get_doc("Purchase Campaign", campaign).close_campaign()
	for po in frappe.get_all(
		"Purchase Order", {"agri_coop_campaign": campaign, "docstatus": 1}, pluck="name"
	):
		receipt = make_purchase_receipt(po)
		receipt.insert()
		receipt.submit()
	invoices = {}
	for so in frappe.get_all(
		"Sales Order", {"agri_coop_campaign": campaign, "docstatus": 1}, ["name", "agri_coop_cooperative"]
	):
		delivery = make_delivery_note(so.name)
		delivery.insert()
		delivery.submit()
		invoice = make_sales_invoice(delivery.name)
		invoice.insert()
		invoice.submit()
		invoices[so.agri_coop_cooperative] = invoice.name
	return invoices


__all__ = ["BANK", "FILM", "UREA", "create_campaign", "create_credit_line"]
