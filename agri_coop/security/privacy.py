"""Personal data (README "Security model"): resident ID numbers and what they give away.

A member's full ID number is never stored in clear: the row holds
- `id_number_encrypted`: the number encrypted with the site's key (Frappe's Fernet key),
- `id_number_hash`: an HMAC-SHA256 of it with a key derived from the site key, unique and
  indexed, for duplicate checks and look-ups (a plain hash of an 18-digit number with a known
  structure would be brute-forced in minutes; a keyed one cannot be without the site key),
- `id_number_masked`: what everybody sees.
Both stored fields are at a permlevel no role reads, so no generic read path (lists, reports,
exports, search, print, group-by, versions) carries anything usable; the full number leaves only
through `privacy_api.reveal_id_number`, which writes a Personal Data Access Log.

The birth date (digits 7-14 of the number) stays at permlevel 1 (county manager, accountant).
`refuse_hidden_field_queries` (an auth hook) refuses filters, sorts, group-by and fields that name
a field the caller may not read, which Frappe never checks (a count per prefix is an oracle).
"""

import hashlib
import hmac
import json
import re
from functools import lru_cache
from urllib.parse import unquote

import frappe
from cryptography.fernet import Fernet
from frappe.utils import cstr

from agri_coop.utils.messages import bilingual

# Credit amounts (permission level 1) of the finance module are personal data too (README
# "Credit purchase"): co-op users may not filter, sort or group by them.
PERSONAL_DATA_DOCTYPES = ("Coop Member", "Credit Line", "Loan Disbursement", "Loan Repayment")
# Columns that held personal data before it was encrypted: refused by name, in case a site
# still has them (patches/v1/encrypt_member_id_numbers.py drops them).
RETIRED_FIELDS = {"Coop Member": {"id_number"}}
# Request parameters through which Frappe's generic methods put field names into SQL.
QUERY_PARAMETERS = (
	"filters",
	"or_filters",
	"order_by",
	"sort_by",
	"sort_field",
	"group_by",
	"fields",
	"field",
	"fieldname",
	"stats",
	"current_filters",
	"searchfield",
	"search_fields",
	"aggregate_on_field",
	"aggregate_on",
	"columns",
	"distinct",
	"pluck",
	"with_childnames",
	"link_fields",
	"export_fields",
	"export_filters",  # Data Import's download_template exports records
	"field_map",  # frappe.desk.calendar.get_events
	"chart",  # dashboard charts: the definition holds fields and filters
	"filters_json",
	"value_based_on",
	"based_on",
)


# -- keys


def _site_key() -> bytes:
	from frappe.utils.password import get_encryption_key

	return get_encryption_key().encode()


@lru_cache(maxsize=8)
def _hash_key(site_key: bytes) -> bytes:
	# Its own key, derived from the site key: the hash cannot be turned into the cipher key.
	return hmac.new(site_key, b"agri_coop.coop_member.id_number_hash", hashlib.sha256).digest()


@lru_cache(maxsize=8)
def _fernet(site_key: bytes) -> Fernet:
	return Fernet(site_key)


def id_number_hash(id_number: str) -> str:
	return hmac.new(_hash_key(_site_key()), cstr(id_number).encode(), hashlib.sha256).hexdigest()


def hasher():
	"""A function id -> hash with the key looked up once (the import hashes 100,000 numbers)."""
	key = _hash_key(_site_key())
	return lambda id_number: hmac.new(key, id_number.encode(), hashlib.sha256).hexdigest()


def encrypt_id_number(id_number: str) -> str:
	return _fernet(_site_key()).encrypt(cstr(id_number).encode()).decode()


def encryptor():
	fernet = _fernet(_site_key())
	return lambda id_number: fernet.encrypt(id_number.encode()).decode()


def decrypt_id_number(token: str | None) -> str | None:
	if not token:
		return None
	return _fernet(_site_key()).decrypt(token.encode()).decode()


# -- fields a user may not read


def unreadable_fields(doctype: str, user: str | None = None) -> set[str]:
	"""Fieldnames of `doctype` at a permlevel the user cannot read."""
	user = user or frappe.session.user
	if user == "Administrator":
		return set()
	meta = frappe.get_meta(doctype)
	high = meta.get_high_permlevel_fields()
	if not high:
		return set()
	access = set(meta.get_permlevel_access("read", user=user))
	return {df.fieldname for df in high if df.permlevel not in access}


def strip_unreadable(values: dict) -> dict:
	"""Drop from a document dict (and its child rows) what the session user may not read."""
	if not isinstance(values, dict) or not values.get("doctype"):
		return values
	for fieldname in unreadable_fields(values["doctype"]):
		values.pop(fieldname, None)
	for value in values.values():
		if isinstance(value, list):
			for row in value:
				if isinstance(row, dict) and row.get("doctype"):
					strip_unreadable(row)
	return values


def request_text(value) -> str:
	"""A request parameter as the text Frappe will finally use: JSON decoded (so that a field
	name written with escapes, "\\u0062irth_date", is seen as birth_date), every key and string
	of it (nothing removed: a "#" or "--" in a value must not hide the names after it)."""
	strings: list[str] = []

	def walk(item, depth=0):
		if depth > 4:  # a JSON string inside a JSON string, as some methods take
			strings.append(str(item))
		elif isinstance(item, str):
			decoded = item
			if item.strip()[:1] in ("[", "{", '"'):
				try:
					decoded = json.loads(item)
				except ValueError:
					decoded = item
			if isinstance(decoded, str):
				strings.append(decoded)
			else:
				walk(decoded, depth + 1)
		elif isinstance(item, dict):
			for key, sub in item.items():
				walk(str(key), depth + 1)
				walk(sub, depth + 1)
		elif isinstance(item, list | tuple):
			for sub in item:
				walk(sub, depth + 1)
		elif item is not None:
			strings.append(str(item))

	walk(value)
	return " ".join(strings)


# uploaded content, not names: never decoded for the check
_CONTENT_PARAMETERS = ("filedata", "file", "content")


def refuse_hidden_field_queries():
	"""auth_hooks: no filter, sort, group-by or field list may name a field the caller cannot read.

	Frappe strips such fields from the SELECT list only (model/db_query.py); in WHERE, ORDER BY
	and GROUP BY they turn any count or list into an oracle for the hidden value.
	"""
	user = frappe.session.user
	if user == "Administrator" or not getattr(frappe.local, "request", None):
		return
	form = frappe.local.form_dict or {}
	texts = [request_text(form.get(key)) for key in QUERY_PARAMETERS if form.get(key) is not None]
	if not texts:
		return
	if _table_star(form):  # any DocType: Frappe's strip of permlevel fields misses it
		frappe.throw(
			bilingual("A field list may not select a whole table (table.*)"),
			frappe.PermissionError,
			title=bilingual("Not allowed"),
		)
	path = unquote(frappe.local.request.path or "")
	# the DocType may travel in any parameter (number cards carry it inside `doc`)
	named = " ".join([path, *(request_text(v) for k, v in form.items() if k not in _CONTENT_PARAMETERS)])
	query = " ".join(texts)
	for doctype in PERSONAL_DATA_DOCTYPES:
		if doctype.lower() not in named.lower():
			continue
		hidden = unreadable_fields(doctype, user) | RETIRED_FIELDS.get(doctype, set())
		if not hidden:
			continue
		# MariaDB column names are case-insensitive: BIRTH_DATE is birth_date
		if re.search(r"\b(" + "|".join(map(re.escape, sorted(hidden))) + r")\b", query, re.IGNORECASE):
			frappe.throw(
				bilingual("Filtering, sorting or grouping by personal data is not allowed"),
				frappe.PermissionError,
				title=bilingual("Not allowed"),
			)


# A whole field list "*" is expanded by Frappe to the readable fields, and count(*) reads none;
# any other star ("`tabCoop Member`.*") is only dropped by db_query's strip, which skips the
# entry after each one it removes, so ["`tabX`.nothing", "`tabX`.*"] selects every column.
_HARMLESS_STARS = re.compile(r'count\(\s*\*\s*\)|"\s*\*\s*"|^\s*\*\s*$', re.IGNORECASE)


def _table_star(form) -> bool:
	for key in ("fields", "columns", "export_fields", "fieldname", "group_by", "order_by"):
		text = request_text(form.get(key))
		if "*" in _HARMLESS_STARS.sub("", text):
			return True
	return False


# -- version history


# Never recorded in a Version: the entry field holds the full number until validate clears it.
NEVER_IN_VERSIONS = {"Coop Member": {"id_number_entry", "id_number"}}


def scrub_version(doc, method=None):
	"""doc_events Version.before_insert: a Version is read by every reader of the record, so
	it keeps no value of a field above permlevel 0 (nor the ID entry field)."""
	if doc.ref_doctype not in PERSONAL_DATA_DOCTYPES or not doc.data:
		return
	meta = frappe.get_meta(doc.ref_doctype)
	secret = {df.fieldname for df in meta.get_high_permlevel_fields()} | NEVER_IN_VERSIONS.get(
		doc.ref_doctype, set()
	)
	data = json.loads(doc.data)
	data["changed"] = [row for row in data.get("changed") or [] if row and row[0] not in secret]
	for key in ("added", "removed"):
		for row in data.get(key) or []:
			if len(row) > 1 and isinstance(row[1], dict):
				for fieldname in secret:
					row[1].pop(fieldname, None)
	doc.data = json.dumps(data, default=str)
