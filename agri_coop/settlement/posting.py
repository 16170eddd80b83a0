"""Posting a submitted settlement's Journal Entries in the background.

Submitting a settlement freezes its campaign at once (a submitted settlement freezes it:
`agri_coop.overrides.settlement_freeze`; the campaign becomes Settled) and marks the
settlement Posting; the entries (hundreds of lines through ERPNext's GL and Payment Ledger,
tens of seconds for a county) are made by `post_settlement`, a background job, so the
accountant's request returns at once. The desk follows it through `posting_status`
(Posting → Posted, or Failed with the reason in `posting_error`) and a progress bar.

All or none: the job posts every entry inside one savepoint; on any error it rolls back to
it, so no entry of a failed posting stays, and writes Failed with the reason. Idempotent:
the job locks the settlement's row, does nothing unless it is still Posting, and a
settlement that already has its entries is only marked Posted; posting again after a
failure (`retry_posting`) runs the same job.
"""

import frappe
from frappe.utils import now_datetime, strip_html

from agri_coop.settlement.accounts import make_journal_entries, refresh_payment_status, settlement_entries
from agri_coop.utils.messages import bilingual

POSTING, POSTED, FAILED = "Posting", "Posted", "Failed"
SAVEPOINT = "agri_coop_settlement_posting"


def job_id(settlement: str) -> str:
	return f"agri_coop-settlement-posting::{settlement}"


def is_posting_queued(settlement: str) -> bool:
	from frappe.utils.background_jobs import is_job_enqueued

	return is_job_enqueued(job_id(settlement))


def start_posting(settlement):
	"""Mark `settlement` (the document) Posting and queue its posting after this commit."""
	settlement.db_set({"posting_status": POSTING, "posting_error": None, "posted_at": None})
	frappe.enqueue(
		post_settlement,
		queue="long",
		timeout=1800,
		job_id=job_id(settlement.name),
		deduplicate=True,
		enqueue_after_commit=True,
		settlement=settlement.name,
	)


def post_settlement(settlement: str):
	"""Background job: post the settlement's Journal Entries, all or none."""
	doc = frappe.get_doc("Campaign Settlement", settlement, for_update=True)
	if doc.docstatus != 1 or doc.posting_status != POSTING:
		return  # posted, failed and not retried, or cancelled meanwhile
	entries = settlement_entries(doc.name)
	if not entries:
		messages = len(frappe.message_log)
		frappe.db.savepoint(SAVEPOINT)
		try:
			entries = make_journal_entries(doc, progress=lambda done, count: publish(doc, done, count))
		except Exception as error:
			frappe.db.rollback(save_point=SAVEPOINT)
			del frappe.message_log[messages:]  # the reason is kept on the settlement instead
			fail(doc, error)
			return
	doc.db_set(
		{
			"journal_entry": entries[0] if entries else None,
			"posting_status": POSTED,
			"posting_error": None,
			"posted_at": now_datetime(),
		}
	)
	refresh_payment_status(doc)
	frappe.db.commit()
	publish(doc, 1, 1, bilingual("Posted {0} Journal Entries", len(entries)))


def fail(doc, error: Exception):
	reason = strip_html(str(error)).strip() or type(error).__name__
	doc.db_set({"posting_status": FAILED, "posting_error": reason[:2000], "posted_at": None})
	frappe.db.commit()
	if not isinstance(error, frappe.ValidationError):
		doc.log_error("Settlement posting failed")
	publish(doc, 1, 1, bilingual("Posting failed: {0}", reason[:200]))


def publish(doc, done: int, count: int, description: str | None = None):
	frappe.publish_progress(
		done * 100 / max(count, 1),
		title=bilingual("Posting the settlement"),
		doctype=doc.doctype,
		docname=doc.name,
		description=description or bilingual("Journal Entry {0} of {1}", done, count),
	)
