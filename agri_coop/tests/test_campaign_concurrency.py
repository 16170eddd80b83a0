"""An order submitted at the moment of close is either in the consolidation or refused with
a clear error — never lost, never counted twice. Two real database connections (threads)."""

import threading
import time

import frappe
import pytest

from agri_coop.purchasing.doctype.campaign_order.campaign_order import CampaignClosedError
from agri_coop.tests.campaign_factories import ITEMS, create_campaign, create_order
from agri_coop.tests.utils import SMC_USER, XINMINBAO, create_member

UREA = next(iter(ITEMS))
TITLE = "并发测试统购活动"


def in_other_connection(target, *args, result: dict):
	"""Run target(*args) in a thread with its own Frappe context and DB connection; commit."""
	site, sites_path = frappe.local.site, frappe.local.sites_path

	def run():
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		frappe.flags.in_test = True
		try:
			result["value"] = target(*args)
			frappe.db.commit()
		except Exception as error:
			frappe.db.rollback()
			result["error"] = error
		finally:
			frappe.destroy()

	thread = threading.Thread(target=run)
	thread.start()
	return thread


def submit_slowly(order_name, hold_seconds):
	frappe.set_user("Administrator")
	order = frappe.get_doc("Campaign Order", order_name)
	order.submit()  # takes the campaign row's lock in before_submit
	time.sleep(hold_seconds)  # ... and holds it while the close comes in
	return order.name


def close(campaign):
	frappe.set_user(SMC_USER)
	frappe.get_doc("Purchase Campaign", campaign).close_campaign()


@pytest.fixture
def committed_campaign():
	"""These tests need committed data: they clean up after themselves."""
	if frappe.db.exists("Purchase Campaign", TITLE):  # left by an interrupted run
		cleanup(TITLE, None)
	campaign = create_campaign(TITLE)
	member = create_member(XINMINBAO, state="Active").name
	first = create_order(campaign.name, XINMINBAO, [(member, UREA, 3)])
	pending = create_order(campaign.name, XINMINBAO, [(member, UREA, 4)], submit=False)
	frappe.db.commit()
	yield campaign, first, pending, member
	frappe.db.rollback()
	cleanup(campaign.name, member)


def cleanup(campaign, *members):
	frappe.set_user("Administrator")
	for name in frappe.get_all("Campaign Order", {"campaign": campaign}, pluck="name"):
		frappe.db.delete("Campaign Order Line", {"parent": name})
		frappe.db.delete("Campaign Order", {"name": name})
	for doctype in ("Sales Order", "Purchase Order"):
		for name in frappe.get_all(doctype, {"agri_coop_campaign": campaign}, pluck="name"):
			doc = frappe.get_doc(doctype, name)
			if doc.docstatus == 1:
				doc.cancel()
			frappe.delete_doc(doctype, name, force=True)
	frappe.db.delete("Purchase Campaign Item", {"parent": campaign})
	frappe.db.delete("Purchase Campaign", {"name": campaign})
	for member in filter(None, members):
		frappe.db.delete("Customer", {"name": member})
		frappe.db.delete("Coop Member", {"name": member})
	frappe.db.commit()


def consolidated_qty(campaign):
	return sum(
		frappe.db.get_value("Sales Order Item", {"parent": so}, "sum(qty)") or 0
		for so in frappe.get_all(
			"Sales Order", {"agri_coop_campaign": campaign, "docstatus": 1}, pluck="name"
		)
	)


def test_order_holding_the_lock_is_consolidated(committed_campaign):
	campaign, _, pending, _ = committed_campaign
	submitted = {}
	thread = in_other_connection(submit_slowly, pending.name, 2, result=submitted)
	time.sleep(0.5)  # the other connection has the lock now
	closing = {}
	in_other_connection(close, campaign.name, result=closing).join()
	thread.join()
	assert "error" not in submitted and "error" not in closing, (submitted, closing)
	frappe.db.rollback()  # fresh snapshot
	assert frappe.db.get_value("Campaign Order", pending.name, "docstatus") == 1
	assert consolidated_qty(campaign.name) == 3 + 4  # both orders, once each


def test_order_after_the_close_is_refused(committed_campaign):
	campaign, _, pending, _ = committed_campaign
	closing = {}
	in_other_connection(close, campaign.name, result=closing).join()
	assert "error" not in closing, closing
	submitted = {}
	in_other_connection(submit_slowly, pending.name, 0, result=submitted).join()
	assert isinstance(submitted.get("error"), CampaignClosedError)
	assert "orders are taken only while it is open" in str(submitted["error"])
	frappe.db.rollback()
	assert frappe.db.get_value("Campaign Order", pending.name, "docstatus") == 0
	assert consolidated_qty(campaign.name) == 3
