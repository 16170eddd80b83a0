"""Demo of real-name pesticides and batch traceability (seed 001 §二 9 药肥双控; seeds 003/004
二维码轻追溯): a pesticide campaign "2024 春耕植保 第一期" for two villages of 树林召镇, its
pesticide received at the 树林召镇 station in two batches, delivered to the villages, given
to the members batch by batch (one receipt signed), and one batch recalled after a failed
spot check. Also the builders the tests use (pesticide items, batches, receipts in batches,
deliveries, distributions). Idempotent: each step skips what is done."""

from datetime import date, datetime, timedelta

import frappe
from erpnext.buying.doctype.purchase_order.purchase_order import make_purchase_receipt
from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
from frappe.utils import flt

from agri_coop.demo import masters
from agri_coop.demo.builders import create_campaign as build_campaign
from agri_coop.demo.builders import (
	create_item,
	create_item_group,
	create_order,
	create_supplier,
	create_whitelist,
)
from agri_coop.demo.campaigns import STATION, campaign_documents, clock, on_day
from agri_coop.demo.county import village_name
from agri_coop.purchasing.consolidation import close_campaign
from agri_coop.traceability.inputs import PESTICIDE
from agri_coop.traceability.trace import batch_totals

PESTICIDE_GROUP = "农药"
CAMPAIGN = "2024 春耕植保 第一期"
IMIDACLOPRID = "吡虫啉-10%WP"
SUPPLIER = "内蒙古绿丰农药有限公司"
# batch -> (producer batch no, manufacturing date, expiry date, quantity received)
BATCHES = {
	"LF-2024-0201": ("20240201", date(2024, 2, 1), date(2026, 2, 1), 60),
	"LF-2024-0301": ("20240301", date(2024, 3, 1), date(2026, 3, 1), None),  # the rest
}
RECALLED_BATCH = "LF-2024-0301"
RECALL_REASON = "旗农牧局抽检：有效成分含量低于标示值（不合格），全批召回"
VILLAGES = (village_name("树林召镇", "新民堡村"), village_name("树林召镇", "林原村"))
OPENS, CLOSES = datetime(2024, 3, 4, 9), datetime(2024, 3, 8, 18)
RECEIVED, DELIVERED, DISTRIBUTED, RECALLED = (
	date(2024, 3, 12),
	date(2024, 3, 15),
	date(2024, 3, 18),
	date(2024, 4, 2),
)


# -- builders (shared with the tests)


def create_pesticide(item_code: str, item_group: str = PESTICIDE_GROUP, category: str = PESTICIDE, **values):
	"""A pesticide item (batch- and expiry-tracked by the item rules) in a pesticide group."""
	if not frappe.db.exists("Item Group", item_group):
		create_item_group(
			item_group, masters.FARM_INPUTS if frappe.db.exists("Item Group", masters.FARM_INPUTS) else None
		)
		frappe.db.set_value("Item Group", item_group, "agri_coop_input_category", category)
	return create_item(
		item_code,
		item_group,
		stock_uom=values.pop("stock_uom", masters.BAG),
		agri_coop_input_category=category,
		agri_coop_registration_no=values.pop("registration_no", "PD20240001"),
		agri_coop_producer=values.pop("producer", "绿丰农化股份有限公司"),
		agri_coop_producer_licence=values.pop("producer_licence", "农药生许（蒙）0001"),
		**values,
	)


def create_batch(item_code: str, batch_id: str, expiry_date, **values):
	if frappe.db.exists("Batch", batch_id):
		return frappe.get_doc("Batch", batch_id)
	return frappe.get_doc(
		{
			"doctype": "Batch",
			"item": item_code,
			"batch_id": batch_id,
			"expiry_date": expiry_date,
			"agri_coop_inspection_result": values.pop("inspection_result", "Qualified"),
			**values,
		}
	).insert()


def receive_in_batches(purchase_order: str, batches: dict, day=None):
	"""A Purchase Receipt of the order, the batch item's row split by batch ({batch: qty};
	None takes the rest); other rows as ERPNext maps them."""
	receipt = make_purchase_receipt(purchase_order)
	if day:
		on_day(receipt, day)
	item_of = dict(frappe.get_all("Batch", {"name": ("in", list(batches))}, ["name", "item"], as_list=True))
	rows = []
	for row in receipt.items:
		data = {k: v for k, v in row.as_dict().items() if k not in ("name", "idx", "parent", "parentfield")}
		mine = [b for b in batches if item_of.get(b) == row.item_code]
		if not mine:
			rows.append(data)
			continue
		left = flt(row.qty)
		for batch in mine:
			qty = batches[batch] if batches[batch] is not None else left
			left -= qty
			rows.append(
				{
					**data,
					"qty": qty,
					"received_qty": qty,
					"stock_qty": qty * flt(row.conversion_factor or 1),
					"batch_no": batch,
					"use_serial_batch_fields": 1,
				}
			)
	receipt.set("items", rows)
	receipt.insert()
	receipt.submit()
	return receipt


def deliver(sales_order: str, day=None):
	"""A Delivery Note of the order; ERPNext picks the batches of batch items itself."""
	delivery = make_delivery_note(sales_order)
	if day:
		on_day(delivery, day)
	delivery.insert()
	delivery.submit()
	return delivery


def create_distribution(delivery_note: str, submit: bool = True, day=None, rows: list | None = None):
	"""A Member Distribution of the note: filled from the campaign's member lines (batches
	first-expiring first) unless `rows` are given."""
	doc = frappe.new_doc("Member Distribution")
	doc.delivery_note = delivery_note
	doc.posting_date = day or frappe.utils.nowdate()
	if rows is None:
		doc.get_member_lines()
	else:
		doc.set("items", rows)
	doc.insert()
	if submit:
		doc.submit()
	return doc


def recall_batch(batch: str, reason: str, day=None):
	doc = frappe.get_doc(
		{
			"doctype": "Batch Recall",
			"batch": batch,
			"reason": reason,
			"recalled_on": day or frappe.utils.nowdate(),
		}
	)
	doc.insert()
	doc.submit()
	return doc


# -- the demo step


def load_demo_traceability():
	create_pesticide(IMIDACLOPRID, item_name="10%吡虫啉可湿性粉剂", registration_no="PD20240318")
	create_supplier(SUPPLIER)
	if not frappe.db.exists("Supplier Whitelist", {"supplier": SUPPLIER}):
		create_whitelist(
			SUPPLIER,
			[PESTICIDE_GROUP],
			contract_number="HT-2024-NY-01",
			valid_from="2024-01-01",
			valid_to="2026-12-31",
			state="Active",
		)
	if not frappe.db.exists("Purchase Campaign", CAMPAIGN):
		with clock(OPENS - timedelta(days=1)):
			build_campaign(
				CAMPAIGN,
				{IMIDACLOPRID: (SUPPLIER, 18.0, 21.0)},
				STATION,
				season="2024 春耕植保",
				company=masters.company(),
				opens_on=OPENS,
				closes_on=CLOSES,
				delivery_date=DELIVERED,
			)
	campaign = frappe.get_doc("Purchase Campaign", CAMPAIGN)
	if campaign.campaign_state == "Draft":
		with clock(OPENS):
			campaign.open_campaign()
	if campaign.campaign_state == "Open":
		if not campaign_documents("Campaign Order", CAMPAIGN, "campaign"):
			with clock(OPENS + timedelta(hours=2)):
				place_orders()
		with clock(CLOSES + timedelta(minutes=5)):
			close_campaign(CAMPAIGN)
	with clock(datetime.combine(RECEIVED, datetime.min.time()) + timedelta(hours=10)):
		for batch, (producer_batch, made, expires, _qty) in BATCHES.items():
			create_batch(
				IMIDACLOPRID,
				batch,
				expires,
				manufacturing_date=made,
				supplier=SUPPLIER,
				agri_coop_producer_batch_no=producer_batch,
				agri_coop_inspection_report=f"JC-{producer_batch}",
			)
		for po in campaign_documents("Purchase Order", CAMPAIGN, per_received=("<", 100)):
			receive_in_batches(po, {b: q for b, (_p, _m, _e, q) in BATCHES.items()}, RECEIVED)
	with clock(datetime.combine(DELIVERED, datetime.min.time()) + timedelta(hours=14)):
		for so in campaign_documents("Sales Order", CAMPAIGN, per_delivered=("<", 100)):
			deliver(so, DELIVERED)
	with clock(datetime.combine(DISTRIBUTED, datetime.min.time()) + timedelta(hours=9)):
		for dn in campaign_documents("Delivery Note", CAMPAIGN):
			if not frappe.db.exists("Member Distribution", {"delivery_note": dn, "docstatus": 1}):
				distribution = create_distribution(dn, day=DISTRIBUTED)
				sign_first_receipt(distribution)
	with clock(datetime.combine(RECALLED, datetime.min.time()) + timedelta(hours=9)):
		if not frappe.db.exists("Batch Recall", {"batch": RECALLED_BATCH, "docstatus": 1}):
			recall_batch(RECALLED_BATCH, RECALL_REASON, RECALLED)
			mark_first_contacted(RECALLED_BATCH)


def place_orders():
	for village in VILLAGES:
		members = frappe.get_all(
			"Coop Member",
			{"cooperative": village, "state": "Active", "id_number_hash": ("is", "set")},
			pluck="name",
			order_by="name",
			limit=4,
		)
		lines = [
			{"member": m, "item_code": IMIDACLOPRID, "qty": 10 + 5 * i, "payment_mode": "Pay Now"}
			for i, m in enumerate(members)
		]
		if lines:
			create_order(CAMPAIGN, village, lines)


# a tiny signature image (what the phone's signature pad stores: a data URI)
DEMO_SIGNATURE = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def sign_first_receipt(distribution):
	distribution.items[0].signature = DEMO_SIGNATURE
	distribution.save()


def mark_first_contacted(batch: str):
	name = frappe.db.get_value(
		"Member Distribution Item", {"batch_no": batch, "docstatus": 1}, "parent", order_by="creation"
	)
	if name:
		doc = frappe.get_doc("Member Distribution", name)
		for row in doc.items:
			if row.batch_no == batch:
				row.recall_contacted = 1
				break
		doc.save()


def check_demo_traceability() -> list[str]:
	"""Problems of the traceability demo (hook agri_coop_demo_checks); empty when complete."""
	problems = []
	if frappe.db.get_value("Purchase Campaign", CAMPAIGN, "campaign_state") != "Delivered":
		problems.append(f"{CAMPAIGN}: not delivered")
	for batch in BATCHES:
		totals = batch_totals(batch)
		if (
			not totals["received"]
			or totals["given"] != totals["delivered"]
			or totals["delivered"] > totals["received"]
		):
			problems.append(f"batch {batch}: received / delivered / given to members {totals}")
		if not frappe.db.get_value("Batch", batch, "agri_coop_trace_token"):
			problems.append(f"batch {batch}: no public trace token")
	if not frappe.db.get_value("Batch", RECALLED_BATCH, "agri_coop_recalled"):
		problems.append(f"batch {RECALLED_BATCH}: not recalled")
	return problems
