import io

import frappe
from frappe.model.document import Document
from frappe.utils import escape_html, now_datetime

from agri_coop.members.onboarding import (
	BACKGROUND_ABOVE_ROWS,
	OnboardingSheetError,
	error_report_xlsx,
	import_rows,
	read_sheet,
	template_xlsx,
)
from agri_coop.permissions import allowed_cooperatives, is_in_scope
from agri_coop.security.boundary import own_cooperative
from agri_coop.security.boundary_files import can_read_file_url
from agri_coop.utils.messages import Msg, bilingual, throw

PREVIEW_ROWS = 100
# A csv row of the sheet is ~70 bytes, an xlsx row ~40: above this size, run in the background.
BACKGROUND_ABOVE_BYTES = BACKGROUND_ABOVE_ROWS * 40


class MemberImport(Document):
	def validate(self):
		# An import belongs to a co-op; one without is the county's (county roles only).
		if allowed_cooperatives() is not None:
			if not self.cooperative:
				self.cooperative = own_cooperative()
			if not is_in_scope(self.cooperative):
				throw("Choose the co-op this import is for", exc=frappe.PermissionError)
		if self.has_value_changed("import_file") and not can_read_file_url(self.import_file):
			throw("You may not attach a file you cannot read", exc=frappe.PermissionError)

	@frappe.whitelist()
	def start_import(self):
		"""Run the import now (small sheets) or in the background with a progress bar."""
		self.check_permission("write")
		if self.status in ("Queued", "Running", "Completed"):
			throw("This import is already {0}", Msg(self.status, context=self.doctype))
		if not can_read_file_url(self.import_file):
			throw("You may not attach a file you cannot read", exc=frappe.PermissionError)
		file = frappe.get_doc("File", {"file_url": self.import_file})
		in_background = (file.file_size or 0) > BACKGROUND_ABOVE_BYTES
		self.db_set("status", "Queued")
		frappe.enqueue(
			run_member_import,
			queue="long",
			timeout=3600,
			import_name=self.name,
			now=not in_background,
			enqueue_after_commit=in_background,
		)
		# Queued while the background job waits; the outcome when it ran at once.
		return frappe.db.get_value(self.doctype, self.name, "status")


def run_member_import(import_name: str):
	"""Background job: the import runs in one transaction; its status is committed around it,
	so that other users see it (tests run the job inline without commits: tests/jobs.py)."""
	doc = frappe.get_doc("Member Import", import_name)
	doc.db_set({"status": "Running", "started_at": now_datetime()}, commit=True)
	try:
		file = frappe.get_doc("File", {"file_url": doc.import_file})
		rows = read_sheet(file.get_content(), file.file_name)

		def progress(done, total):
			frappe.publish_progress(
				done * 100 / max(total, 1),
				title=bilingual("Importing members"),
				doctype=doc.doctype,
				docname=doc.name,
			)

		result = import_rows(rows, import_batch=doc.name, progress=progress)
	except Exception as error:
		frappe.db.rollback()
		message = (
			str(error)
			if isinstance(error, OnboardingSheetError)
			else bilingual("The import failed; nothing was written")
		)
		doc.db_set({"status": "Failed", "finished_at": now_datetime(), "summary": message}, commit=True)
		if not isinstance(error, OnboardingSheetError):
			doc.log_error("Member Import failed")
		return

	summary = bilingual(
		"{0} rows: {1} imported, {2} already there, {3} with errors ({4:.1f} s)",
		result.total_rows,
		result.imported_rows,
		result.existing_rows,
		result.bad_rows,
		result.seconds,
	)
	values = {
		"status": "Completed",
		"finished_at": now_datetime(),
		"total_rows": result.total_rows,
		"imported_rows": result.imported_rows,
		"existing_rows": result.existing_rows,
		"bad_rows": result.bad_rows,
		"summary": summary,
		"error_file": attach_error_report(doc, result) if result.errors else None,
	}
	doc.db_set(values)
	frappe.publish_progress(
		100, title=bilingual("Importing members"), doctype=doc.doctype, docname=doc.name, description=summary
	)


def attach_error_report(doc, result) -> str:
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{doc.name}-errors.xlsx",
			"attached_to_doctype": doc.doctype,
			"attached_to_name": doc.name,
			"is_private": 1,
			"content": error_report_xlsx(result),
		}
	)
	file.save(ignore_permissions=True)
	return file.file_url


@frappe.whitelist()
def get_error_preview(import_name: str) -> str:
	"""The first rows of the error report as an HTML table for the form."""
	doc = frappe.get_doc("Member Import", import_name)
	doc.check_permission("read")
	if not doc.error_file:
		return ""
	from openpyxl import load_workbook

	content = frappe.get_doc("File", {"file_url": doc.error_file}).get_content()
	sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
	rows = list(sheet.iter_rows(values_only=True, max_row=PREVIEW_ROWS + 1))
	head = "".join(f"<th>{escape_html(str(c))}</th>" for c in rows[0][:4])
	body = "".join(
		"<tr>" + "".join(f"<td>{escape_html(str(c or ''))}</td>" for c in row[:4]) + "</tr>"
		for row in rows[1:]
	)
	return f"<table class='table table-bordered table-sm'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


@frappe.whitelist()
def download_template():
	frappe.response["filename"] = "社员上线信息采集表.xlsx"
	frappe.response["filecontent"] = template_xlsx()
	frappe.response["type"] = "binary"
