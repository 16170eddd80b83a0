"""The scope boundary is declared once (agri_coop.security.boundary.BOUNDARY) and wired for
every app DocType: a DocType without a path, or without the generated hooks, fails here."""

import frappe
import pytest

from agri_coop.security.boundary import BOUNDARY, CountyWide, Parent, query_conditions
from agri_coop.tests.utils import SMC_USER, TOWN_USER, VILLAGE_USER, XINMINBAO, as_user


def app_doctypes() -> list[frappe._dict]:
	modules = frappe.get_module_list("agri_coop")
	return frappe.get_all("DocType", {"module": ("in", modules)}, ["name", "istable", "issingle"])


def test_every_app_doctype_has_a_path_to_its_cooperative():
	doctypes = app_doctypes()
	assert len(doctypes) > 15
	missing = [d.name for d in doctypes if d.name not in BOUNDARY]
	assert missing == [], f"add these DocTypes to agri_coop.security.boundary.BOUNDARY: {missing}"


def test_every_path_is_wired_in_hooks():
	pqc = frappe.get_hooks("permission_query_conditions")
	hp = frappe.get_hooks("has_permission")
	for doctype in BOUNDARY:
		assert "agri_coop.security.boundary.query_conditions" in pqc.get(doctype, []), doctype
		assert "agri_coop.security.boundary.has_scope_permission" in hp.get(doctype, []), doctype


def test_child_tables_follow_their_parent():
	for d in app_doctypes():
		if not d.istable or isinstance(BOUNDARY[d.name], CountyWide):
			continue
		path = BOUNDARY[d.name]
		if isinstance(path, Parent):
			parent_meta = frappe.get_meta(path.parent_doctype)
			assert parent_meta.get("fields", {"fieldtype": "Table", "options": d.name}), d.name


@pytest.mark.parametrize("doctype", sorted(BOUNDARY))
def test_conditions_are_parenthesised_and_run(doctype):
	with as_user(VILLAGE_USER):
		condition = query_conditions(VILLAGE_USER, doctype)
		if not isinstance(BOUNDARY[doctype], CountyWide):
			assert condition.startswith("(") and condition.endswith(")")
			assert frappe.db.escape(XINMINBAO) in condition
		# the condition is valid SQL in Frappe's query
		if frappe.has_permission(parent_of(doctype) or doctype, "read"):
			frappe.get_list(doctype, limit_page_length=1, parent_doctype=parent_of(doctype))
	assert query_conditions(SMC_USER, doctype) == ""


def parent_of(doctype):
	path = BOUNDARY[doctype]
	if isinstance(path, Parent):
		return path.parent_doctype
	return {
		"Campaign Settlement Member": "Campaign Settlement",
		"Campaign Settlement Cooperative": "Campaign Settlement",
		"Campaign Settlement Voucher": "Campaign Settlement",
		"Purchase Campaign Item": "Purchase Campaign",
		"Supplier Whitelist Item Group": "Supplier Whitelist",
	}.get(doctype)


def test_child_rows_of_other_coops_are_out_of_scope_in_process():
	with as_user(VILLAGE_USER):
		lines = frappe.get_list(
			"Campaign Order Line", fields=["parent"], parent_doctype="Campaign Order", limit_page_length=0
		)
	own_orders = set(frappe.get_all("Campaign Order", {"cooperative": XINMINBAO}, pluck="name"))
	assert lines and {line.parent for line in lines} <= own_orders


def test_a_town_users_import_is_its_towns():
	from agri_coop.tests.utils import SHULINZHAO

	with as_user(TOWN_USER):
		doc = frappe.get_doc({"doctype": "Member Import", "import_file": ""})
		doc.run_method("validate")
	assert doc.cooperative == SHULINZHAO


def test_an_attach_field_may_not_carry_a_private_file_the_user_cannot_read():
	from agri_coop.security.boundary_files import can_read_file_url, refuse_foreign_attachments

	sheet = "/private/files/demo-社员上线信息采集表.csv"
	doc = frappe.get_doc({"doctype": "Member Import", "import_file": sheet, "cooperative": XINMINBAO})
	with as_user(VILLAGE_USER):
		assert not can_read_file_url(sheet)
		with pytest.raises(frappe.PermissionError):
			refuse_foreign_attachments(doc)
	with as_user(SMC_USER):
		assert can_read_file_url(sheet)
		refuse_foreign_attachments(doc)


def test_child_row_permission_follows_its_parent():
	from agri_coop.security.boundary import has_scope_permission

	own = frappe.get_all("Campaign Order", {"cooperative": XINMINBAO}, pluck="name")
	lines = frappe.get_all("Campaign Order Line", {"parenttype": "Campaign Order"}, ["name", "parent"])
	inside = next(line for line in lines if line.parent in own)
	outside = next(line for line in lines if line.parent not in own)
	assert (
		has_scope_permission(frappe.get_doc("Campaign Order Line", inside.name), "read", VILLAGE_USER) is None
	)
	assert (
		has_scope_permission(frappe.get_doc("Campaign Order Line", outside.name), "read", VILLAGE_USER)
		is False
	)
	assert has_scope_permission(frappe.get_doc("Campaign Order Line", outside.name), "read", SMC_USER) is None


def test_prepared_reports_are_their_owners():
	from agri_coop.security.boundary_api import prepared_report_has_permission

	doc = frappe.get_doc({"doctype": "Prepared Report", "report_name": "Rebates", "owner": SMC_USER})
	assert prepared_report_has_permission(doc, "read", TOWN_USER) is False
	assert prepared_report_has_permission(doc, "read", SMC_USER) is None


def test_a_report_run_drops_someone_elses_prepared_report():
	from agri_coop.security.boundary_api import own_prepared_report_filters

	doc = frappe.get_doc({"doctype": "Prepared Report", "report_name": "Rebates", "status": "Completed"})
	doc.flags.ignore_permissions = True
	doc.db_insert()
	frappe.db.set_value("Prepared Report", doc.name, "owner", SMC_USER, update_modified=False)
	with as_user(TOWN_USER):
		assert own_prepared_report_filters({"prepared_report_name": doc.name, "x": 1}) == {"x": 1}
	with as_user(SMC_USER):
		assert own_prepared_report_filters(f'{{"prepared_report_name": "{doc.name}"}}') == {
			"prepared_report_name": doc.name
		}


def test_searches_never_drop_the_scope_of_scoped_doctypes():
	from agri_coop.security.boundary_api import is_scoped, may_ignore_user_permissions

	for doctype in ("Cooperative", "Coop Member", "Customer", "Campaign Order Line", "Sales Order"):
		assert is_scoped(doctype), doctype
		assert not may_ignore_user_permissions(doctype, "Coop Member", 1)
	assert not is_scoped("Purchase Campaign")
	# a Link that declares ignore_user_permissions to an unscoped DocType keeps working
	assert may_ignore_user_permissions("Purchase Campaign", "Sales Order", 1)
	assert not may_ignore_user_permissions("Purchase Campaign", "Sales Order", 0)
	assert not may_ignore_user_permissions("Purchase Campaign", "Coop Member", 1)


def test_files_of_other_coops_selling_documents_are_not_listed():
	from agri_coop.security.boundary_files import file_query_conditions

	condition = file_query_conditions(VILLAGE_USER)
	assert "`tabSales Order`" in condition and frappe.db.escape(XINMINBAO) in condition
	outside = frappe.get_all(
		"Sales Order", {"agri_coop_cooperative": ("not in", (XINMINBAO,))}, pluck="name", limit=1
	)
	if outside:
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "so.txt",
				"content": b"x",
				"is_private": 1,
				"attached_to_doctype": "Sales Order",
				"attached_to_name": outside[0],
			}
		).insert(ignore_permissions=True)
		visible = frappe.db.sql(f"select name from tabFile where name = %s and {condition}", file.name)
		assert not visible
	with as_user(VILLAGE_USER):
		frappe.get_list("File", limit_page_length=1)
