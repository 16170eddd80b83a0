"""Coop Member kept the full ID number in clear in `id_number`: encrypt it, store its keyed
hash, drop the clear column, and remove clear numbers and birth dates from version history."""

import frappe

from agri_coop.security.privacy import encryptor, hasher, scrub_version
from agri_coop.utils.resident_id import mask


def has_clear_column() -> bool:
	# asked of the database itself: frappe.db.has_column answers from a cache
	return bool(frappe.db.sql("show columns from `tabCoop Member` like 'id_number'"))


def execute():
	if has_clear_column():
		encrypt, hash_of = encryptor(), hasher()
		Member = frappe.qb.DocType("Coop Member")
		rows = (
			frappe.qb.from_(Member)
			.select(Member.name, Member.id_number)
			.where(Member.id_number.isnotnull())
			.run()
		)
		for name, id_number in rows:
			frappe.qb.update(Member).set(Member.id_number_encrypted, encrypt(id_number)).set(
				Member.id_number_hash, hash_of(id_number)
			).set(Member.id_number_masked, mask(id_number)).where(Member.name == name).run()
		frappe.db.sql_ddl("alter table `tabCoop Member` drop column `id_number`")

	Version = frappe.qb.DocType("Version")
	for name, data in (
		frappe.qb.from_(Version)
		.select(Version.name, Version.data)
		.where(Version.ref_doctype == "Coop Member")
		.run()
	):
		version = frappe._dict(ref_doctype="Coop Member", data=data)
		scrub_version(version)
		if version.data != data:
			frappe.qb.update(Version).set(Version.data, version.data).where(Version.name == name).run()
