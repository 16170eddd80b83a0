"""Two villages' clerks (or two phones) submit distributions of the same Delivery Note at the
same moment: the batch quantities they give out together never exceed what the village
received; the second waits for the first and is refused. Two real database connections."""

import time

import frappe
import pytest

from agri_coop.demo.traceability import RECALLED_BATCH
from agri_coop.tests.test_campaign_concurrency import in_other_connection
from agri_coop.tests.utils import XINMINBAO
from agri_coop.traceability.doctype.member_distribution.member_distribution import DistributionError


def submit_slowly(name, hold_seconds):
	frappe.set_user("Administrator")
	doc = frappe.get_doc("Member Distribution", name)
	doc.submit()  # takes the Delivery Note row's lock in before_submit
	time.sleep(hold_seconds)  # ... and holds it while the other one comes in
	return doc.name


def set_docstatus(name, docstatus):
	frappe.db.set_value("Member Distribution", name, "docstatus", docstatus, update_modified=False)
	frappe.db.sql("update `tabMember Distribution Item` set docstatus=%s where parent=%s", (docstatus, name))


@pytest.fixture
def two_drafts():
	"""The demo's distribution of 新民堡村 is set aside (committed), and two drafts each give
	out all the village received of the note's unrecalled batch; both are removed afterwards
	and the demo's distribution is put back."""
	demo = frappe.get_all(
		"Member Distribution",
		{"cooperative": XINMINBAO, "docstatus": 1},
		["name", "delivery_note", "posting_date"],
		limit=1,
	)
	assert demo, "the traceability demo gives 新民堡村 a distribution"
	demo = demo[0]
	rows = [
		{k: r.get(k) for k in ("member", "item_code", "batch_no", "qty")}
		for r in frappe.get_doc("Member Distribution", demo.name).items
		if r.batch_no != RECALLED_BATCH
	]
	assert rows
	set_docstatus(demo.name, 2)
	drafts = []
	for _ in range(2):
		doc = frappe.get_doc(
			{
				"doctype": "Member Distribution",
				"delivery_note": demo.delivery_note,
				"posting_date": demo.posting_date,  # the demo's batches have expired since
				"items": rows,
			}
		).insert()
		drafts.append(doc.name)
	frappe.db.commit()
	yield drafts
	frappe.db.rollback()
	for name in drafts:
		frappe.db.delete("Member Distribution Item", {"parent": name})
		frappe.db.delete("Member Distribution", {"name": name})
	set_docstatus(demo.name, 1)
	frappe.db.commit()


def test_the_second_distribution_of_the_same_batches_waits_and_is_refused(two_drafts):
	first, second = two_drafts
	one, two = {}, {}
	thread = in_other_connection(submit_slowly, first, 2, result=one)
	time.sleep(0.7)  # the first holds the note's lock now
	in_other_connection(submit_slowly, second, 0, result=two).join()
	thread.join()
	assert "error" not in one, one
	assert isinstance(two.get("error"), DistributionError), two
	assert "would be given to members" in str(two["error"])
	frappe.db.rollback()
	assert frappe.db.get_value("Member Distribution", first, "docstatus") == 1
	assert frappe.db.get_value("Member Distribution", second, "docstatus") == 0
