"""Closing a campaign: its submitted orders become one ERPNext Purchase Order per supplier
and one Sales Order per village co-op, every member line pointing at the PO and SO lines
it went into.

Closing is split in two so that a concurrent order submission never waits long and is
never lost: `close_campaign` only takes the campaign row's lock and marks it Closed (an
order that held the lock first is in; one that comes after sees Closed and is refused),
then `consolidate_campaign` builds the documents. Both are idempotent: a supplier or a
village that already has its document for the campaign gets nothing new.
"""

from collections import defaultdict

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count
from frappe.utils import flt, getdate, now_datetime, nowdate

from agri_coop.overrides.campaign_guard import APP_FLOW
from agri_coop.purchasing.campaign_documents import app_orders
from agri_coop.purchasing.campaign_state import (
	CAMPAIGN,
	CLOSED,
	CLOSED_STATES,
	DRAFT,
	OPEN,
	ORDERED,
	CampaignStateError,
	set_state,
)
from agri_coop.purchasing.doctype.campaign_order.campaign_order import submitted_lines_query
from agri_coop.utils.messages import Msg, throw

INLINE_CONSOLIDATION_LINES = 500


def close_campaign(campaign: str, inline: bool | None = None) -> str:
	"""Mark the campaign Closed (under its row's lock), then consolidate it: at once when it
	is small (or `inline`), in the background when it is large, so the manager's request
	returns and the lock on the campaign is held only for the close."""
	state = frappe.db.get_value("Purchase Campaign", campaign, "campaign_state", for_update=True)
	if state == OPEN:
		set_state(campaign, CLOSED, closed_at=now_datetime())
	elif state not in CLOSED_STATES:
		CAMPAIGN.check_step(state, CLOSED)  # refused: not open yet
	if inline is None:
		inline = submitted_line_count(campaign) <= INLINE_CONSOLIDATION_LINES
	frappe.enqueue(
		consolidate_campaign,
		queue="long",
		timeout=3600,
		campaign=campaign,
		enqueue_after_commit=not inline,
		now=inline,
	)
	return frappe.db.get_value("Purchase Campaign", campaign, "campaign_state")


def submitted_line_count(campaign: str) -> int:
	query, _, Line = submitted_lines_query(campaign)
	return query.select(Count(Line.name)).run()[0][0]


def consolidate_campaign(campaign: str) -> dict:
	"""Create the missing Purchase and Sales Orders of a closed campaign."""
	state = frappe.db.get_value("Purchase Campaign", campaign, "campaign_state", for_update=True)
	if state in (DRAFT, OPEN):
		throw(
			"Campaign {0} is {1}: close it before consolidating",
			campaign,
			Msg(state, context="Purchase Campaign"),
			exc=CampaignStateError,
		)
	doc = frappe.get_doc("Purchase Campaign", campaign)
	lines = load_submitted_lines(campaign)
	offer = doc.supplier_items()
	warehouses = station_warehouses({row.delivering_station for row in doc.items})
	created = {"Sales Order": [], "Purchase Order": []}

	by_village = defaultdict(list)
	for line in lines:
		by_village[line.cooperative].append(line)
	existing_so = existing_orders("Sales Order", campaign, "agri_coop_cooperative")
	customers = village_customers([v for v in by_village if v not in existing_so])
	for village, village_lines in sorted(by_village.items()):
		if village not in existing_so:
			existing_so[village] = make_sales_order(
				doc, village, village_lines, offer, warehouses, customers[village]
			)
			created["Sales Order"].append(existing_so[village])

	by_supplier = defaultdict(list)
	for line in lines:
		by_supplier[offer[line.item_code].supplier].append(line)
	existing_po = existing_orders("Purchase Order", campaign, "supplier")
	for supplier, supplier_lines in sorted(by_supplier.items()):
		if supplier not in existing_po:
			existing_po[supplier] = make_purchase_order(doc, supplier, supplier_lines, offer, warehouses)
			created["Purchase Order"].append(existing_po[supplier])

	link_member_lines(lines, existing_so, existing_po)
	if doc.campaign_state == CLOSED:
		set_state(doc, ORDERED)
	return created


def load_submitted_lines(campaign: str) -> list:
	"""Locking read: sees every order committed before the close, whatever the snapshot."""
	query, Order, Line = submitted_lines_query(campaign)
	return (
		query.select(
			Line.name,
			Line.item_code,
			Line.qty,
			Line.rate,
			Line.amount,
			Line.member,
			Order.cooperative,
			Order.name.as_("order"),
		)
		.orderby(Order.name)
		.orderby(Line.idx)
		.for_update()
		.run(as_dict=True)
	)


def station_warehouses(stations: set[str]) -> dict[str, str]:
	Station = DocType("Service Station")
	return dict(
		frappe.qb.from_(Station)
		.select(Station.name, Station.warehouse)
		.where(Station.name.isin(list(stations)))
		.run()
	)


def existing_orders(doctype: str, campaign: str, key_field: str) -> dict[str, str]:
	"""{village or supplier: order} of the orders an earlier consolidation made (linked from
	the member lines); an order merely tagged with the campaign does not count."""
	return {row[key_field]: row.name for row in app_orders(campaign, doctype, (key_field,))}


def summed_by_item(lines) -> dict[str, float]:
	qty = defaultdict(float)
	for line in lines:
		qty[line.item_code] += flt(line.qty)
	return qty


def village_customers(villages: list[str]) -> dict[str, str]:
	"""{village co-op: its ERPNext Customer}, in one query."""
	if not villages:
		return {}
	Cooperative = DocType("Cooperative")
	return dict(
		frappe.qb.from_(Cooperative)
		.select(Cooperative.name, Cooperative.customer)
		.where(Cooperative.name.isin(villages))
		.run()
	)


def make_sales_order(campaign, village: str, lines, offer, warehouses, customer: str) -> str:
	order = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"company": campaign.company,
			"customer": customer,
			"transaction_date": nowdate(),
			"delivery_date": campaign.delivery_date,
			"ignore_pricing_rule": 1,
			"agri_coop_campaign": campaign.name,
			"agri_coop_cooperative": village,
			"items": [
				{
					"item_code": item_code,
					"qty": qty,
					"rate": offer[item_code].sale_price,
					"warehouse": warehouses[offer[item_code].delivering_station],
					"delivery_date": campaign.delivery_date,
				}
				for item_code, qty in summed_by_item(lines).items()
			],
		}
	)
	order.flags.ignore_permissions = True
	order.flags[APP_FLOW] = True  # made by the app's flow (agri_coop.overrides.campaign_guard)
	order.docstatus = 1  # inserted as submitted: one validation pass instead of insert + submit
	order.insert()
	return order.name


def make_purchase_order(campaign, supplier: str, lines, offer, warehouses) -> str:
	schedule_date = max(getdate(campaign.delivery_date), getdate(nowdate()))
	order = frappe.get_doc(
		{
			"doctype": "Purchase Order",
			"company": campaign.company,
			"supplier": supplier,
			"transaction_date": nowdate(),
			"schedule_date": schedule_date,
			"ignore_pricing_rule": 1,
			"agri_coop_campaign": campaign.name,
			"items": [
				{
					"item_code": item_code,
					"qty": qty,
					"rate": offer[item_code].purchase_rate,
					"warehouse": warehouses[offer[item_code].delivering_station],
					"schedule_date": schedule_date,
				}
				for item_code, qty in summed_by_item(lines).items()
			],
		}
	)
	order.flags.ignore_permissions = True
	order.flags[APP_FLOW] = True  # made by the app's flow (agri_coop.overrides.campaign_guard)
	order.docstatus = 1  # inserted as submitted: one validation pass instead of insert + submit
	order.insert()
	return order.name


def link_member_lines(lines, sales_orders: dict, purchase_orders: dict):
	"""Write on each member line the SO and PO lines it went into (its audit trail), in two
	statements: the village's Sales Order line of the item, and the Purchase Order line of
	the item (each item is bought from one supplier, so it is in one of the campaign's POs)."""
	if not lines:
		return
	names = [line.name for line in lines]
	Line, Order = DocType("Campaign Order Line"), DocType("Campaign Order")
	if sales_orders:
		SO, SOItem = DocType("Sales Order"), DocType("Sales Order Item")
		(
			frappe.qb.update(Line)
			.join(Order)
			.on(Order.name == Line.parent)
			.join(SO)
			.on((SO.agri_coop_cooperative == Order.cooperative) & SO.name.isin(list(sales_orders.values())))
			.join(SOItem)
			.on((SOItem.parent == SO.name) & (SOItem.item_code == Line.item_code))
			.set(Line.sales_order, SO.name)
			.set(Line.sales_order_item, SOItem.name)
			.where(Line.name.isin(names))
		).run()
	if purchase_orders:
		POItem = DocType("Purchase Order Item")
		(
			frappe.qb.update(Line)
			.join(POItem)
			.on((POItem.item_code == Line.item_code) & POItem.parent.isin(list(purchase_orders.values())))
			.set(Line.purchase_order, POItem.parent)
			.set(Line.purchase_order_item, POItem.name)
			.where(Line.name.isin(names))
		).run()
