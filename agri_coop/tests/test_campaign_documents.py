"""A campaign's ERPNext documents: only the app's flows and the step's owners make them, and
the campaign counts only the documents the app made (issue 9, items 4, 5 and 7)."""

import frappe
import pytest
from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
from frappe.utils import nowdate

from agri_coop.overrides.campaign_guard import APP_FLOW, CampaignDocumentError, CampaignSourceError
from agri_coop.purchasing.campaign_state import state_from_documents
from agri_coop.purchasing.consolidation import consolidate_campaign
from agri_coop.settlement.accounts import payment_status
from agri_coop.tests.campaign_factories import ITEMS, create_campaign, create_order
from agri_coop.tests.utils import LINYUAN, SMC_USER, XINMINBAO, as_user

UREA, FILM = list(ITEMS)
SETTLED = "2024 春耕备肥 第一期"


def hand_made_order(campaign, village=XINMINBAO, flow=False, **values):
	doc = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"company": campaign.company,
			"customer": frappe.db.get_value("Cooperative", village, "customer"),
			"transaction_date": nowdate(),
			"delivery_date": campaign.delivery_date,
			"agri_coop_campaign": campaign.name,
			"agri_coop_cooperative": village,
			"items": [
				{
					"item_code": UREA,
					"qty": 1000,
					"rate": 0.01,
					"delivery_date": campaign.delivery_date,
					"warehouse": frappe.db.get_value("Sales Order Item", {}, "warehouse"),
				}
			],
			**values,
		}
	)
	doc.flags[APP_FLOW] = flow  # flow=True: one slipped in before the guard existed
	return doc


@pytest.fixture
def open_campaign():
	campaign = create_campaign()
	create_order(campaign.name, XINMINBAO, [(None, UREA, 10)])
	create_order(campaign.name, LINYUAN, [(None, FILM, 4)])
	return campaign


def test_hand_made_campaign_sales_order_is_refused(open_campaign):
	with as_user(SMC_USER), pytest.raises(CampaignDocumentError, match="consolidation only"):
		hand_made_order(open_campaign).insert()
	with pytest.raises(CampaignDocumentError, match="consolidation only"):  # System Manager too
		hand_made_order(open_campaign, docstatus=1).insert()


def test_consolidation_and_state_ignore_a_tagged_order_the_app_did_not_make(open_campaign):
	"""A ¥0.01 order tagged with the campaign and the village (made before the guard): the
	village still gets its Sales Order, and the order counts nowhere."""
	stray = hand_made_order(open_campaign, flow=True, docstatus=1)
	stray.insert()
	with as_user(SMC_USER):
		frappe.get_doc("Purchase Campaign", open_campaign.name).close_campaign()
	linked = frappe.get_all(
		"Campaign Order Line",
		{"parenttype": "Campaign Order", "item_code": UREA, "sales_order": ("is", "set")},
		pluck="sales_order",
	)
	village_orders = frappe.get_all(
		"Sales Order",
		{"agri_coop_campaign": open_campaign.name, "agri_coop_cooperative": XINMINBAO, "docstatus": 1},
		pluck="name",
	)
	assert len(village_orders) == 2 and stray.name in village_orders
	assert stray.name not in linked
	assert consolidate_campaign(open_campaign.name) == {"Sales Order": [], "Purchase Order": []}
	from agri_coop.purchasing.campaign_documents import app_orders

	assert stray.name not in app_orders(open_campaign.name, "Sales Order")
	assert len(app_orders(open_campaign.name, "Sales Order")) == 2  # one per village
	assert state_from_documents(open_campaign.name) == "Ordered"


def test_delivery_of_a_campaign_order_keeps_the_campaign_and_the_village(open_campaign):
	with as_user(SMC_USER):
		frappe.get_doc("Purchase Campaign", open_campaign.name).close_campaign()
	so = frappe.db.get_value(
		"Sales Order", {"agri_coop_campaign": open_campaign.name, "agri_coop_cooperative": XINMINBAO}
	)
	delivery = make_delivery_note(so)
	delivery.agri_coop_campaign = None
	with pytest.raises(CampaignSourceError, match="belongs to that campaign"):
		delivery.insert()
	delivery = make_delivery_note(so)
	delivery.agri_coop_cooperative = LINYUAN
	with pytest.raises(CampaignSourceError, match="for that co-op too"):
		delivery.insert()
	delivery = make_delivery_note(so)
	delivery.flags.ignore_permissions = True  # past ERPNext's own check: the guard decides
	with as_user("accountant@dalate.demo"), pytest.raises(CampaignDocumentError, match="your role may not"):
		delivery.insert()
	delivery = make_delivery_note(so)
	with as_user("warehouse@dalate.demo"):
		delivery.insert()  # (not submitted: nothing is received in this test)
	assert delivery.agri_coop_cooperative == XINMINBAO


def test_unpaid_rebates_never_look_paid():
	"""Paid and due come from the Payment Ledger of submitted vouchers: with the
	settlement's entry reversed nothing is booked, so nothing is paid."""
	settlement = frappe.get_doc("Campaign Settlement", {"campaign": SETTLED, "docstatus": 1})
	status = payment_status(settlement)
	assert sum(s["paid"] + s["due"] for s in status.values()) == round(settlement.returned_pool * 100)
	entry = frappe.get_doc("Journal Entry", settlement.journal_entry)
	with pytest.raises(CampaignDocumentError, match="cancel the settlement"):
		entry.cancel()
	# as if the entry had been cancelled behind the settlement's back (before the guard)
	entry.reload()
	entry.flags[APP_FLOW] = True
	entry.flags.ignore_links = True
	paid_before = {c: s["paid"] for c, s in status.items()}
	if any(paid_before.values()):
		pytest.skip("the demo settlement has payments: its entry cannot be cancelled")
	entry.cancel()
	after = payment_status(settlement)
	assert all(s == {"paid": 0, "due": 0} for s in after.values())
