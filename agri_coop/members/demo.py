"""Demo members: a few hundred 社员 over the demo villages, onboarded the way the seed says
(village sheets imported by the county), some already online."""

import csv
import io
import random

import frappe
from frappe.query_builder import DocType

from agri_coop.benchmarks.member_import import generate_rows
from agri_coop.organisation.doctype.cooperative.cooperative import VILLAGE

DEMO_MEMBERS = 400
ACTIVE_SHARE = 0.6
DEMO_IMPORT_FILE = "demo-社员上线信息采集表.csv"


def load_demo_members():
	if frappe.db.exists("Member Import", {"import_file": ("like", f"%{DEMO_IMPORT_FILE}")}):
		return
	villages = frappe.get_all("Cooperative", {"cooperative_type": VILLAGE, "disabled": 0},
		["region_name", "town.region_name as town_region", "name"], order_by="`tabCooperative`.`lft`")  # fmt: skip
	villages = [
		(v.town_region, v.region_name, v.name) for v in villages if not v.region_name.startswith("测试")
	]
	rows = generate_rows(DEMO_MEMBERS, villages, seed=2023, bad_share=0.02)
	buffer = io.StringIO()
	csv.writer(buffer).writerows(rows)
	file = frappe.get_doc({"doctype": "File", "file_name": DEMO_IMPORT_FILE, "is_private": 1,
		"content": buffer.getvalue().encode("utf-8-sig")}).insert(ignore_permissions=True)  # fmt: skip
	member_import = frappe.get_doc({"doctype": "Member Import", "import_file": file.file_url}).insert(
		ignore_permissions=True
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
