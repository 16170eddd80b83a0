"""Two orders on the same credit line submitted at the same moment cannot overdraw it: the
second waits for the line's row lock and then sees the first one's reservation. Two real
database connections (threads), committed data, cleaned up afterwards."""

import time

import frappe
import pytest
from frappe.utils import add_days, nowdate

from agri_coop.finance.credit import CreditLimitError
from agri_coop.tests.campaign_factories import create_campaign
from agri_coop.tests.credit_factories import UREA, bank, credit_row, member_with_line, order
from agri_coop.tests.test_campaign_concurrency import cleanup, in_other_connection

TITLE = "并发赊购测试活动"


@pytest.fixture
def committed_orders():
	if frappe.db.exists("Purchase Campaign", TITLE):  # left by an interrupted run
		cleanup(TITLE, None)
	bank()
	campaign = create_campaign(TITLE)
	member, line = member_with_line(1000, valid_from=add_days(nowdate(), -1))
	# each order alone fits (600 and 480 of 1,000), both together do not
	first = order(campaign.name, [credit_row(member, UREA, 5, line.name)], submit=False)
	second = order(campaign.name, [credit_row(member, UREA, 4, line.name)], submit=False)
	frappe.db.commit()
	yield first, second, line
	frappe.db.rollback()
	cleanup(campaign.name, None)
	frappe.db.delete("Credit Line", {"name": line.name})
	frappe.db.delete("Customer", {"name": member})
	frappe.db.delete("Coop Member", {"name": member})
	frappe.db.commit()


def submit(order_name, hold_seconds):
	frappe.set_user("Administrator")
	doc = frappe.get_doc("Campaign Order", order_name)
	doc.submit()  # takes the credit line's row lock in before_submit
	time.sleep(hold_seconds)  # ... and holds it while the other order comes in
	return doc.name


def test_two_orders_at_the_same_moment_cannot_overdraw_the_line(committed_orders):
	first, second, line = committed_orders
	results = [{}, {}]
	holder = in_other_connection(submit, first.name, 2, result=results[0])
	time.sleep(0.5)  # the first connection holds the line's lock now
	in_other_connection(submit, second.name, 0, result=results[1]).join()
	holder.join()
	assert "error" not in results[0], results[0]
	assert isinstance(results[1].get("error"), CreditLimitError), results[1]
	assert "only 400.0 is available" in str(results[1]["error"])
	frappe.db.rollback()  # a fresh snapshot
	assert frappe.db.get_value("Campaign Order", first.name, "docstatus") == 1
	assert frappe.db.get_value("Campaign Order", second.name, "docstatus") == 0
	assert frappe.db.get_value("Credit Line", line.name, "reserved_amount") == 600


def test_both_orders_at_once_within_the_limit_are_both_reserved(committed_orders):
	first, second, line = committed_orders
	frappe.db.set_value("Credit Line", line.name, "approved_limit", 1080)
	frappe.db.commit()
	results = [{}, {}]
	holder = in_other_connection(submit, first.name, 1, result=results[0])
	time.sleep(0.3)
	in_other_connection(submit, second.name, 0, result=results[1]).join()
	holder.join()
	assert "error" not in results[0] and "error" not in results[1], results
	frappe.db.rollback()
	assert frappe.db.get_value("Credit Line", line.name, "reserved_amount") == 1080
