"""Closing a campaign: its submitted orders become one ERPNext Purchase Order per supplier
and one Sales Order per village co-op, every member line pointing at the PO and SO lines
it went into.

Closing is split in two so that a concurrent order submission never waits long and is
never lost: `close_campaign` only takes the campaign row's lock and marks it Closed (an
order that held the lock first is in; one that comes after sees Closed and is refused),
then `consolidate_campaign` builds the documents. Both are idempotent: a supplier or a
village that already has its document for the campaign gets nothing new.

The Sales Orders are most of the work (one per village, each through ERPNext's full
validation). With several workers on the long queue they are made in parallel: the
consolidation job takes their names from the naming series first (the series' row lock
would otherwise make the jobs wait for each other), queues one batch of villages per other
worker, makes the first batch itself, waits for the others and then finishes. A village's
member lines are locked while its order is made, so two jobs never make the same order.
Every order's reserved qty goes into the station bins once, at the finish
(agri_coop.overrides.sales_order), and the campaign becomes Ordered when every village has
its order.
"""

import time
from collections import defaultdict

import frappe
from frappe.query_builder import Case, DocType
from frappe.query_builder.functions import Count
from frappe.utils import flt, getdate, now_datetime, nowdate

from agri_coop.overrides.campaign_guard import APP_FLOW
from agri_coop.overrides.sales_order import DEFER_RESERVED_QTY
from agri_coop.purchasing.campaign_documents import ORDER_LINK, app_orders
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
# Fewer villages than this per job cost more in start-up than they save in parallel.
MIN_BATCH_VILLAGES = 25
MAX_BATCHES = 8
# How long the consolidation job waits for its batches (its own timeout is an hour).
BATCH_WAIT_SECONDS = 3000


def close_campaign(campaign: str, inline: bool | None = None) -> str:
	"""Mark the campaign Closed (under its row's lock), then consolidate it."""
	state = frappe.db.get_value("Purchase Campaign", campaign, "campaign_state", for_update=True)
	if state == OPEN:
		set_state(campaign, CLOSED, closed_at=now_datetime())
	elif state not in CLOSED_STATES:
		CAMPAIGN.check_step(state, CLOSED)  # refused: not open yet
	start_consolidation(campaign, inline)
	return frappe.db.get_value("Purchase Campaign", campaign, "campaign_state")


def start_consolidation(campaign: str, inline: bool | None = None):
	"""Consolidate at once when the campaign is small (or `inline`), else in the background
	after this commit, so that the manager's request returns and the campaign row's lock is
	held only for the close. Queued once: a second request while it runs adds nothing."""
	if inline is None:
		inline = submitted_line_count(campaign) <= INLINE_CONSOLIDATION_LINES
	frappe.enqueue(
		consolidate_campaign,
		queue="long",
		timeout=3600,
		job_id=f"agri_coop-consolidation::{campaign}",
		deduplicate=not inline,
		campaign=campaign,
		workers=1 if inline else None,  # a small campaign is not worth parallel jobs
		enqueue_after_commit=not inline,
		now=inline,
	)


def submitted_line_count(campaign: str) -> int:
	query, _, Line = submitted_lines_query(campaign)
	return query.select(Count(Line.name)).run()[0][0]


def consolidate_campaign(campaign: str, workers: int | None = None) -> dict:
	"""Create the missing Purchase and Sales Orders of a closed campaign; with `workers` (by
	default the long queue's) above one, the Sales Orders in parallel batches."""
	check_closed(
		campaign, frappe.db.get_value("Purchase Campaign", campaign, "campaign_state", for_update=True)
	)
	doc = frappe.get_doc("Purchase Campaign", campaign)
	lines = load_submitted_lines(campaign)
	created = {"Sales Order": [], "Purchase Order": make_purchase_orders(doc, lines)}
	done = consolidated_orders("Sales Order", campaign, lines)
	missing = sorted({line.cooperative for line in lines} - set(done))
	batches = village_batches(missing, long_queue_workers() if workers is None else workers)
	if len(batches) <= 1:
		created["Sales Order"] = make_village_orders(
			doc, [line for line in lines if line.cooperative in missing]
		)
		finish_consolidation(doc, complete=True)
		return created

	names = reserve_sales_order_names(doc, missing)
	jobs = []
	for batch in batches[1:]:
		jobs.append(f"agri_coop-consolidation::{campaign}::{names[batch[0]]}")
		frappe.enqueue(
			consolidate_villages,
			queue="long",
			timeout=3600,
			job_id=jobs[-1],
			enqueue_after_commit=True,
			campaign=campaign,
			sales_orders={village: names[village] for village in batch},
		)
	frappe.db.commit()  # the Purchase Orders and the names are taken: the other batches start
	consolidate_villages(campaign, {village: names[village] for village in batches[0]})
	frappe.db.commit()
	for job, batch in zip(jobs, batches[1:], strict=True):
		if job_status(job) == "queued":  # no worker free for it (all busy, maybe waiting like this
			# one): made here; the job finds its villages done (their lines are the lock)
			consolidate_villages(campaign, {village: names[village] for village in batch})
			frappe.db.commit()
	still_missing = wait_for_batches(campaign, jobs, missing)
	frappe.db.get_value("Purchase Campaign", campaign, "campaign_state", for_update=True)
	doc = frappe.get_doc("Purchase Campaign", campaign)
	finish_consolidation(doc, complete=not still_missing)
	made = set(existing_orders("Sales Order", campaign, "agri_coop_cooperative").values())
	created["Sales Order"] = [name for name in names.values() if name in made]
	if still_missing:
		frappe.db.commit()  # the orders made and the bins stay; the error is the job's
		throw(
			"{0} village co-ops of campaign {1} have no Sales Order yet (their job failed: see the Error Log); consolidate again",
			len(still_missing),
			campaign,
			exc=CampaignStateError,
		)
	return created


def consolidate_villages(campaign: str, sales_orders: dict[str, str]) -> list[str]:
	"""Background job: the Sales Orders of a batch of villages, under the names taken for them
	({village: name}); a village that has its order by now is left alone. Once they are
	committed the station bins are brought up to date, so that they are right even if the
	consolidation job that finishes the campaign never does."""
	doc = frappe.get_doc("Purchase Campaign", campaign)
	if doc.campaign_state != CLOSED:
		return []  # consolidated meanwhile
	made = make_village_orders(doc, village_lines(campaign, list(sales_orders)), sales_orders)
	if made:
		frappe.db.commit()
		# the campaign row's lock first: what this transaction reads after it is current, and
		# the bins are written by one job at a time, each with every order committed before it
		frappe.db.get_value("Purchase Campaign", campaign, "campaign_state", for_update=True)
		update_reserved_qty(campaign)
	return made


def check_closed(campaign: str, state: str):
	if state in (DRAFT, OPEN):
		throw(
			"Campaign {0} is {1}: close it before consolidating",
			campaign,
			Msg(state, context="Purchase Campaign"),
			exc=CampaignStateError,
		)


def job_status(job: str) -> str | None:
	"""RQ's status of `job` ("queued", "started", …; a str enum), None once it is gone."""
	from frappe.utils.background_jobs import get_job_status

	return get_job_status(job)


def long_queue_workers() -> int:
	from frappe.utils.background_jobs import get_queue, get_workers

	return len(get_workers(get_queue("long")))


def village_batches(villages: list[str], workers: int) -> list[list[str]]:
	"""`villages` in consecutive batches, one per worker, of at least MIN_BATCH_VILLAGES."""
	count = max(1, min(workers, MAX_BATCHES, len(villages) // MIN_BATCH_VILLAGES))
	size = max(1, -(-len(villages) // count))
	return [villages[i : i + size] for i in range(0, len(villages), size)]


def wait_for_batches(campaign: str, jobs: list[str], villages: list[str]) -> set[str]:
	"""Wait until every one of `villages` has its Sales Order or none of `jobs` is queued or
	running any more; the villages still without one."""
	from frappe.utils.background_jobs import is_job_enqueued

	deadline = time.monotonic() + BATCH_WAIT_SECONDS
	while True:
		running = any(is_job_enqueued(job) for job in jobs)  # before the snapshot: a job that
		frappe.db.commit()  # ended before it has its orders in it
		missing = set(villages) - set(existing_orders("Sales Order", campaign, "agri_coop_cooperative"))
		if not missing or not running or time.monotonic() > deadline:
			return missing
		time.sleep(0.2)


def finish_consolidation(doc, complete: bool):
	"""The station bins' reserved qty of the campaign's orders, and Ordered once `complete`."""
	update_reserved_qty(doc.name)
	if complete and doc.campaign_state == CLOSED:
		set_state(doc, ORDERED)


def load_submitted_lines(campaign: str) -> list:
	"""Locking read: sees every order committed before the close, whatever the snapshot."""
	query, Order, Line = submitted_lines_query(campaign)
	return (
		query.select(*line_fields(Line), Order.cooperative, Order.name.as_("order"))
		.orderby(Order.name)
		.orderby(Line.idx)
		.for_update()
		.run(as_dict=True)
	)


def village_lines(campaign: str, villages: list[str]) -> list:
	"""The submitted member lines of `villages`, row-locked: a village's lines are the lock
	under which its order is made. Only their rows are locked (through the orders' names),
	so the jobs of other villages run on."""
	Order, Line = DocType("Campaign Order"), DocType("Campaign Order Line")
	orders = dict(
		frappe.qb.from_(Order)
		.select(Order.name, Order.cooperative)
		.where((Order.campaign == campaign) & (Order.docstatus == 1) & Order.cooperative.isin(villages))
		.run()
	)
	if not orders:
		return []
	lines = (
		frappe.qb.from_(Line)
		.force_index("parent")  # else a long list scans (and locks) every line of the table
		.select(*line_fields(Line), Line.parent.as_("order"))
		.where(Line.parent.isin(list(orders)) & (Line.parenttype == "Campaign Order"))
		.orderby(Line.parent)
		.orderby(Line.idx)
		.for_update()
		.run(as_dict=True)
	)
	for line in lines:
		line.cooperative = orders[line.order]
	return lines


def line_fields(Line) -> list:
	return [
		Line.name,
		Line.item_code,
		Line.qty,
		Line.rate,
		Line.amount,
		Line.member,
		Line.sales_order,
		Line.purchase_order,
	]


def consolidated_orders(doctype: str, campaign: str, lines) -> dict[str, str]:
	"""{village or supplier: order} of the submitted orders an earlier consolidation made for
	these (locked) lines, read with a lock: current, whatever this transaction's snapshot."""
	link = ORDER_LINK[doctype]
	names = list({line[link] for line in lines if line[link]})
	if not names:
		return {}
	key = "agri_coop_cooperative" if doctype == "Sales Order" else "supplier"
	Doc = DocType(doctype)
	return dict(
		frappe.qb.from_(Doc)
		.select(Doc[key], Doc.name)
		.where(Doc.name.isin(names) & (Doc.docstatus == 1) & (Doc.agri_coop_campaign == campaign))
		.for_update()
		.run()
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


def campaign_offer(doc) -> tuple[dict, dict]:
	"""The campaign's rows by item, and the warehouse of each delivering station."""
	return doc.supplier_items(), station_warehouses({row.delivering_station for row in doc.items})


def make_purchase_orders(doc, lines) -> list[str]:
	"""The missing Purchase Orders (one per supplier), their member lines linked."""
	offer, warehouses = campaign_offer(doc)
	existing = consolidated_orders("Purchase Order", doc.name, lines)
	by_supplier = defaultdict(list)
	for line in lines:
		by_supplier[offer[line.item_code].supplier].append(line)
	made = []
	for supplier, supplier_lines in sorted(by_supplier.items()):
		if supplier not in existing:
			existing[supplier] = make_purchase_order(doc, supplier, supplier_lines, offer, warehouses)
			made.append(existing[supplier])
	link_purchase_lines(lines, list(existing.values()))
	return made


def make_village_orders(doc, lines, names: dict[str, str] | None = None) -> list[str]:
	"""The Sales Orders of the villages of `lines` (locked) that have none yet, named from
	`names` when given, each with its member lines linked."""
	offer, warehouses = campaign_offer(doc)
	done = consolidated_orders("Sales Order", doc.name, lines)
	by_village = defaultdict(list)
	for line in lines:
		if line.cooperative not in done:
			by_village[line.cooperative].append(line)
	customers = village_customers(list(by_village))
	made = []
	for village, village_lines_ in sorted(by_village.items()):
		order = make_sales_order(
			doc, village, village_lines_, offer, warehouses, customers[village], (names or {}).get(village)
		)
		link_sales_order_lines(order, village_lines_)
		made.append(order.name)
	return made


def sales_order_header(campaign, village: str, customer: str) -> dict:
	return {
		"doctype": "Sales Order",
		"company": campaign.company,
		"customer": customer,
		"transaction_date": nowdate(),
		"delivery_date": campaign.delivery_date,
		"ignore_pricing_rule": 1,
		"agri_coop_campaign": campaign.name,
		"agri_coop_cooperative": village,
	}


def reserve_sales_order_names(campaign, villages: list[str]) -> dict[str, str]:
	"""{village: the name of its Sales Order}, taken from the naming series now, in village
	order: whoever takes a number holds the series' row lock until they commit, so the jobs
	that make the orders in parallel must not take their own. A name a failed job leaves
	unused is a gap in the series."""
	customers = village_customers(villages)
	names = {}
	for village in villages:
		order = frappe.new_doc("Sales Order")
		order.update(sales_order_header(campaign, village, customers[village]))
		order.set_new_name()
		names[village] = order.name
	return names


def make_sales_order(campaign, village: str, lines, offer, warehouses, customer: str, name=None):
	order = frappe.get_doc(
		{
			**sales_order_header(campaign, village, customer),
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
	order.flags[DEFER_RESERVED_QTY] = True  # the finish puts it in the bins (update_reserved_qty)
	order.docstatus = 1  # inserted as submitted: one validation pass instead of insert + submit
	order.insert(set_name=name)
	return order


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


def link_sales_order_lines(order, lines):
	"""Write on each member line of a village the Sales Order line of its item (its audit
	trail), in one statement that touches only these lines' rows."""
	Line = DocType("Campaign Order Line")
	row_of_item = Case()
	for item in order.items:
		row_of_item = row_of_item.when(Line.item_code == item.item_code, item.name)
	(
		frappe.qb.update(Line)
		.set(Line.sales_order, order.name)
		.set(Line.sales_order_item, row_of_item)
		.where(Line.name.isin([line.name for line in lines]))
	).run()


def link_purchase_lines(lines, purchase_orders: list[str]):
	"""Write on each member line the Purchase Order line of its item, in one statement (each
	item is bought from one supplier, so it is in one of the campaign's POs)."""
	if not lines or not purchase_orders:
		return
	Line, POItem = DocType("Campaign Order Line"), DocType("Purchase Order Item")
	(
		frappe.qb.update(Line)
		.join(POItem)
		.on((POItem.item_code == Line.item_code) & POItem.parent.isin(purchase_orders))
		.set(Line.purchase_order, POItem.parent)
		.set(Line.purchase_order_item, POItem.name)
		.where(Line.name.isin([line.name for line in lines]))
	).run()


def update_reserved_qty(campaign: str):
	"""Each station bin's reserved qty, recomputed once for the campaign's Sales Orders with
	ERPNext's own functions, for the bins ERPNext's Sales Order would recompute after each of
	them (SalesOrder.update_reserved_qty: stock items, not drop-shipped, a product bundle's
	packed items in its stead)."""
	from erpnext.stock.stock_balance import get_reserved_qty, update_bin_qty

	for item_code, warehouse in reserved_bins(app_orders(campaign, "Sales Order")):
		update_bin_qty(item_code, warehouse, {"reserved_qty": get_reserved_qty(item_code, warehouse)})


def reserved_bins(orders: list[str]) -> list[tuple[str, str]]:
	if not orders:
		return []
	SOItem, Packed, Item = DocType("Sales Order Item"), DocType("Packed Item"), DocType("Item")
	Bundle = DocType("Product Bundle")
	bundles = frappe.qb.from_(Bundle).select(Bundle.new_item_code).where(Bundle.docstatus != 2)
	own = (
		frappe.qb.from_(SOItem)
		.join(Item)
		.on(Item.name == SOItem.item_code)
		.select(SOItem.item_code, SOItem.warehouse)
		.where(
			SOItem.parent.isin(orders)
			& (SOItem.delivered_by_supplier == 0)
			& (Item.is_stock_item == 1)
			& SOItem.item_code.notin(bundles)
		)
	)
	packed = (
		frappe.qb.from_(Packed)
		.join(SOItem)
		.on(SOItem.name == Packed.parent_detail_docname)
		.join(Item)
		.on(Item.name == Packed.item_code)
		.select(Packed.item_code, Packed.warehouse)
		.where(
			Packed.parent.isin(orders)
			& (Packed.parenttype == "Sales Order")
			& (SOItem.delivered_by_supplier == 0)
			& (Item.is_stock_item == 1)
		)
	)
	return sorted({(code, warehouse) for code, warehouse in own.run() + packed.run() if code and warehouse})
