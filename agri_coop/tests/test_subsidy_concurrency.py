"""No double payment when two requests come at the same moment: two applications for the
same beneficiary, programme and year submitted at once, and one tranche paid twice at once.
Two real database connections (threads); the data is committed and cleaned up."""

import time

import frappe
import pytest

from agri_coop.demo.subsidies import create_application, create_subsidy_program
from agri_coop.subsidies.payments import DoublePaymentError, lock_program, pay_tranche, receive_funds
from agri_coop.tests.test_campaign_concurrency import in_other_connection
from agri_coop.tests.utils import SHULINZHAO

PROGRAM = "并发测试年度奖励"


def cleanup():
	frappe.db.rollback()
	frappe.set_user("Administrator")
	for name in frappe.get_all("Subsidy Application", {"program": PROGRAM}, pluck="name"):
		for entry in frappe.get_all(
			"Journal Entry", {"agri_coop_subsidy_application": name, "docstatus": 1}, pluck="name"
		):
			frappe.get_doc("Journal Entry", entry).cancel()
	entries = frappe.get_all(
		"Journal Entry Account", {"subsidy_program": PROGRAM, "parenttype": "Journal Entry"}, pluck="parent"
	)
	for entry in set(entries):
		doc = frappe.get_doc("Journal Entry", entry)
		if doc.docstatus == 1:
			doc.cancel()
	for name in frappe.get_all("Subsidy Application", {"program": PROGRAM}, pluck="name"):
		for child in ("Subsidy Tranche", "Subsidy Notice Objection"):
			frappe.db.delete(child, {"parent": name})
		frappe.db.delete("Subsidy Application", {"name": name})
	for entry in set(entries):
		frappe.delete_doc("Journal Entry", entry, force=True, ignore_permissions=True)
	frappe.db.delete("GL Entry", {"subsidy_program": PROGRAM})
	frappe.db.delete("Payment Ledger Entry", {"subsidy_program": PROGRAM})
	frappe.db.delete("Subsidy Program", {"name": PROGRAM})
	frappe.db.commit()


@pytest.fixture
def program():
	cleanup()
	doc = create_subsidy_program(
		PROGRAM, "Annual Award", notice_working_days=0, first_year=2023, last_year=2027
	)
	receive_funds(doc.name, 1_000_000, "2023-01-02", "并发测试")
	frappe.db.commit()
	yield doc
	cleanup()


def draft(program):
	return create_application(
		program.name, SHULINZHAO, 2023, star_rating=4, audited_revenue=10_000_000, audit_report="/a.pdf"
	)


def submit_slowly(name, hold_seconds):
	doc = frappe.get_doc("Subsidy Application", name)
	doc.submit()  # takes the programme's lock in before_submit ...
	time.sleep(hold_seconds)  # ... and holds it while the other comes in
	return doc.name


def submit(name):
	frappe.get_doc("Subsidy Application", name).submit()
	return name


def test_two_applications_for_the_same_year_submitted_at_once(program):
	first, second = draft(program), draft(program)
	frappe.db.commit()
	results = [{}, {}]
	slow = in_other_connection(submit_slowly, first.name, 2, result=results[0])
	time.sleep(0.7)  # the first connection holds the programme's lock now
	in_other_connection(submit, second.name, result=results[1]).join()
	slow.join()
	assert "error" not in results[0], results[0]
	assert isinstance(results[1].get("error"), DoublePaymentError), results[1]
	frappe.db.rollback()
	assert frappe.db.get_value("Subsidy Application", first.name, "docstatus") == 1
	assert frappe.db.get_value("Subsidy Application", second.name, "docstatus") == 0


def pay_slowly(name, tranche, hold_seconds):
	entry = pay_tranche(name, tranche, "2024-04-01")
	time.sleep(hold_seconds)
	return entry


def pay(name, tranche):
	return pay_tranche(name, tranche, "2024-04-02")


def test_one_tranche_paid_twice_at_once(program):
	app = draft(program)
	app.submit()
	frappe.db.commit()
	tranche = app.tranches[0].name
	results = [{}, {}]
	slow = in_other_connection(pay_slowly, app.name, tranche, 2, result=results[0])
	time.sleep(0.7)
	in_other_connection(pay, app.name, tranche, result=results[1]).join()
	slow.join()
	assert "error" not in results[0], results[0]
	assert isinstance(results[1].get("error"), DoublePaymentError), results[1]
	frappe.db.rollback()
	entries = frappe.get_all(
		"Journal Entry", {"agri_coop_subsidy_application": app.name, "docstatus": 1}, pluck="name"
	)
	assert entries == [results[0]["value"]]
	assert frappe.db.get_value("Subsidy Application", app.name, "status") == "Paid"


def test_the_lock_is_the_programme_row(program):
	"""The second request really waits: while one connection holds the lock, another's
	locking read of the programme times out instead of reading past it."""
	results = [{}, {}]

	def hold():
		lock_program(PROGRAM)
		time.sleep(2)

	def try_lock():
		frappe.db.sql("set innodb_lock_wait_timeout = 1")
		lock_program(PROGRAM)

	holder = in_other_connection(hold, result=results[0])
	time.sleep(0.5)
	in_other_connection(try_lock, result=results[1]).join()
	holder.join()
	assert results[1].get("error") is not None
