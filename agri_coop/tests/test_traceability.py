"""Real-name pesticides and batch traceability (issue 15; seed 001 §二 9 药肥双控, seeds 003/004):
pesticides are batch-tracked items sold by real name; a campaign's receipt and delivery carry
batches through ERPNext's stock ledger; the village gives each member a batch quantity it
received; a recalled batch goes out nowhere; a batch traces to its members and back."""

import base64

import frappe
import pytest
from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
from erpnext.stock.doctype.batch.batch import get_batch_qty
from frappe.query_builder import DocType
from frappe.query_builder.functions import Abs, Sum
from frappe.utils import add_days, flt, nowdate
from frappe.www.printview import get_html_and_style

from agri_coop.demo.campaigns import STATION, campaign_documents
from agri_coop.demo.traceability import (
	create_batch,
	create_distribution,
	create_pesticide,
	deliver,
	recall_batch,
	receive_in_batches,
)
from agri_coop.tests.campaign_factories import create_campaign, create_order, ensure_supplier
from agri_coop.tests.utils import LINYUAN, SMC_USER, VILLAGE_USER, XINMINBAO, as_user, create_member
from agri_coop.traceability.batches import InvoiceStockError, RecalledBatchError
from agri_coop.traceability.doctype.member_distribution.member_distribution import DistributionError
from agri_coop.traceability.inputs import RESTRICTED_PESTICIDE, InputRuleError
from agri_coop.traceability.qr import trace_qr_data_uri, trace_url
from agri_coop.traceability.real_name import RealNameError
from agri_coop.traceability.report.pesticide_sales_ledger.pesticide_sales_ledger import execute
from agri_coop.traceability.trace import trace_batch, trace_member

PESTICIDE = "测试吡虫啉"
RESTRICTED = "测试限用农药"
GROUP = "测试农药"
SUPPLIER = "测试农药供应商"
EARLY, LATE = "TEST-PC-A", "TEST-PC-B"  # A expires first


def pesticide_items():
	create_pesticide(PESTICIDE, item_group=GROUP, registration_no="PD20990001")
	create_pesticide(
		RESTRICTED, item_group=GROUP, category=RESTRICTED_PESTICIDE, registration_no="PD20990002"
	)
	ensure_supplier(SUPPLIER, whitelisted_for=GROUP)


def campaign_with(items: dict):
	pesticide_items()
	return create_campaign("测试农药统购", items=items)


@pytest.fixture
def delivered():
	"""A pesticide campaign for two villages, received in two batches and delivered."""
	campaign = campaign_with({PESTICIDE: (SUPPLIER, 18.0, 21.0)})
	members = [create_member(XINMINBAO, state="Active", member_name=f"测试甲{i}").name for i in range(2)]
	other = create_member(LINYUAN, state="Active", member_name="测试乙").name
	create_order(campaign.name, XINMINBAO, [(members[0], PESTICIDE, 30), (members[1], PESTICIDE, 20)])
	create_order(campaign.name, LINYUAN, [(other, PESTICIDE, 15)])
	with as_user(SMC_USER):
		frappe.get_doc("Purchase Campaign", campaign.name).close_campaign()
	(po,) = campaign_documents("Purchase Order", campaign.name)
	with as_user("warehouse@dalate.demo"):  # the supplier's batches, typed in on receipt
		create_batch(PESTICIDE, EARLY, add_days(nowdate(), 300), agri_coop_producer_batch_no="A1")
		create_batch(PESTICIDE, LATE, add_days(nowdate(), 600), agri_coop_producer_batch_no="B1")
		receipt = receive_in_batches(po, {EARLY: 40, LATE: None})
	orders = {
		frappe.db.get_value("Sales Order", so, "agri_coop_cooperative"): so
		for so in campaign_documents("Sales Order", campaign.name)
	}
	with as_user("warehouse@dalate.demo"):
		note = deliver(orders[XINMINBAO])
	return frappe._dict(
		campaign=campaign, members=members, other=other, receipt=receipt, note=note, orders=orders
	)


def bundle_batches(voucher_type, voucher_no) -> dict:
	Bundle, Entry = DocType("Serial and Batch Bundle"), DocType("Serial and Batch Entry")
	return dict(
		frappe.qb.from_(Entry)
		.join(Bundle)
		.on(Entry.parent == Bundle.name)
		.select(Entry.batch_no, Abs(Sum(Entry.qty)))
		.where((Bundle.voucher_type == voucher_type) & (Bundle.voucher_no == voucher_no))
		.where((Bundle.is_cancelled == 0) & (Bundle.docstatus == 1))
		.groupby(Entry.batch_no)
		.run()
	)


# -- item rules


def test_pesticide_is_batch_and_expiry_tracked_and_needs_its_registration():
	pesticide_items()
	item = frappe.get_doc("Item", PESTICIDE)
	assert (item.has_batch_no, item.has_expiry_date, item.create_new_batch) == (1, 1, 1)
	assert item.agri_coop_requires_batch == 1
	# a new item in the pesticide group takes the group's category, hence its rules
	with pytest.raises(InputRuleError, match="registration number"):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": "测试无证农药",
				"item_group": GROUP,
				"stock_uom": "袋",
				"is_stock_item": 1,
			}
		).insert()


# -- real name


def test_pesticide_orders_only_for_identified_members():
	campaign = campaign_with({PESTICIDE: (SUPPLIER, 18.0, 21.0), RESTRICTED: (SUPPLIER, 30.0, 35.0)})
	pending = create_member(XINMINBAO, member_name="测试待上线")  # Pre-registered
	with pytest.raises(RealNameError, match=r"测试待上线.*active member"):
		create_order(campaign.name, XINMINBAO, [(pending.name, PESTICIDE, 5)])
	no_id = create_member(XINMINBAO, state="Active", member_name="测试无证")
	frappe.db.set_value(
		"Coop Member", no_id.name, "id_number_hash", None
	)  # a record from before the ID rules
	with pytest.raises(RealNameError, match="resident ID or credit code"):
		create_order(campaign.name, XINMINBAO, [(no_id.name, PESTICIDE, 5)])
	# restricted-use: land and crops recorded, and a dealer needs its licence
	bare = create_member(XINMINBAO, state="Active", member_name="测试无地", land_area_mu=0)
	with pytest.raises(RealNameError, match=r"测试无地.*land area and crops"):
		create_order(campaign.name, XINMINBAO, [(bare.name, RESTRICTED, 2)])
	dealer = create_member(
		XINMINBAO,
		state="Active",
		member_name="测试经销商",
		member_type="Dealer",
		land_area_mu=50,
		main_products="玉米",
	)
	with pytest.raises(RealNameError, match="dealer licence"):
		create_order(campaign.name, XINMINBAO, [(dealer.name, RESTRICTED, 2)])
	frappe.db.set_value("Coop Member", dealer.name, "pesticide_licence_no", "农药经许（蒙）1506210001")
	farmer = create_member(XINMINBAO, state="Active", land_area_mu=30, main_products="玉米 向日葵")
	order = create_order(
		campaign.name, XINMINBAO, [(dealer.name, RESTRICTED, 2), (farmer.name, RESTRICTED, 1)]
	)
	assert order.docstatus == 1
	# the error names the member and the item in both languages
	try:
		create_order(campaign.name, XINMINBAO, [(bare.name, RESTRICTED, 2)])
	except RealNameError as error:
		assert "测试无地" in str(error) and RESTRICTED in str(error) and "限制使用农药" in str(error)


# -- batches conserved from receipt to delivery to members


def test_batches_are_conserved_from_receipt_to_members(delivered):
	received = bundle_batches("Purchase Receipt", delivered.receipt.name)
	assert received == {EARLY: 40, LATE: 25}
	shipped = bundle_batches("Delivery Note", delivered.note.name)
	assert shipped == {EARLY: 40, LATE: 10}  # first-expiring first, split where it runs out
	warehouse = frappe.db.get_value("Service Station", STATION, "warehouse")
	for batch in (EARLY, LATE):
		on_hand = flt(get_batch_qty(batch_no=batch, warehouse=warehouse))
		assert on_hand == received[batch] - shipped.get(batch, 0)
	with as_user(VILLAGE_USER):
		distribution = create_distribution(delivered.note.name)
	given = {}
	for row in distribution.items:
		given[row.batch_no] = given.get(row.batch_no, 0) + row.qty
	assert given == shipped
	by_member = {}
	for row in distribution.items:
		by_member[row.member] = by_member.get(row.member, 0) + row.qty
	assert by_member == {delivered.members[0]: 30, delivered.members[1]: 20}
	assert [r.batch_no for r in distribution.items if r.member == delivered.members[0]] == [EARLY]


def test_members_cannot_get_more_of_a_batch_than_the_village_received(delivered):
	member = delivered.members[0]
	with as_user(VILLAGE_USER):
		create_distribution(
			delivered.note.name, rows=[{"member": member, "item_code": PESTICIDE, "batch_no": LATE, "qty": 6}]
		)
		with pytest.raises(DistributionError, match=r"TEST-PC-B.*received 10.*6"):
			create_distribution(
				delivered.note.name,
				rows=[{"member": member, "item_code": PESTICIDE, "batch_no": LATE, "qty": 5}],
			)
		with pytest.raises(DistributionError, match="batch-tracked"):
			create_distribution(
				delivered.note.name, rows=[{"member": member, "item_code": PESTICIDE, "qty": 1}]
			)
		with pytest.raises(DistributionError, match="not a member of"):
			create_distribution(
				delivered.note.name,
				rows=[{"member": delivered.other, "item_code": PESTICIDE, "batch_no": EARLY, "qty": 1}],
			)


def test_a_village_distributes_only_its_own_deliveries(delivered):
	other_note = deliver(delivered.orders[LINYUAN])
	with as_user(VILLAGE_USER), pytest.raises(frappe.PermissionError):
		create_distribution(
			other_note.name,
			rows=[{"member": delivered.other, "item_code": PESTICIDE, "batch_no": LATE, "qty": 1}],
		)


# -- recall


def test_a_recalled_batch_goes_out_nowhere(delivered):
	recall = recall_batch(LATE, "抽检不合格")
	assert frappe.db.get_value("Batch", LATE, ["agri_coop_recalled", "disabled"]) == (1, 1)
	# distribution of the recalled batch
	with as_user(VILLAGE_USER), pytest.raises(RecalledBatchError, match="TEST-PC-B"):
		create_distribution(
			delivered.note.name,
			rows=[{"member": delivered.members[0], "item_code": PESTICIDE, "batch_no": LATE, "qty": 1}],
		)
	# a delivery naming it
	note = make_delivery_note(delivered.orders[LINYUAN])
	note.items[0].batch_no, note.items[0].use_serial_batch_fields = LATE, 1
	with pytest.raises(RecalledBatchError):
		note.insert()
	# a delivery without a batch: the recalled batch is never picked, and the rest is not enough
	note = make_delivery_note(delivered.orders[LINYUAN])
	note.insert()
	with pytest.raises(frappe.ValidationError, match="only 0"):
		note.submit()
	assert bundle_batches("Delivery Note", note.name) == {}
	# the county cancels the recall: the batch may go out again
	recall.cancel()
	assert frappe.db.get_value("Batch", LATE, ["agri_coop_recalled", "disabled"]) == (0, 0)
	note = deliver(delivered.orders[LINYUAN])
	assert bundle_batches("Delivery Note", note.name) == {LATE: 15}


def test_recall_progress_follows_the_villages_calls(delivered):
	with as_user(VILLAGE_USER):
		distribution = create_distribution(delivered.note.name)
	with as_user(VILLAGE_USER), pytest.raises(frappe.PermissionError):
		recall_batch(LATE, "抽检不合格")
	with as_user(SMC_USER):
		recall = recall_batch(LATE, "抽检不合格")
	assert (recall.members_affected, recall.members_contacted, recall.qty_with_members) == (1, 0, 10)
	assert recall.recall_status == "In Progress"
	with as_user(VILLAGE_USER):
		doc = frappe.get_doc("Member Distribution", distribution.name)
		for row in doc.items:
			if row.batch_no == LATE:
				row.recall_contacted, row.recall_returned_qty = 1, row.qty
		doc.save()
	recall.reload()
	assert (recall.members_contacted, recall.qty_returned, recall.recall_status) == (1, 10, "Completed")


# -- trace


def test_trace_from_batch_to_members_and_back_matches_the_ledger(delivered):
	with as_user(VILLAGE_USER):
		create_distribution(delivered.note.name)
	with as_user(SMC_USER):
		trace = trace_batch(EARLY)
	assert [(r.voucher_no, r.supplier, r.qty) for r in trace["receipts"]] == [
		(delivered.receipt.name, SUPPLIER, 40)
	]
	assert trace["receipts"][0].purchase_orders == campaign_documents(
		"Purchase Order", delivered.campaign.name
	)
	assert [(r.voucher_no, r.cooperative, r.qty) for r in trace["deliveries"]] == [
		(delivered.note.name, XINMINBAO, 40)
	]
	# the members, independently: the Stock Ledger's outward batch entries of the note, and
	# the distribution rows naming the batch
	Row, Dist = DocType("Member Distribution Item"), DocType("Member Distribution")
	independent = (
		frappe.qb.from_(Row)
		.join(Dist)
		.on(Row.parent == Dist.name)
		.select(Row.member, Sum(Row.qty))
		.where((Row.batch_no == EARLY) & (Dist.docstatus == 1))
		.groupby(Row.member)
		.run()
	)
	traced = {}
	for row in trace["members"]:
		traced[row.member] = traced.get(row.member, 0) + row.qty
	assert traced == dict(independent) and sum(traced.values()) == 40
	# and back: every member's batches include EARLY with the same quantity
	for member, qty in traced.items():
		assert sum(r.qty for r in trace_member(member) if r.batch_no == EARLY) == qty


def test_scoped_user_traces_only_their_own_members(delivered):
	with as_user(VILLAGE_USER):
		create_distribution(delivered.note.name)
	other_note = deliver(delivered.orders[LINYUAN])
	create_distribution(other_note.name)
	county = {r.member for r in trace_batch(LATE)["members"]}
	assert delivered.other in county
	with as_user(VILLAGE_USER):
		village = trace_batch(LATE)
	assert delivered.other not in {r.member for r in village["members"]}
	assert {r.cooperative for r in village["deliveries"]} == {XINMINBAO}


# -- the sales ledger keeps its records


def test_sales_ledger_has_the_legal_fields_and_keeps_cancelled_rows(delivered):
	with as_user(VILLAGE_USER):
		distribution = create_distribution(delivered.note.name)
	columns, rows, *_ = execute({"from_date": add_days(nowdate(), -1), "to_date": nowdate()})
	fields = {c["fieldname"] for c in columns}
	assert {
		"posting_date",
		"member_name",
		"id_number_masked",
		"item_name",
		"registration_no",
		"producer",
		"batch_no",
		"qty",
		"service_station",
	} <= fields
	mine = [r for r in rows if r.distribution == distribution.name]
	assert {r.registration_no for r in mine} == {"PD20990001"}
	assert all("*" in (r.id_number_masked or "") for r in mine)
	assert sum(r.qty for r in mine) == 50 and {r.service_station for r in mine} == {STATION}
	distribution.cancel()
	with pytest.raises(DistributionError, match="kept for 2 years"):
		frappe.delete_doc("Member Distribution", distribution.name)
	_, rows, *_ = execute({"from_date": add_days(nowdate(), -1), "to_date": nowdate()})
	assert {r.status for r in rows if r.distribution == distribution.name} == {
		"已取消" if frappe.local.lang == "zh" else "Cancelled"
	}


def test_a_counter_sale_is_in_the_sales_ledger_batch_by_batch(delivered):
	"""A station's Delivery Note to a member's own Customer (a sale over the counter) is in the
	ledger: the buyer, the batch the note took, quantity and amount, the station; only in the
	buyer's village's scope; kept, marked cancelled, when the note is cancelled."""
	buyer = create_member(LINYUAN, state="Active", member_name="测试柜台买家")
	warehouse = frappe.db.get_value("Service Station", STATION, "warehouse")
	with as_user("warehouse@dalate.demo"):
		note = frappe.get_doc(
			{
				"doctype": "Delivery Note",
				"company": frappe.db.get_value("Warehouse", warehouse, "company"),
				"customer": buyer.customer,
				"items": [{"item_code": PESTICIDE, "qty": 2, "rate": 21, "warehouse": warehouse}],
			}
		).insert()
		note.submit()
	period = {"from_date": add_days(nowdate(), -1), "to_date": nowdate()}
	_, rows, *_ = execute(period)
	sold = [r for r in rows if r.delivery_note == note.name]
	assert [(r.member, r.batch_no, r.qty, r.amount, r.service_station, r.cooperative) for r in sold] == [
		(buyer.name, LATE, 2, 42, STATION, LINYUAN)  # the first-expiring batch left in the station
	]
	assert sold[0].registration_no == "PD20990001" and "*" in (sold[0].id_number_masked or "")
	assert sold[0].expiry_date == frappe.db.get_value("Batch", LATE, "expiry_date")
	with as_user(VILLAGE_USER):  # 新民堡村's user: not their member
		_, rows, *_ = execute(period)
	assert note.name not in {r.delivery_note for r in rows}
	note.cancel()
	_, rows, *_ = execute(period)
	assert {r.status for r in rows if r.delivery_note == note.name} == {
		"已取消" if frappe.local.lang == "zh" else "Cancelled"
	}


def test_a_receipt_without_typed_batches_still_batches_the_pesticide():
	"""ERPNext makes the batch from the item's series; the batch gets its public token."""
	campaign = campaign_with({PESTICIDE: (SUPPLIER, 18.0, 21.0)})
	create_order(campaign.name, XINMINBAO, [(None, PESTICIDE, 12)])
	with as_user(SMC_USER):
		frappe.get_doc("Purchase Campaign", campaign.name).close_campaign()
	(po,) = campaign_documents("Purchase Order", campaign.name)
	with as_user("warehouse@dalate.demo"):
		receipt = receive_in_batches(po, {})
	(batch,) = bundle_batches("Purchase Receipt", receipt.name)
	assert batch.startswith("PC-")
	token, expiry = frappe.db.get_value("Batch", batch, ["agri_coop_trace_token", "expiry_date"])
	assert len(token) >= 20 and expiry  # the item's shelf life gives the expiry


def test_an_expired_batch_is_not_given_to_members(delivered):
	frappe.db.set_value("Batch", EARLY, "expiry_date", add_days(nowdate(), -1))
	with as_user(VILLAGE_USER), pytest.raises(DistributionError, match="expired"):
		create_distribution(
			delivered.note.name,
			rows=[{"member": delivered.members[0], "item_code": PESTICIDE, "batch_no": EARLY, "qty": 1}],
		)


def test_a_station_sale_of_a_pesticide_goes_by_real_name_too():
	"""A Delivery Note to a member's own Customer (a sale over the station's counter)."""
	pesticide_items()
	pending = create_member(XINMINBAO, member_name="测试柜台")
	customer = frappe.db.get_value("Coop Member", pending.name, "customer")
	assert customer
	warehouse = frappe.db.get_value("Service Station", STATION, "warehouse")
	note = frappe.get_doc(
		{
			"doctype": "Delivery Note",
			"company": frappe.db.get_value("Warehouse", warehouse, "company"),
			"customer": customer,
			"items": [{"item_code": PESTICIDE, "qty": 1, "rate": 21, "warehouse": warehouse}],
		}
	)
	with pytest.raises(RealNameError, match=r"测试柜台.*active member"):
		note.insert()


def test_an_invoice_that_updates_stock_takes_no_pesticide_out():
	"""A Sales Invoice with Update Stock would move a pesticide past the Delivery Note's real
	name, batch and recall checks and past the trace: refused, naming the row; billed without
	Update Stock (goods delivered on a Delivery Note) it is accepted."""
	pesticide_items()
	member = create_member(XINMINBAO, state="Active", member_name="测试开票")
	warehouse = frappe.db.get_value("Service Station", STATION, "warehouse")
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": frappe.db.get_value("Warehouse", warehouse, "company"),
			"customer": member.customer,
			"update_stock": 1,
			"items": [
				{"item_code": PESTICIDE, "qty": 1, "rate": 21, "warehouse": warehouse},
			],
		}
	)
	with pytest.raises(InvoiceStockError, match=r"Items row 1: 测试吡虫啉 .*Delivery Note") as refused:
		invoice.insert()
	assert "只能用出库单出库" in str(refused.value)  # the zh half is there too
	assert not frappe.db.exists("Sales Invoice", {"customer": member.customer})
	invoice.update_stock = 0
	invoice.insert()
	assert frappe.db.get_value("Sales Invoice", invoice.name, "update_stock") == 0


def test_the_batch_label_carries_a_qr_code_of_its_public_page(delivered):
	url = trace_url(EARLY)
	token = frappe.db.get_value("Batch", EARLY, "agri_coop_trace_token")
	assert url.endswith(f"/trace/{token}") and EARLY not in url
	png = base64.b64decode(trace_qr_data_uri(EARLY).split(",", 1)[1])
	assert png.startswith(b"\x89PNG")
	html = get_html_and_style("Batch", EARLY, print_format="Batch Trace Label")["html"]
	assert "data:image/png;base64," in html and "PD20990001" in html
	with as_user(VILLAGE_USER), pytest.raises(frappe.PermissionError):
		trace_qr_data_uri(EARLY)
