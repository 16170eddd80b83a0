"""Benchmarks, run on demand (never in CI, not shipped with the app):
bash scripts/benchmark.sh NAME [ARGS...] runs `benchmarks/NAME.py`'s `run(*ARGS)` on the
benchmark site."""

from contextlib import contextmanager
from unittest.mock import patch

import frappe


@contextmanager
def jobs_inline():
	"""Run what the app enqueues at once, in this process (as a worker would, but timed here)."""
	enqueue = frappe.enqueue

	def run_now(method, *args, **kwargs):
		kwargs.update(now=True, enqueue_after_commit=False)
		return enqueue(method, *args, **kwargs)

	with patch("frappe.enqueue", run_now):
		yield


@contextmanager
def no_commit():
	"""A job's own commits made no-ops, so that what it writes is rolled back afterwards."""
	with patch.object(frappe.local.db, "commit", lambda *args, **kwargs: None):
		yield


def table_rows(doctype: str, filters: dict) -> tuple[list[str], list[tuple]]:
	"""Every column of the rows of `doctype` matching `filters`, as the database holds them."""
	columns = frappe.db.get_table_columns(doctype)
	names = frappe.get_all(doctype, filters, pluck="name")
	if not names:
		return columns, []
	Table = frappe.qb.DocType(doctype)
	rows = frappe.qb.from_(Table).select(*[Table[c] for c in columns]).where(Table.name.isin(names)).run()
	# a column that is NULL in every row is left to its default, as the app's own inserts do
	kept = [i for i in range(len(columns)) if any(row[i] is not None for row in rows)]
	return [columns[i] for i in kept], [tuple(row[i] for i in kept) for row in rows]


def time_floor(tables: dict) -> tuple[float, int]:
	"""The physical floor: the same rows ({doctype: (columns, rows)}) written again with
	multi-row inserts (as many rows a statement as the app's, agri_coop.utils.bulk) and no logic
	at all (then rolled back)."""
	import time

	from agri_coop.utils.bulk import insert_rows

	frappe.db.rollback()
	started = time.monotonic()
	count = sum(insert_rows(doctype, columns, rows) for doctype, (columns, rows) in tables.items() if rows)
	seconds = time.monotonic() - started
	frappe.db.rollback()
	return seconds, count
