"""Personal data over real HTTP: no full resident ID number (nor the birth date hidden in it)
reaches a role that may not read it, on any read path, in any write reply, error or history;
hidden fields cannot be used as a filter / sort / group-by oracle; the full number leaves only
through the logged reveal.

The demo county's members are the victims: every full number is decrypted in-process and
looked for in every response body.
"""

import json
import re

import frappe
import pytest

from agri_coop.security.privacy import decrypt_id_number, id_number_hash
from agri_coop.tests.utils import LINYUAN, XINMINBAO, next_resident_id

VILLAGE = "xinminbao@dalate.demo"
TOWN = "shulinzhao@dalate.demo"
LEADER = "leader@dalate.demo"
SMC = "smc@dalate.demo"
ACCOUNTANT = "accountant@dalate.demo"
UNPRIVILEGED = (VILLAGE, TOWN, LEADER)
MEMBER = "Coop Member"


@pytest.fixture(scope="module")
def victims():
	"""name -> (full number, birth date as stored, cooperative) of every demo member."""
	rows = frappe.get_all(MEMBER, fields=["name", "id_number_encrypted", "birth_date", "cooperative"])
	assert len(rows) > 100, "the demo county is loaded"
	return {r.name: (decrypt_id_number(r.id_number_encrypted), r.birth_date, r.cooperative) for r in rows}


@pytest.fixture(scope="module")
def own_member(victims):
	"""A 新民堡村 member with a birth date (a person)."""
	return next(n for n, (_, birth, coop) in sorted(victims.items()) if coop == XINMINBAO and birth)


def assert_no_personal_data(response, victims, birth_dates_of=()):
	body = response.text
	leaked = [name for name, (number, _, _) in victims.items() if number and number in body]
	assert not leaked, f"full ID numbers of {leaked[:3]} in {response.request.method} {response.url}"
	for name in birth_dates_of:
		birth = victims[name][1]
		assert str(birth) not in body, f"birth date of {name} in {response.url}"
	# nor the stored cipher text (Fernet tokens start gAAAAA) or keyed hash
	assert "gAAAAA" not in body and not re.search(r"\b[0-9a-f]{64}\b", body)


def refused(response):
	assert response.status_code == 403, (response.status_code, response.text[:300])
	body = response.json()  # v1 answers {"exception": ...}, v2 {"errors": [{"message": ...}]}
	message = body.get("exception") or json.dumps(body.get("errors"), ensure_ascii=False)
	assert "personal data" in message and "个人信息" in message, message
	return True


# -- the oracle: filters, sorts, group-by on fields the caller cannot read


ORACLE_FILTERS = [
	{"birth_date": [">", "1970-01-01"]},
	{"id_number_hash": ["like", "a%"]},
	{"id_number_encrypted": ["like", "g%"]},
	{"id_number": ["like", "15%"]},  # the old clear column, gone since the patch
	[[MEMBER, "birth_date", "<", "1980-01-01"]],
]


@pytest.mark.parametrize("user", UNPRIVILEGED)
@pytest.mark.parametrize("filters", ORACLE_FILTERS)
def test_get_count_is_no_oracle(login, user, filters):
	client = login(user)
	assert refused(client.call("frappe.client.get_count", doctype=MEMBER, filters=filters))


@pytest.mark.parametrize("user", UNPRIVILEGED)
def test_hidden_fields_refused_in_every_list_method(login, user):
	client = login(user)
	attempts = [
		client.call("frappe.client.get_list", doctype=MEMBER, filters={"birth_date": [">", "1970-01-01"]}),
		client.call("frappe.client.get_list", doctype=MEMBER, fields=["name"], order_by="birth_date asc"),
		client.call("frappe.client.get_count", doctype=MEMBER, filters={"BIRTH_DATE": [">", "1970-01-01"]}),
		client.call("frappe.client.get_list", doctype=MEMBER, fields=["name"], order_by="`Birth_Date` desc"),
		# two hidden fields in a row: Frappe's own strip lets the second through (db_query.py)
		client.call(
			"frappe.client.get_list", doctype=MEMBER, fields=["name", "id_number_hash", "birth_date"]
		),
		client.get_path(f"/api/resource/{MEMBER}", fields=["name", "id_number_encrypted", "birth_date"]),
		client.call(
			"frappe.client.get_value",
			doctype=MEMBER,
			fieldname="name",
			filters={"birth_date": ["<", "1960-01-01"]},
		),
		client.call(
			"frappe.desk.reportview.get", doctype=MEMBER, fields=["count(name) as n"], group_by="birth_date"
		),
		client.call(
			"frappe.desk.reportview.get",
			doctype=MEMBER,
			fields=["name"],
			filters=[[MEMBER, "birth_date", ">", "1970-01-01"]],
		),
		client.call(
			"frappe.desk.reportview.get_count", doctype=MEMBER, filters={"id_number_hash": ["is", "set"]}
		),
		client.call(
			"frappe.desk.listview.get_group_by_count", doctype=MEMBER, current_filters=[], field="birth_date"
		),
		client.call(
			"frappe.desk.reportview.export_query",
			doctype=MEMBER,
			file_format_type="CSV",
			fields=["name"],
			filters={"birth_date": [">", "1970-01-01"]},
		),
		client.call("frappe.desk.search.search_link", doctype=MEMBER, txt="19", searchfield="birth_date"),
		client.get_path(f"/api/resource/{MEMBER}", filters=[["birth_date", ">", "1970-01-01"]]),
		client.get_path(f"/api/resource/{MEMBER}", order_by="birth_date desc"),
		client.get_path(f"/api/resource/{MEMBER}", fields=["name"], group_by="id_number_hash"),
		# Data Import's template download exports records with the fields asked for
		client.call(
			"frappe.core.doctype.data_import.data_import.download_template",
			doctype=MEMBER,
			export_fields={MEMBER: ["name", "id_number_hash", "birth_date"]},
			export_records="all",
			export_filters={},
			file_type="CSV",
		),
		client.call(
			"frappe.core.doctype.data_import.data_import.download_template",
			doctype=MEMBER,
			export_fields={MEMBER: ["name"]},
			export_records="all",
			export_filters={"birth_date": [">", "1970"]},
			file_type="CSV",
		),
		# REST v2
		client.get_path(f"/api/v2/doctype/{MEMBER}/count", filters={"birth_date": [">", "1970-01-01"]}),
		client.get_path(f"/api/v2/document/{MEMBER}", fields=["name"], order_by="birth_date asc"),
		client.get_path(
			f"/api/v2/document/{MEMBER}", fields=["name"], filters={"id_number_hash": ["like", "a%"]}
		),
		# through another DocType's list, naming the member table
		client.call(
			"frappe.client.get_count", doctype="Customer", filters=[[MEMBER, "birth_date", ">", "1970"]]
		),
	]
	for response in attempts:
		assert refused(response), response.url


@pytest.mark.parametrize("user", (*UNPRIVILEGED, SMC))
def test_no_table_star_in_field_lists(login, user, victims):
	"""A table star after a dropped field: Frappe's strip skips the entry after each one it
	removes, so ["`tabX`.nothing", "`tabX`.*"] selects every column, the stored cipher text
	and hash and the birth date included (shown in-process below the HTTP attempts)."""
	client = login(user)
	star = [f"`tab{MEMBER}`.nothing", f"`tab{MEMBER}`.*"]
	for response in (
		client.call("frappe.client.get_list", doctype=MEMBER, fields=star),
		client.call("frappe.desk.reportview.get", doctype=MEMBER, fields=["name", f"`tab{MEMBER}`.*"]),
		client.get_path(f"/api/resource/{MEMBER}", fields=star),
		client.get_path("/api/resource/Customer", fields=["`tabCustomer`.nothing", "`tabCustomer`.*"]),
	):
		assert response.status_code == 403 and "table.*" in response.json().get("exception", ""), (
			response.text[:200]
		)
		assert_no_personal_data(response, victims)
	assert login(user).call("frappe.client.get_list", doctype=MEMBER, fields=["*"], limit_page_length=1).ok


def test_frappe_itself_leaks_every_column_through_a_table_star():
	"""Why the auth hook refuses it: the same list in-process (no HTTP, no hook)."""
	frappe.set_user(VILLAGE)
	rows = frappe.get_list(MEMBER, fields=[f"`tab{MEMBER}`.nothing", f"`tab{MEMBER}`.*"], limit=1)
	frappe.set_user("Administrator")
	assert rows and "id_number_encrypted" in rows[0] and "birth_date" in rows[0]


def test_the_county_manager_may_filter_by_birth_date(login, victims):
	response = login(SMC).call(
		"frappe.client.get_count", doctype=MEMBER, filters={"birth_date": [">", "1900-01-01"]}
	)
	assert response.ok and response.json()["message"] == sum(1 for _, b, _ in victims.values() if b)
	# the stored number's fields are nobody's to query
	assert refused(
		login(SMC).call("frappe.client.get_count", doctype=MEMBER, filters={"id_number_hash": ["like", "a%"]})
	)


def test_ordinary_lists_still_work(login, victims):
	response = login(VILLAGE).call("frappe.client.get_count", doctype=MEMBER, filters={"state": "Active"})
	assert response.ok
	expected = frappe.db.count(MEMBER, {"cooperative": XINMINBAO, "state": "Active"})
	assert response.json()["message"] == expected


# -- reads: no full number, no birth date


@pytest.mark.parametrize("user", UNPRIVILEGED)
def test_reads_carry_no_full_number(login, user, victims, own_member):
	client = login(user)
	expected_ok = 11  # the first ones are reads the role may make; exports, print and PDF may be refused
	for number, response in enumerate(
		(
			client.get_path(f"/api/v2/document/{MEMBER}/{own_member}/"),
			client.get_path(f"/api/v2/document/{MEMBER}/{own_member}/copy"),
			client.get_path(f"/api/v2/document/{MEMBER}", fields=["*"], limit=1000),
			client.get_path(f"/api/resource/{MEMBER}/{own_member}"),
			client.get_path(f"/api/resource/{MEMBER}", fields=["*"], limit_page_length=0),
			client.call("frappe.client.get", doctype=MEMBER, name=own_member),
			client.call("frappe.desk.form.load.getdoc", doctype=MEMBER, name=own_member),
			client.call("frappe.desk.reportview.get", doctype=MEMBER, fields=["*"], page_length=1000),
			client.call("frappe.client.get_list", doctype=MEMBER, fields=["*"], limit_page_length=0),
			client.call("frappe.desk.search.search_link", doctype=MEMBER, txt="", page_length=0),
			client.call(
				"frappe.desk.search.search_link", doctype=MEMBER, txt="15", ignore_user_permissions=1
			),
			client.call(
				"frappe.desk.reportview.export_query",
				doctype=MEMBER,
				file_format_type="CSV",
				fields=["*"],
				filters={},
			),
			client.call(
				"frappe.core.doctype.data_import.data_import.download_template",
				doctype=MEMBER,
				export_fields={MEMBER: ["name", "member_name", "id_number_masked"]},
				export_records="all",
				export_filters={},
				file_type="CSV",
			),
			client.call(
				"frappe.www.printview.get_html_and_style",
				doc=MEMBER,
				name=own_member,
				print_format="Standard",
			),
			client.get_path(
				"/api/method/frappe.utils.print_format.download_pdf", doctype=MEMBER, name=own_member
			),
			client.get_path("/printview", doctype=MEMBER, name=own_member, format="Standard"),
		)
	):
		if number < expected_ok:
			assert response.status_code == 200, (response.url, response.status_code, response.text[:200])
		else:
			assert response.status_code in (200, 403), (response.url, response.status_code)
		assert_no_personal_data(response, victims, birth_dates_of=[own_member])


def test_the_accountant_reads_the_birth_date_but_no_stored_number(login, victims, own_member):
	response = login(ACCOUNTANT).get_path(f"/api/resource/{MEMBER}/{own_member}")
	data = response.json()["data"]
	assert data["birth_date"] == str(victims[own_member][1])
	assert_no_personal_data(response, victims)


# -- write replies


@pytest.mark.parametrize("user", (VILLAGE, TOWN))
def test_write_replies_carry_no_personal_data(login, user, victims, own_member):
	client = login(user)
	products = frappe.db.get_value(MEMBER, own_member, "main_products") or ""

	def fresh():
		loaded = client.call("frappe.desk.form.load.getdoc", doctype=MEMBER, name=own_member).json()
		return loaded["docs"][0]

	writes = (
		lambda: client.call(
			"frappe.client.set_value",
			doctype=MEMBER,
			name=own_member,
			fieldname="main_products",
			value=products,
		),
		lambda: client.put(
			client.url(f"/api/resource/{MEMBER}/{own_member}"), json={"main_products": products}
		),
		lambda: client.call("frappe.client.save", doc=fresh()),
		lambda: client.call("frappe.desk.form.save.savedocs", doc=json.dumps(fresh()), action="Save"),
	)
	for write in writes:
		response = write()
		assert response.ok, response.text[:300]
		assert_no_personal_data(response, victims, birth_dates_of=[own_member])


def test_new_member_insert_reply_error_and_history(login, victims):
	"""A member made over HTTP by the village user: the insert reply, a change of number and its
	history carry neither number nor birth date; a duplicate names nobody outside the scope."""
	client = login(VILLAGE)
	stranger = next(n for n, (_, b, coop) in sorted(victims.items()) if coop == LINYUAN and b)
	duplicate = client.call(
		"frappe.client.insert",
		doc={
			"doctype": MEMBER,
			"member_name": "冒名者",
			"member_type": "Household",
			"cooperative": XINMINBAO,
			"mobile": "13912345678",
			"id_number_entry": victims[stranger][0],
		},
	)
	assert duplicate.status_code == 417 and "already registered in another co-op" in duplicate.text
	assert stranger not in duplicate.text and LINYUAN not in duplicate.text
	assert_no_personal_data(duplicate, victims)

	for bad_name in ("<img src=x onerror=alert(1)>", '=HYPERLINK("http://x","点我")'):
		refused_name = client.call(
			"frappe.client.insert",
			doc={
				"doctype": MEMBER,
				"member_name": bad_name,
				"member_type": "Household",
				"cooperative": XINMINBAO,
				"mobile": "13912345678",
				"id_number_entry": next_resident_id(),
			},
		)
		assert refused_name.status_code == 417, refused_name.text[:300]
		message = refused_name.json()["exception"]
		assert "Name (Person or Organisation)" in message and "name must not" in message, message

	first, second = next_resident_id(), next_resident_id(region="150622")
	created = client.call(
		"frappe.client.insert",
		doc={
			"doctype": MEMBER,
			"member_name": "测试新社员",
			"member_type": "Household",
			"cooperative": XINMINBAO,
			"mobile": "13912345678",
			"id_number_entry": first,
			"state": "Active",
			"customer": victims and frappe.db.get_value(MEMBER, stranger, "customer"),
		},
	)
	name = None
	try:
		assert created.ok, created.text[:300]
		name = created.json()["message"]["name"]
		frappe.db.rollback()  # a new snapshot: the server has committed
		assert first not in created.text and "gAAAAA" not in created.text
		assert created.json()["message"].get("birth_date") is None
		stored = frappe.db.get_value(MEMBER, name, ["state", "customer", "id_number_hash"], as_dict=True)
		assert stored.state == "Pre-registered" and stored.customer == name  # client values ignored
		assert stored.id_number_hash == id_number_hash(first)

		# a document method's reply (the form's buttons): the document comes back as well
		activated = client.post(
			client.url("/api/method/run_doc_method"),
			data={
				"method": "change_state",
				"dt": MEMBER,
				"dn": name,
				"args": json.dumps({"state": "Active"}),
			},
		)
		assert activated.ok and activated.json()["message"] == "Active", activated.text[:300]
		assert activated.json()["docs"][0].get("birth_date") is None and first not in activated.text
		assert "gAAAAA" not in activated.text

		changed = client.call(
			"frappe.client.set_value", doctype=MEMBER, name=name, fieldname="id_number_entry", value=second
		)
		assert changed.ok, changed.text[:300]
		assert second not in changed.text and first not in changed.text
		history = client.call("frappe.desk.form.load.getdoc", doctype=MEMBER, name=name)
		versions = history.json()["docinfo"]["versions"]
		assert versions, "the change is in the history"
		frappe.db.rollback()
		for text in (
			history.text,
			json.dumps(frappe.get_all("Version", {"ref_doctype": MEMBER, "docname": name}, pluck="data")),
		):
			assert first not in text and second not in text
			assert (
				"1975-05-17" not in text and "gAAAAA" not in text and not re.search(r"\b[0-9a-f]{64}\b", text)
			)
	finally:
		if name:
			frappe.db.delete("Version", {"ref_doctype": MEMBER, "docname": name})
			frappe.db.delete(MEMBER, name)
			frappe.db.delete("Customer", {"agri_coop_member": name})
			frappe.db.commit()


# -- integrity over the API


def test_county_manager_cannot_store_a_wrong_check_digit(login, victims, own_member):
	number = victims[own_member][0]
	wrong = number[:17] + ("0" if number[17] != "0" else "1")
	client = login(SMC)
	for response in (
		client.put(client.url(f"/api/resource/{MEMBER}/{own_member}"), json={"id_number": wrong}),
		client.put(client.url(f"/api/resource/{MEMBER}/{own_member}"), json={"id_number_entry": wrong}),
	):
		assert response.status_code == 417 and "check digit is wrong" in response.text, response.text[:300]
		assert wrong not in response.text and number not in response.text
	forged = client.put(
		client.url(f"/api/resource/{MEMBER}/{own_member}"),
		json={"id_number_hash": "0" * 64, "id_number_encrypted": "x", "birth_date": "1999-09-09"},
	)
	assert forged.ok
	stored = frappe.db.get_value(MEMBER, own_member, ["id_number_hash", "birth_date"])
	assert stored == (id_number_hash(number), victims[own_member][1])


def test_town_user_cannot_take_over_another_members_customer(login, victims, own_member):
	other = next(n for n, (_, _, coop) in sorted(victims.items()) if coop == LINYUAN)
	other_customer = frappe.db.get_value(MEMBER, other, "customer")
	before = frappe.db.get_value(
		"Customer", other_customer, ["customer_name", "agri_coop_cooperative", "agri_coop_member"]
	)
	own_customer, own_state = frappe.db.get_value(MEMBER, own_member, ["customer", "state"])
	client = login(TOWN)
	response = client.put(
		client.url(f"/api/resource/{MEMBER}/{own_member}"),
		json={"customer": other_customer, "state": "Suspended", "town": "x", "import_batch": None},
	)
	assert response.ok, response.text[:300]
	frappe.db.rollback()  # see the server's commit
	assert frappe.db.get_value(MEMBER, own_member, ["customer", "state"]) == (own_customer, own_state)
	assert (
		frappe.db.get_value(
			"Customer", other_customer, ["customer_name", "agri_coop_cooperative", "agri_coop_member"]
		)
		== before
	)


# -- the reveal


def test_reveal_is_logged_and_only_for_the_roles_that_need_it(login, victims, own_member):
	for user in UNPRIVILEGED:
		response = login(user).call(
			"agri_coop.security.privacy_api.reveal_id_number", member=own_member, reason="curious"
		)
		assert response.status_code == 403 and victims[own_member][0] not in response.text
	before = frappe.db.count("Personal Data Access Log")
	try:
		response = login(ACCOUNTANT).call(
			"agri_coop.security.privacy_api.reveal_id_number",
			member=own_member,
			reason="bank loan application",
		)
		assert response.ok and response.json()["message"] == victims[own_member][0]
		frappe.db.rollback()
		logs = frappe.get_all(
			"Personal Data Access Log",
			{"member": own_member, "user": ACCOUNTANT},
			["reason", "cooperative", "accessed_at"],
		)
		assert frappe.db.count("Personal Data Access Log") == before + 1
		assert [(log.reason, log.cooperative) for log in logs] == [("bank loan application", XINMINBAO)]
		# the log itself is not readable by scoped roles
		assert login(VILLAGE).get_path("/api/resource/Personal Data Access Log").status_code == 403
	finally:
		frappe.db.delete("Personal Data Access Log", {"member": own_member, "user": ACCOUNTANT})
		frappe.db.commit()
