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
