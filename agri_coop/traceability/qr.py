"""The batch label's QR code: it opens /trace/<token> (agri_coop/www/trace.py), the public page
of the batch; the token is random, so batch names cannot be walked."""

import base64
import io

import frappe
import pyqrcode
from frappe.utils import get_url


def trace_url(batch: str) -> str | None:
	token = frappe.db.get_value("Batch", batch, "agri_coop_trace_token")
	return get_url(f"/trace/{token}") if token else None


def trace_qr_data_uri(batch: str) -> str:
	"""A PNG data URI of the batch's trace URL (used by the print format 批次追溯标签)."""
	if not frappe.has_permission("Batch", "print", batch):
		raise frappe.PermissionError
	url = trace_url(batch)
	if not url:
		return ""
	buffer = io.BytesIO()
	pyqrcode.create(url, error="M").png(buffer, scale=4)
	return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
