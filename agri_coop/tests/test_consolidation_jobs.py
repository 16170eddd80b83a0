"""Consolidation in parallel jobs (issue 16): the Sales Orders of a large campaign are made
by batches of villages on several workers. The batches make the same documents as one
process, never wait for each other, never make a village's order twice; the station bins
reserve exactly what the orders reserve."""

import time

import frappe
import pytest
from erpnext.stock.stock_balance import get_reserved_qty
from frappe.utils import flt

from agri_coop.purchasing import consolidation
from agri_coop.purchasing.campaign_state import CLOSED, ORDERED, CampaignStateError, set_state
from agri_coop.purchasing.consolidation import (
	consolidate_campaign,
	consolidate_villages,
	make_village_orders,
	reserve_sales_order_names,
	village_lines,
)
from agri_coop.tests.campaign_factories import ITEMS, STATION, create_campaign, create_order
from agri_coop.tests.test_campaign_concurrency import cleanup, in_other_connection
from agri_coop.tests.utils import LINYUAN, SMC_USER, XINMINBAO, ZHAOJUN_VILLAGE, as_user, create_member

UREA, FILM = list(ITEMS)
TITLE = "并行合并测试统购活动"


def station_warehouse():
	return frappe.db.get_value("Service Station", STATION, "warehouse")


def reserved(item_code):
	return flt(
		frappe.db.get_value("Bin", {"item_code": item_code, "warehouse": station_warehouse()}, "reserved_qty")
	)


def village_orders(campaign):
	return dict(
		frappe.get_all(
			"Sales Order",
			{"agri_coop_campaign": campaign, "docstatus": 1},
			["agri_coop_cooperative", "name"],
			as_list=True,
		)
	)


def test_station_bins_reserve_what_the_orders_reserve():
	"""Consolidation puts each bin's reserved qty in once, after its orders: the same figure as
	ERPNext's recomputation after every order."""
	campaign = create_campaign()
	before = {item: reserved(item) for item in (UREA, FILM)}
	create_order(campaign.name, XINMINBAO, [(None, UREA, 10), (None, FILM, 4)])
	create_order(campaign.name, LINYUAN, [(None, UREA, 7)])
	with as_user(SMC_USER):
		frappe.get_doc("Purchase Campaign", campaign.name).close_campaign()
	warehouse = station_warehouse()
	assert reserved(UREA) == before[UREA] + 17
	assert reserved(FILM) == before[FILM] + 4
	for item in (UREA, FILM):
		assert reserved(item) == flt(get_reserved_qty(item, warehouse))


def test_batches_make_the_orders_one_process_makes(monkeypatch):
	"""Two batches (the jobs run inline here): the names are taken in village order, every
	village gets its one order with its lines linked, the bins are right, the campaign is
	Ordered, and consolidating again makes nothing."""
	monkeypatch.setattr(consolidation, "MIN_BATCH_VILLAGES", 1)
	campaign = create_campaign()
	before = reserved(UREA)
	orders = {
		XINMINBAO: create_order(campaign.name, XINMINBAO, [(None, UREA, 10), (None, FILM, 4)]),
		LINYUAN: create_order(campaign.name, LINYUAN, [(None, UREA, 7)]),
		ZHAOJUN_VILLAGE: create_order(campaign.name, ZHAOJUN_VILLAGE, [(None, UREA, 2), (None, UREA, 3)]),
	}
	set_state(campaign.name, CLOSED)
	created = frappe.enqueue(consolidate_campaign, campaign=campaign.name, workers=2)
	made = village_orders(campaign.name)
	assert sorted(made) == sorted(orders)
	assert sorted(created["Sales Order"]) == sorted(made.values())
	assert [made[v] for v in sorted(made)] == sorted(made.values())  # numbered in village order
	for village, order in orders.items():
		so = frappe.get_doc("Sales Order", made[village])
		assert so.customer == frappe.db.get_value("Cooperative", village, "customer")
		qty = {}
		for line in order.lines:
			qty[line.item_code] = qty.get(line.item_code, 0) + line.qty
			assert frappe.db.get_value("Campaign Order Line", line.name, "sales_order") == so.name
			item = frappe.db.get_value("Campaign Order Line", line.name, "sales_order_item")
			assert frappe.db.get_value("Sales Order Item", item, "item_code") == line.item_code
		assert {row.item_code: row.qty for row in so.items} == qty
	assert frappe.db.get_value("Purchase Campaign", campaign.name, "campaign_state") == ORDERED
	assert reserved(UREA) == before + 10 + 7 + 5
	assert consolidate_campaign(campaign.name) == {"Sales Order": [], "Purchase Order": []}


def test_a_batch_no_worker_takes_is_made_by_the_consolidation_job(monkeypatch):
	"""All workers busy (say, each waiting for its own batches): the consolidation job makes a
	batch that is still queued itself instead of waiting for it; the job, when it runs at last,
	makes nothing."""
	monkeypatch.setattr(consolidation, "MIN_BATCH_VILLAGES", 1)
	campaign = create_campaign()
	create_order(campaign.name, XINMINBAO, [(None, UREA, 10)])
	create_order(campaign.name, LINYUAN, [(None, FILM, 2)])
	set_state(campaign.name, CLOSED)
	run_inline, queued = frappe.enqueue, []
	monkeypatch.setattr(frappe, "enqueue", lambda method, **kwargs: queued.append((method, kwargs)))
	monkeypatch.setattr(consolidation, "job_status", lambda job: "queued")
	run_inline(consolidate_campaign, campaign=campaign.name, workers=2)
	assert sorted(village_orders(campaign.name)) == sorted([XINMINBAO, LINYUAN])
	assert frappe.db.get_value("Purchase Campaign", campaign.name, "campaign_state") == ORDERED
	[(method, kwargs)] = queued
	assert method is consolidate_villages
	assert consolidate_villages(kwargs["campaign"], kwargs["sales_orders"]) == []


def test_a_failed_batch_leaves_the_campaign_closed_until_consolidated_again(monkeypatch):
	"""A batch job that fails (taken by a worker, gone, its village without an order): the
	consolidation job keeps what was made, puts it in the bins, leaves the campaign Closed and
	says how many villages lack their order; consolidating again makes only those, once."""
	from frappe.utils import background_jobs

	monkeypatch.setattr(consolidation, "MIN_BATCH_VILLAGES", 1)
	campaign = create_campaign()
	before = reserved(UREA), reserved(FILM)
	create_order(campaign.name, XINMINBAO, [(None, UREA, 10)])
	create_order(campaign.name, LINYUAN, [(None, FILM, 2)])
	set_state(campaign.name, CLOSED)
	first, failed = sorted([XINMINBAO, LINYUAN])  # the consolidation job's own batch, the other's
	run_inline = frappe.enqueue
	monkeypatch.setattr(frappe, "enqueue", lambda method, **kwargs: None)  # the batch job never runs
	monkeypatch.setattr(consolidation, "job_status", lambda job: "started")
	monkeypatch.setattr(background_jobs, "is_job_enqueued", lambda job: False)  # ... and is gone
	with pytest.raises(CampaignStateError, match=r"1 village co-ops of campaign .* have no Sales Order yet"):
		run_inline(consolidate_campaign, campaign=campaign.name, workers=2)
	assert list(village_orders(campaign.name)) == [first]
	assert frappe.db.get_value("Purchase Campaign", campaign.name, "campaign_state") == CLOSED
	made_first = {XINMINBAO: (10, 0), LINYUAN: (0, 2)}[first]
	assert (reserved(UREA), reserved(FILM)) == (before[0] + made_first[0], before[1] + made_first[1])

	monkeypatch.setattr(frappe, "enqueue", run_inline)
	created = frappe.enqueue(consolidate_campaign, campaign=campaign.name, workers=1)
	assert created["Purchase Order"] == [] and len(created["Sales Order"]) == 1
	assert sorted(village_orders(campaign.name)) == sorted([first, failed])
	assert frappe.db.get_value("Sales Order", created["Sales Order"][0], "agri_coop_cooperative") == failed
	assert frappe.db.get_value("Purchase Campaign", campaign.name, "campaign_state") == ORDERED
	assert (reserved(UREA), reserved(FILM)) == (before[0] + 10, before[1] + 2)


@pytest.fixture
def closed_campaign():
	"""Committed (two connections): orders of two villages in a Closed campaign, and the
	names of their Sales Orders taken as the consolidation job takes them."""
	if frappe.db.exists("Purchase Campaign", TITLE):
		cleanup(TITLE)
	campaign = create_campaign(TITLE)
	members = [create_member(v, state="Active").name for v in (XINMINBAO, LINYUAN)]
	create_order(campaign.name, XINMINBAO, [(members[0], UREA, 3)])
	create_order(campaign.name, LINYUAN, [(members[1], FILM, 5)])
	set_state(campaign.name, CLOSED)
	campaign.reload()
	names = reserve_sales_order_names(campaign, [XINMINBAO, LINYUAN])
	frappe.db.commit()
	yield campaign, names
	frappe.db.rollback()
	cleanup(campaign.name, *members)


def batch_then_hold(campaign, names, hold_seconds, times):
	"""A batch job's orders (consolidate_villages before it commits), its transaction and locks
	then kept open."""
	frappe.set_user("Administrator")
	doc = frappe.get_doc("Purchase Campaign", campaign)
	made = make_village_orders(doc, village_lines(campaign, list(names)), names)
	times["made"] = time.monotonic()
	time.sleep(hold_seconds)
	times["committing"] = time.monotonic()
	return made


def test_batches_of_other_villages_do_not_wait_for_each_other(closed_campaign):
	campaign, names = closed_campaign
	first, second, times_first, times_second = {}, {}, {}, {}
	holding = in_other_connection(
		batch_then_hold, campaign.name, {XINMINBAO: names[XINMINBAO]}, 4, times_first, result=first
	)
	while "made" not in times_first and holding.is_alive():
		time.sleep(0.05)  # the first job holds its village's lines now
	other = in_other_connection(
		batch_then_hold, campaign.name, {LINYUAN: names[LINYUAN]}, 0, times_second, result=second
	)
	other.join()
	holding.join()
	assert "error" not in first and "error" not in second, (first, second)
	assert times_second["committing"] < times_first["committing"]  # done while the first still held
	assert first["value"] == [names[XINMINBAO]] and second["value"] == [names[LINYUAN]]
	frappe.db.rollback()
	assert village_orders(campaign.name) == names


def test_one_village_in_two_jobs_gets_one_order(closed_campaign):
	"""A job queued twice (or a second consolidation meanwhile) waits for the village's lines
	and then finds its order made."""
	campaign, names = closed_campaign
	first, second, times_first, times_second = {}, {}, {}, {}
	holding = in_other_connection(batch_then_hold, campaign.name, names, 2, times_first, result=first)
	while "made" not in times_first and holding.is_alive():
		time.sleep(0.05)
	again = in_other_connection(batch_then_hold, campaign.name, names, 0, times_second, result=second)
	again.join()
	holding.join()
	assert "error" not in first and "error" not in second, (first, second)
	assert sorted(first["value"]) == sorted(names.values())
	assert second["value"] == []  # it waited for the first job's locks, then made nothing
	assert times_second["made"] > times_first["committing"]
	frappe.db.rollback()
	assert village_orders(campaign.name) == names
	assert frappe.db.count("Sales Order", {"agri_coop_campaign": campaign.name}) == 2


def test_the_consolidation_job_finishes_what_the_batches_made(closed_campaign):
	"""After the batches: the consolidation makes the Purchase Orders it still lacks, no Sales
	Order twice, puts the orders in the bins and marks the campaign Ordered."""
	campaign, names = closed_campaign
	before = reserved(UREA), reserved(FILM)
	done = {}
	in_other_connection(consolidate_villages, campaign.name, names, result=done).join()
	assert "error" not in done, done
	frappe.db.rollback()
	# the batch put its orders in the bins itself (the finishing job may never come)
	assert (reserved(UREA), reserved(FILM)) == (before[0] + 3, before[1] + 5)
	created = consolidate_campaign(campaign.name, workers=1)
	assert created["Sales Order"] == [] and len(created["Purchase Order"]) == 2
	assert village_orders(campaign.name) == names
	assert (reserved(UREA), reserved(FILM)) == (before[0] + 3, before[1] + 5)
	assert frappe.db.get_value("Purchase Campaign", campaign.name, "campaign_state") == ORDERED
	frappe.db.commit()
