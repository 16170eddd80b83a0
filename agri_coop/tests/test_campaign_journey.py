"""The group purchase end to end (seed 000): whitelist → campaign → village orders → close →
ERPNext Purchase and Sales Orders → receipt → delivery → invoices → payments."""

from collections import defaultdict

import frappe
import pytest
from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
from erpnext.buying.doctype.purchase_order.purchase_order import make_purchase_receipt
from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice
from erpnext.stock.doctype.purchase_receipt.purchase_receipt import make_purchase_invoice
from frappe.utils import flt

from agri_coop.purchasing.consolidation import consolidate_campaign
from agri_coop.purchasing.doctype.campaign_order.campaign_order import (
	CampaignClosedError,
	CampaignOrderError,
	PriceTamperingError,
)
from agri_coop.tests.campaign_factories import ITEMS, STATION, create_campaign, create_order
from agri_coop.tests.utils import (
	LINYUAN,
	SMC_USER,
	TOWN_USER,
	XINMINBAO,
	ZHAOJUN_VILLAGE,
	as_user,
	create_member,
)

UREA, FILM = list(ITEMS)


@pytest.fixture
def campaign():
	return create_campaign()


@pytest.fixture
def ordered_campaign(campaign):
	"""Orders from three villages in two towns, then the close."""
	orders = [
		create_order(campaign.name, XINMINBAO, [(None, UREA, 10), (None, UREA, 5), (None, FILM, 4)]),
		create_order(campaign.name, LINYUAN, [(None, UREA, 7), (None, FILM, 3)]),
		create_order(campaign.name, ZHAOJUN_VILLAGE, [(None, FILM, 20)]),
	]
	with as_user(SMC_USER):
		frappe.get_doc("Purchase Campaign", campaign.name).close_campaign()
	campaign.reload()
	return campaign, orders


def campaign_documents(doctype, campaign):
	return frappe.get_all(doctype, {"agri_coop_campaign": campaign, "docstatus": 1}, pluck="name")


def test_close_makes_one_po_per_supplier_and_one_so_per_village(ordered_campaign):
	campaign, orders = ordered_campaign
	assert campaign.campaign_state == "Ordered"
	lines = [line for order in orders for line in order.lines]

	sales_orders = {
		frappe.db.get_value("Sales Order", so, "agri_coop_cooperative"): frappe.get_doc("Sales Order", so)
		for so in campaign_documents("Sales Order", campaign.name)
	}
	assert set(sales_orders) == {XINMINBAO, LINYUAN, ZHAOJUN_VILLAGE}
	for order in orders:
		so = sales_orders[order.cooperative]
		assert so.customer == frappe.db.get_value("Cooperative", order.cooperative, "customer")
		assert flt(so.grand_total, 2) == flt(sum(line.amount for line in order.lines), 2)
		assert {i.item_code: (i.qty, i.rate) for i in so.items} == {
			code: (sum(line.qty for line in order.lines if line.item_code == code), ITEMS[code][2])
			for code in {line.item_code for line in order.lines}
		}

	purchase_orders = {
		frappe.db.get_value("Purchase Order", po, "supplier"): frappe.get_doc("Purchase Order", po)
		for po in campaign_documents("Purchase Order", campaign.name)
	}
	assert set(purchase_orders) == {ITEMS[UREA][0], ITEMS[FILM][0]}
	for code, (supplier, cost, _) in ITEMS.items():
		po = purchase_orders[supplier]
		total = sum(line.qty for line in lines if line.item_code == code)
		assert [(i.item_code, i.qty, i.rate) for i in po.items] == [(code, total, cost)]
		assert po.items[0].warehouse == frappe.db.get_value("Service Station", STATION, "warehouse")


def test_every_member_line_traces_to_its_po_and_so_lines(ordered_campaign):
	_campaign, orders = ordered_campaign
	for order in orders:
		for line in frappe.get_doc("Campaign Order", order.name).lines:
			so_item = frappe.db.get_value(
				"Sales Order Item", line.sales_order_item, ["parent", "item_code"], as_dict=True
			)
			po_item = frappe.db.get_value(
				"Purchase Order Item", line.purchase_order_item, ["parent", "item_code"], as_dict=True
			)
			assert so_item.parent == line.sales_order and so_item.item_code == line.item_code
			assert po_item.parent == line.purchase_order and po_item.item_code == line.item_code


def test_closing_again_creates_nothing(ordered_campaign):
	campaign, _ = ordered_campaign
	before = (
		len(campaign_documents("Sales Order", campaign.name)),
		len(campaign_documents("Purchase Order", campaign.name)),
	)
	assert consolidate_campaign(campaign.name) == {"Sales Order": [], "Purchase Order": []}
	with as_user(SMC_USER):
		frappe.get_doc("Purchase Campaign", campaign.name).close_campaign()
	after = (
		len(campaign_documents("Sales Order", campaign.name)),
		len(campaign_documents("Purchase Order", campaign.name)),
	)
	assert before == after == (3, 2)


def test_full_erpnext_flow_balances_and_campaign_follows(ordered_campaign):
	campaign, _ = ordered_campaign
	vouchers = []
	for po in campaign_documents("Purchase Order", campaign.name):
		with as_user("warehouse@dalate.demo"):
			receipt = make_purchase_receipt(po)
			receipt.insert()
			receipt.submit()
		assert receipt.agri_coop_campaign == campaign.name
		invoice = make_purchase_invoice(receipt.name)
		invoice.bill_no, invoice.bill_date = f"FP-{po}", invoice.posting_date
		invoice.insert()
		invoice.submit()
		payment = get_payment_entry("Purchase Invoice", invoice.name)
		payment.reference_no, payment.reference_date = "BANK-1", payment.posting_date
		payment.insert()
		payment.submit()
		vouchers += [receipt, invoice, payment]
	assert frappe.db.get_value("Purchase Campaign", campaign.name, "campaign_state") == "Received"

	for so in campaign_documents("Sales Order", campaign.name):
		delivery = make_delivery_note(so)
		delivery.insert()
		delivery.submit()
		assert (delivery.agri_coop_campaign, delivery.agri_coop_cooperative) == (
			campaign.name,
			frappe.db.get_value("Sales Order", so, "agri_coop_cooperative"),
		)
		invoice = make_sales_invoice(delivery.name)
		invoice.insert()
		invoice.submit()
		payment = get_payment_entry("Sales Invoice", invoice.name)
		payment.reference_no, payment.reference_date = "BANK-2", payment.posting_date
		payment.insert()
		payment.submit()
		vouchers += [delivery, invoice, payment]
	assert frappe.db.get_value("Purchase Campaign", campaign.name, "campaign_state") == "Delivered"

	for voucher in vouchers:
		entries = frappe.get_all(
			"GL Entry", {"voucher_no": voucher.name, "is_cancelled": 0}, ["debit", "credit"]
		)
		assert entries, voucher.name
		assert flt(sum(e.debit for e in entries), 2) == flt(sum(e.credit for e in entries), 2), voucher.name

	warehouse = frappe.db.get_value("Service Station", STATION, "warehouse")
	moved = defaultdict(lambda: [0.0, 0.0])
	for sle in frappe.get_all(
		"Stock Ledger Entry",
		{"warehouse": warehouse, "is_cancelled": 0, "item_code": ("in", list(ITEMS))},
		["item_code", "actual_qty", "voucher_type"],
	):
		moved[sle.item_code][0 if sle.actual_qty > 0 else 1] += abs(sle.actual_qty)
	for code in ITEMS:
		received, delivered = moved[code]
		on_hand = flt(frappe.db.get_value("Bin", {"item_code": code, "warehouse": warehouse}, "actual_qty"))
		assert received == delivered + on_hand
		assert received > 0 and on_hand == 0


def test_order_after_close_is_refused(ordered_campaign):
	campaign, _ = ordered_campaign
	with pytest.raises(CampaignClosedError):
		create_order(campaign.name, XINMINBAO, [(None, UREA, 1)])


def test_changed_price_is_refused(campaign):
	member = create_member(XINMINBAO, state="Active").name
	with pytest.raises(PriceTamperingError, match="uniform price"):
		create_order(campaign.name, XINMINBAO, [(member, UREA, 2, 99.0)])
	order = create_order(campaign.name, XINMINBAO, [(member, UREA, 2, ITEMS[UREA][2])])
	assert order.lines[0].amount == 2 * ITEMS[UREA][2]


def test_member_of_another_village_is_refused(campaign):
	stranger = create_member(LINYUAN, state="Active").name
	with pytest.raises(CampaignOrderError, match="not to the ordering village"):
		create_order(campaign.name, XINMINBAO, [(stranger, UREA, 2)])


def test_dealers_order_on_the_same_terms(campaign):
	from agri_coop.utils.uscc import make_uscc

	dealer = create_member(
		XINMINBAO,
		member_type="Dealer",
		member_name="原农资经销商",
		state="Active",
		id_number_entry=make_uscc("92150621MA0D00001"),
	).name
	order = create_order(campaign.name, XINMINBAO, [(dealer, UREA, 50)])
	assert order.lines[0].rate == ITEMS[UREA][2]


def test_campaign_terms_are_fixed_once_open(campaign):
	from agri_coop.purchasing.doctype.purchase_campaign.purchase_campaign import CampaignTermsError

	campaign.items[0].sale_price = 1
	with pytest.raises(CampaignTermsError):
		campaign.save()


def test_only_county_manager_opens_and_closes():
	campaign = create_campaign(open_it=False)
	with as_user(TOWN_USER), pytest.raises(frappe.PermissionError):
		campaign.open_campaign()


def test_town_user_sees_only_their_towns_orders(campaign):
	create_order(campaign.name, XINMINBAO, [(None, UREA, 1)])
	create_order(campaign.name, ZHAOJUN_VILLAGE, [(None, UREA, 1)])
	with as_user(TOWN_USER):
		towns = set(frappe.get_list("Campaign Order", {"campaign": campaign.name}, pluck="town"))
	assert towns == {frappe.db.get_value("Cooperative", XINMINBAO, "town")}
