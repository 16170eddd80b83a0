"""Demo members: a few hundred 社员 over the demo villages, onboarded the way the seed says
(village sheets imported by the county), some already online."""

import csv
import io
import random

import frappe
from frappe.query_builder import DocType

from agri_coop.constants.cooperatives import VILLAGE
from agri_coop.demo.sheets import generate_rows

DEMO_MEMBERS = 400
ACTIVE_SHARE = 0.6
DEMO_IMPORT_FILE = "demo-社员上线信息采集表.csv"


def load_demo_members():
	done = frappe.get_all(
		"Member Import", {"import_file": ("like", f"%{DEMO_IMPORT_FILE}")}, ["name", "status"]
	)
	if any(d.status == "Completed" for d in done):
		return
	# An import that a run left Queued, Running or Failed (its status is committed apart from
	# its rows) is removed with whatever it wrote, and the sheet is imported again.
	for stale in done:
		remove_import(stale.name)
	villages = frappe.get_all(
		"Cooperative",
		{"cooperative_type": VILLAGE, "disabled": 0},
		["region_name", "town.region_name as town_region", "name"],
		order_by="`tabCooperative`.`lft`",
	)
	villages = [
		(v.town_region, v.region_name, v.name) for v in villages if not v.region_name.startswith("测试")
	]
	rows = generate_rows(DEMO_MEMBERS, villages, seed=2023, bad_share=0.02)
	buffer = io.StringIO()
	csv.writer(buffer).writerows(rows)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": DEMO_IMPORT_FILE,
			"is_private": 1,
			"content": buffer.getvalue().encode("utf-8-sig"),
		}
	).insert(ignore_permissions=True)
	member_import = frappe.get_doc({"doctype": "Member Import", "import_file": file.file_url}).insert(
		ignore_permissions=True
	)
	# The county's sheet belongs to the county's import: only county roles may read it.
	frappe.db.set_value(
		"File",
		file.name,
		{
			"attached_to_doctype": member_import.doctype,
			"attached_to_name": member_import.name,
			"attached_to_field": "import_file",
		},
	)
	member_import.start_import()
	activate_share(member_import.name)


def activate_share(import_batch: str):
	"""Members who have since gone online (已上线), registered in Sept-Oct 2023."""
	rng = random.Random(11)
	Member = DocType("Coop Member")
	names = frappe.get_all("Coop Member", {"import_batch": import_batch}, pluck="name", order_by="name")
	for name in names:
		if rng.random() < ACTIVE_SHARE:
			registered_on = f"2023-{rng.choice(('09', '10'))}-{rng.randrange(1, 29):02d}"
			frappe.qb.update(Member).set(Member.state, "Active").set(
				Member.registered_on, registered_on
			).where(Member.name == name).run()


def remove_import(import_name: str):
	for member, customer in frappe.get_all(
		"Coop Member", {"import_batch": import_name}, ["name", "customer"], as_list=True
	):
		frappe.delete_doc("Coop Member", member, ignore_permissions=True, force=True)
		if customer and frappe.db.exists("Customer", customer):
			frappe.delete_doc("Customer", customer, ignore_permissions=True, force=True)
	import_file = frappe.db.get_value("Member Import", import_name, "import_file")
	frappe.delete_doc("Member Import", import_name, ignore_permissions=True, force=True)
	for file in frappe.get_all("File", {"file_url": import_file}, pluck="name"):
		frappe.delete_doc("File", file, ignore_permissions=True, force=True)
