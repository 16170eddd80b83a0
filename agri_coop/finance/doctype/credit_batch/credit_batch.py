"""Credit Batch (整村授信, seed 001): one bank grants lines to many members of one village from a
sheet, with the member import's quality: every row is checked with the Credit Line's own
rules, good rows are granted, bad rows are listed (row, field, reason in zh and en), running
it again grants nothing twice (a member who already has a line of this bank counts as
already granted), large sheets run in the background.

Sheet columns: 身份证号 (resident ID number) or 社员编号 (member number), 授信额度 (limit).
Lines are granted as Approved (the bank's survey of the whole village is the batch); the
credit officer activates them."""

import frappe
from frappe.model.document import Document
from frappe.query_builder import DocType
from frappe.utils import flt, now_datetime, today

from agri_coop.constants.roles import CREDIT_OFFICER
from agri_coop.finance.doctype.credit_line.credit_line import bank_product
from agri_coop.finance.scope import check_bank_access
from agri_coop.members.onboarding import cell_text, read_sheet
from agri_coop.security.boundary_files import can_read_file_url
from agri_coop.security.privacy import hasher
from agri_coop.utils.integrity import allow_server_fields
from agri_coop.utils.lookups import is_village
from agri_coop.utils.messages import Msg, bilingual, throw

HEADERS = {"身份证号": "id_number", "社员编号": "member", "授信额度": "limit"}
BACKGROUND_ABOVE_ROWS = 500
OPEN_STATES = ("Applied", "Surveyed", "Approved", "Active", "Frozen")


class CreditBatchError(frappe.ValidationError):
	pass


class CreditBatch(Document):
	def validate(self):
		if not is_village(self.cooperative):
			throw(
				"Field {0}: {1} is not a village co-op",
				Msg("Village Cooperative"),
				self.cooperative,
				exc=CreditBatchError,
			)
		bank_product(self.partner_bank, self.product)
		if (
			self.has_value_changed("import_file")
			and self.import_file
			and not can_read_file_url(self.import_file)
		):
			throw("You may not attach a file you cannot read", exc=frappe.PermissionError)

	@frappe.whitelist()
	def grant(self):
		"""Check the sheet and grant its good rows, now or in the background for a large sheet."""
		self.check_permission("write")
		if CREDIT_OFFICER not in frappe.get_roles() and "System Manager" not in frappe.get_roles():
			throw("Whole-village credit is granted by the bank's credit officer", exc=frappe.PermissionError)
		check_bank_access(self.partner_bank)
		if self.batch_state in ("Queued", "Running"):
			throw("This batch is already {0}", Msg(self.batch_state), exc=CreditBatchError)
		if not self.import_file or not can_read_file_url(self.import_file):
			throw("Field {0}: attach the sheet", Msg("Credit Sheet"), exc=CreditBatchError)
		rows = sheet_rows(self.import_file)
		in_background = len(rows) > BACKGROUND_ABOVE_ROWS
		self.db_set("batch_state", "Queued")
		frappe.enqueue(
			run_credit_batch,
			queue="long",
			timeout=3600,
			batch=self.name,
			now=not in_background,
			enqueue_after_commit=in_background,
		)
		return frappe.db.get_value(self.doctype, self.name, "batch_state")


def sheet_rows(file_url: str) -> list[list]:
	file = frappe.get_doc("File", {"file_url": file_url})
	return read_sheet(file.get_content(), file.file_name)


def run_credit_batch(batch: str):
	doc = frappe.get_doc("Credit Batch", batch)
	doc.db_set("batch_state", "Running", commit=True)
	try:
		granted, existing, errors, total = grant_rows(doc, sheet_rows(doc.import_file))
	except CreditBatchError as error:  # the sheet itself is wrong: nothing was granted
		doc.reload()
		doc.set("errors", [{"row_number": 1, "member_reference": "", "field": "", "reason": str(error)}])
		doc.batch_state, doc.error_count = "Failed", 1
		doc.flags.ignore_permissions = True
		allow_server_fields(doc).save()
		return
	doc.reload()
	doc.set(
		"errors",
		[
			{"row_number": r, "member_reference": m, "field": f, "reason": reason}
			for r, m, f, reason in errors
		],
	)
	doc.row_count, doc.granted_count, doc.existing_count, doc.error_count = (
		total,
		granted,
		existing,
		len({e[0] for e in errors}),
	)
	doc.batch_state = "Done with Errors" if errors else "Done"
	doc.flags.ignore_permissions = True  # the server's result of a step the user was allowed to take
	allow_server_fields(doc).save()


def grant_rows(doc, rows):
	if not rows:
		raise CreditBatchError(bilingual("The sheet is empty"))
	columns = {
		HEADERS[h]: i for i, h in enumerate("".join(str(c or "").split()) for c in rows[0]) if h in HEADERS
	}
	if "limit" not in columns or not ({"id_number", "member"} & set(columns)):
		raise CreditBatchError(bilingual("The sheet needs the columns 身份证号 or 社员编号, and 授信额度"))
	members = village_members(doc.cooperative)
	by_hash = {m.id_number_hash: m for m in members.values() if m.id_number_hash}
	hash_of = hasher()
	has_line = set(
		frappe.get_all(
			"Credit Line",
			{
				"partner_bank": doc.partner_bank,
				"credit_state": ("in", OPEN_STATES),
				"cooperative": doc.cooperative,
			},
			pluck="member",
		)
	)
	max_limit = flt(bank_product(doc.partner_bank, doc.product).max_limit)
	granted = existing = 0
	errors, seen = [], set()
	for number, row in enumerate(rows[1:], start=2):
		cells = {key: cell_text(row[i]) if i < len(row) else "" for key, i in columns.items()}
		if not any(cells.values()):
			continue
		reference = cells.get("member") or mask_id(cells.get("id_number"))
		member = (
			members.get(cells.get("member"))
			if cells.get("member")
			else by_hash.get(hash_of(cells.get("id_number", "").upper()))
		)
		if not member:
			errors.append(
				(
					number,
					reference,
					"身份证号 / 社员编号",
					bilingual("No member of {0} with this number", doc.cooperative),
				)
			)
			continue
		limit = flt(cells.get("limit"))
		if limit <= 0 or (max_limit and limit > max_limit):
			errors.append(
				(
					number,
					reference,
					"授信额度",
					bilingual(
						"The limit must be above 0 and at most the product's maximum of {0}", max_limit
					),
				)
			)
			continue
		if member.name in seen:
			errors.append(
				(
					number,
					reference,
					"社员编号",
					bilingual("Member {0} is listed twice in the sheet", member.member_name),
				)
			)
			continue
		seen.add(member.name)
		if member.name in has_line:
			existing += 1
			continue
		if member.state == "Suspended":
			errors.append(
				(number, reference, "社员编号", bilingual("Member {0} is suspended", member.member_name))
			)
			continue
		line = frappe.get_doc(
			{
				"doctype": "Credit Line",
				"member": member.name,
				"partner_bank": doc.partner_bank,
				"product": doc.product,
				"approved_limit": limit,
				"valid_from": doc.valid_from,
				"valid_to": doc.valid_to,
				"credit_batch": doc.name,
				"credit_state": "Approved",
				"survey_notes": bilingual("Whole-village credit {0}", doc.name),
				"surveyed_by": frappe.session.user,
				"surveyed_on": today(),
				"approved_by": frappe.session.user,
				"approved_on": today(),
			}
		)
		allow_server_fields(line).insert()  # granted as approved by the batch's own survey
		has_line.add(member.name)
		granted += 1
	frappe.db.set_value("Credit Batch", doc.name, "modified", now_datetime(), update_modified=False)
	return granted, existing, errors, len(rows) - 1


def village_members(cooperative: str) -> dict:
	Member = DocType("Coop Member")
	return {
		m.name: m
		for m in frappe.qb.from_(Member)
		.select(Member.name, Member.member_name, Member.state, Member.id_number_hash)
		.where(Member.cooperative == cooperative)
		.run(as_dict=True)
	}


def mask_id(value: str | None) -> str:
	value = value or ""
	return f"{value[:6]}********{value[-4:]}" if len(value) >= 10 else "***"
