"""Whole-village credit (整村授信, seed 001): one bank's sheet grants lines to many members of a
village with the member import's quality — bad rows listed with row, field and reason, good
rows granted, running it again grants nothing twice."""

import frappe
import pytest
from frappe.utils import add_days, nowdate

from agri_coop.tests.credit_factories import TEST_BANK, bank
from agri_coop.tests.utils import LINYUAN, XINMINBAO, create_member


def batch_with_sheet(rows: list[str], village: str = XINMINBAO):
	batch = frappe.get_doc(
		{
			"doctype": "Credit Batch",
			"cooperative": village,
			"partner_bank": TEST_BANK,
			"product": "农资贷",
			"valid_from": nowdate(),
			"valid_to": add_days(nowdate(), 365),
		}
	).insert()
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "整村授信.csv",
			"content": "\n".join(rows),
			"is_private": 1,
			"attached_to_doctype": "Credit Batch",
			"attached_to_name": batch.name,
		}
	).insert()
	batch.import_file = file.file_url
	batch.save()
	return batch


def test_a_village_sheet_grants_good_rows_lists_bad_ones_and_is_rerun_safe():
	bank()
	first = create_member(XINMINBAO, state="Active", member_name="整村甲").name
	second = create_member(XINMINBAO, state="Active", member_name="整村乙").name
	third = create_member(XINMINBAO, state="Active", member_name="整村丙")
	other_village = create_member(LINYUAN, state="Active", member_name="外村丁").name
	rows = [
		"社员编号,授信额度",
		f"{first},20000",
		f"{second},0",  # limit 0: refused
		f"{first},10000",  # listed twice
		f"{other_village},20000",  # not a member of this village
		"SY-NOBODY,5000",  # unknown
		f"{third.name},60000",  # above the product's maximum of 50,000
	]
	batch = batch_with_sheet(rows)
	assert batch.grant() in ("Done", "Done with Errors")
	batch.reload()
	assert batch.batch_state == "Done with Errors"
	assert (batch.row_count, batch.granted_count, batch.existing_count, batch.error_count) == (6, 1, 0, 5)
	errors = {(e.row_number, e.field) for e in batch.errors}
	assert errors == {
		(3, "授信额度"),
		(4, "社员编号"),
		(5, "身份证号 / 社员编号"),
		(6, "身份证号 / 社员编号"),
		(7, "授信额度"),
	}
	assert all(" / " in e.reason for e in batch.errors)  # zh and en
	line = frappe.get_doc("Credit Line", {"credit_batch": batch.name})
	assert (line.member, line.approved_limit, line.credit_state) == (first, 20000, "Approved")
	# again: nothing granted twice, the granted member counts as already there
	batch.grant()
	batch.reload()
	assert (batch.granted_count, batch.existing_count) == (0, 1)
	assert frappe.db.count("Credit Line", {"member": first, "partner_bank": TEST_BANK}) == 1


def test_the_batch_is_for_a_village_and_the_sheet_needs_its_columns():
	bank()
	from agri_coop.finance.doctype.credit_batch.credit_batch import CreditBatchError
	from agri_coop.tests.utils import SHULINZHAO

	with pytest.raises(CreditBatchError, match="not a village"):
		frappe.get_doc(
			{
				"doctype": "Credit Batch",
				"cooperative": SHULINZHAO,
				"partner_bank": TEST_BANK,
				"product": "农资贷",
				"valid_from": nowdate(),
				"valid_to": add_days(nowdate(), 10),
			}
		).insert()
	batch = batch_with_sheet(["姓名,金额", "张三,100"])
	batch.grant()
	batch.reload()
	assert batch.batch_state == "Failed" and "授信额度" in batch.errors[0].reason
