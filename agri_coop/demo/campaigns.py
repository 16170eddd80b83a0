"""Demo campaigns of the seed's timetable (seed 000 §三): a trial in the first-batch towns
(2023-09) and the county-wide "2024 春耕备肥 第一期" (launched 2023-09-25), each taken
through orders, close, receipt, delivery, invoices and payments as ordinary ERPNext
documents. Idempotent: a campaign that exists is left as it is.

Each campaign goes on from the state it is in, and each step skips what is already done,
so a run that was interrupted half way (orders placed but not closed, received but not
delivered) is finished by the next one.

The documents carry the dates they would have had: each step runs with the clock set to
its day (freezegun, a dependency of the app), because the campaign rules themselves (orders
only while a campaign is open, delivery after the close) are checked against the clock.
"""

import random
from datetime import date, datetime, timedelta

import frappe
from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
from erpnext.buying.doctype.purchase_order.purchase_order import make_purchase_receipt
from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice
from erpnext.stock.doctype.purchase_receipt.purchase_receipt import make_purchase_invoice
from freezegun import freeze_time

from agri_coop.constants.cooperatives import TOWN, VILLAGE
from agri_coop.demo import masters
from agri_coop.demo.builders import create_campaign as build_campaign
from agri_coop.demo.builders import create_order
from agri_coop.demo.credit import disburse_campaign_credit, has_active_line
from agri_coop.purchasing.consolidation import close_campaign

STATION = "树林召镇供销合作服务站"
TRIAL = "2023 秋季试运营 第一批"
FULL = "2024 春耕备肥 第一期"
# item -> (supplier, purchase rate, uniform sale price); market prices are in demo.masters
OFFER = {
	masters.UREA: (masters.SINOCHEM, 108.0, 115.0),
	masters.DAP: (masters.YUNTIANHUA, 170.0, 182.0),
	masters.NPK: (masters.SINOCHEM, 128.0, 138.0),
	masters.MULCH_FILM: (masters.TIANRUN_FILM, 11800.0, 12600.0),
}
TRIAL_OFFER = {masters.UREA: OFFER[masters.UREA], masters.DAP: OFFER[masters.DAP]}
# (campaign, offer, towns, order window, delivery, receipt day, delivery day, payment day, trial cap)
CAMPAIGNS = (
	(
		TRIAL,
		TRIAL_OFFER,
		("树林召镇", "吉格斯太镇", "王爱召镇", "昭君镇"),
		(datetime(2023, 9, 11, 9), datetime(2023, 9, 15, 18)),
		date(2023, 9, 22),
		date(2023, 9, 20),
		date(2023, 9, 22),
		date(2023, 9, 28),
		60000,
	),
	(
		FULL,
		OFFER,
		None,
		(datetime(2023, 9, 25, 9), datetime(2023, 10, 31, 18)),
		date(2024, 3, 1),
		date(2024, 2, 26),
		date(2024, 3, 1),
		date(2024, 3, 15),
		0,
	),
)


def clock(moment):
	# a ticking clock: Frappe compares modified timestamps as text, microseconds included
	return freeze_time(moment + timedelta(microseconds=1), tick=True)


def load_demo_campaigns():
	ensure_fiscal_years(2023, 2026)
	for title, offer, towns, (opens, closes), delivery, received, delivered, paid, cap in CAMPAIGNS:
		if not frappe.db.exists("Purchase Campaign", title):
			create_campaign(title, offer, opens, closes, delivery, cap)
		campaign = frappe.get_doc("Purchase Campaign", title)
		if campaign.campaign_state == "Settled":
			continue
		if campaign.campaign_state == "Draft":
			with clock(opens):
				campaign.open_campaign()
		if campaign.campaign_state == "Open":
			if not campaign_documents("Campaign Order", title, "campaign"):
				with clock(opens + timedelta(hours=2)):
					place_orders(campaign, offer, towns, small=bool(cap))
			with clock(closes + timedelta(minutes=5)):
				close_campaign(title)
		with clock(datetime.combine(received, datetime.min.time()) + timedelta(hours=10)):
			receive_and_bill(title, received)
		with clock(datetime.combine(delivered, datetime.min.time()) + timedelta(hours=14)):
			deliver_and_invoice(title, delivered)
		with clock(datetime.combine(paid, datetime.min.time()) + timedelta(hours=10)):
			collect_payments(title, paid)


def ensure_fiscal_years(first: int, last: int):
	company = masters.company()
	for year in range(first, last + 1):
		if frappe.db.exists("Fiscal Year", {"year_start_date": f"{year}-01-01"}):
			continue
		frappe.get_doc(
			{
				"doctype": "Fiscal Year",
				"year": str(year),
				"year_start_date": f"{year}-01-01",
				"year_end_date": f"{year}-12-31",
				"companies": [{"company": company}],
			}
		).insert(ignore_permissions=True)


def create_campaign(title, offer, opens, closes, delivery, cap):
	with clock(opens - timedelta(days=1)):
		return build_campaign(
			title,
			offer,
			STATION,
			season=masters.DEMO_SEASON if not cap else "2023 秋季试运营",
			company=masters.company(),
			is_trial=1 if cap else 0,
			trial_amount_cap=cap,
			opens_on=opens,
			closes_on=closes,
			delivery_date=delivery,
			rebate_rate=80,
			accumulation_share=50,
			member_rebate_share=40,
			staff_reward_share=10,
		)


def place_orders(campaign, offer, towns, small: bool):
	"""Each participating village's purchasing department orders for some of its online members."""
	rng = random.Random(campaign.name)
	villages = frappe.get_all(
		"Cooperative", {"cooperative_type": VILLAGE, "disabled": 0}, ["name", "town"], order_by="lft"
	)
	if towns:
		town_names = {
			frappe.db.get_value("Cooperative", {"region_name": t, "cooperative_type": TOWN}) for t in towns
		}
		villages = [v for v in villages if v.town in town_names][:4]
	items = list(offer)
	for village in villages:
		members = frappe.get_all(
			"Coop Member", {"cooperative": village.name, "state": "Active"}, pluck="name", order_by="name"
		)
		if not members:
			continue
		chosen = rng.sample(members, min(len(members), 2 if small else 6))
		lines = []
		for member in chosen:
			for item in rng.sample(items, rng.randrange(1, min(3, len(items)) + 1)):
				qty = 1 if item == masters.MULCH_FILM else rng.randrange(5, 40 if not small else 15)
				lines.append(
					{
						"member": member,
						"item_code": item,
						"qty": qty,
						"payment_mode": "On Credit"
						if rng.random() < 0.3 and has_active_line(member)
						else "Pay Now",
					}
				)
		create_order(campaign.name, village.name, lines)


def campaign_documents(doctype, campaign, field="agri_coop_campaign", **filters):
	return frappe.get_all(
		doctype, {field: campaign, "docstatus": 1, **filters}, pluck="name", order_by="name"
	)


def on_day(doc, day):
	"""Post the document on its day of the timetable (and bill it due that day)."""
	doc.set_posting_time = 1
	doc.posting_date = day
	if doc.doctype in ("Sales Invoice", "Purchase Invoice"):
		doc.payment_schedule = []
		doc.due_date = day
	return doc


def receive_and_bill(campaign, day):
	for po in campaign_documents("Purchase Order", campaign, per_received=("<", 100)):
		receipt = on_day(make_purchase_receipt(po), day)
		receipt.insert(ignore_permissions=True)
		receipt.submit()
	for receipt in campaign_documents("Purchase Receipt", campaign, per_billed=("<", 100)):
		invoice = on_day(make_purchase_invoice(receipt), day)
		po = invoice.items[0].purchase_order
		invoice.bill_no, invoice.bill_date = f"{po}-FP", day
		invoice.insert(ignore_permissions=True)
		invoice.submit()


def deliver_and_invoice(campaign, day):
	for so in campaign_documents("Sales Order", campaign, per_delivered=("<", 100)):
		delivery = on_day(make_delivery_note(so), day)
		delivery.insert(ignore_permissions=True)
		delivery.submit()
	for delivery in campaign_documents("Delivery Note", campaign, per_billed=("<", 100)):
		invoice = on_day(make_sales_invoice(delivery), day)
		invoice.insert(ignore_permissions=True)
		invoice.submit()


def collect_payments(campaign, day):
	"""Suppliers are paid in full; most villages have paid the SMC, one still owes."""
	for invoice in campaign_documents("Purchase Invoice", campaign, outstanding_amount=(">", 0)):
		pay(get_payment_entry("Purchase Invoice", invoice), day)
	disburse_campaign_credit(campaign, day)  # the bank pays its members' credit parts first (受托支付)
	invoices = campaign_documents("Sales Invoice", campaign)
	still_owing = invoices[-1] if len(invoices) > 1 else None
	for invoice in campaign_documents("Sales Invoice", campaign, outstanding_amount=(">", 0)):
		if invoice != still_owing:
			pay(get_payment_entry("Sales Invoice", invoice), day)


def pay(payment, day):
	payment.posting_date = payment.reference_date = day
	payment.reference_no = f"DEMO-{payment.party}"[:140]
	payment.insert(ignore_permissions=True)
	payment.submit()
