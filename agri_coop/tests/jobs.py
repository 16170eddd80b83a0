"""Tests run the app's background jobs at once, inside the test's transaction.

`run_app_jobs_inline` (called by `before_tests`) replaces `frappe.enqueue` for the session,
as india_compliance does: a job whose method is agri_coop's runs immediately, whatever the
caller asked (queue, `now`, `enqueue_after_commit`); any other app's job is enqueued as usual.
A job may commit (the member import commits its status so other users see its progress):
while it runs inline `frappe.db.commit` does nothing, so each test's writes are still rolled
back after it. Production code therefore never asks whether it runs in a test.
"""

from unittest.mock import patch

import frappe

# What frappe.enqueue takes for itself; everything else goes to the job's method.
ENQUEUE_OPTIONS = (
	"queue",
	"timeout",
	"event",
	"is_async",
	"job_name",
	"now",
	"enqueue_after_commit",
	"on_success",
	"on_failure",
	"at_front",
	"job_id",
	"deduplicate",
)


def run_app_jobs_inline():
	if getattr(frappe.enqueue, "agri_coop_inline", False):
		return
	frappe_enqueue = frappe.enqueue

	def enqueue(method, *args, **kwargs):
		job = frappe.get_attr(method) if isinstance(method, str) else method
		if not (getattr(job, "__module__", None) or "").startswith("agri_coop."):
			return frappe_enqueue(method, *args, **kwargs)
		for option in ENQUEUE_OPTIONS:
			kwargs.pop(option, None)
		with patch.object(frappe.local.db, "commit", lambda *a, **k: None):
			return job(**kwargs)

	enqueue.agri_coop_inline = True
	frappe.enqueue = enqueue
