"""Member Registration Rate (社员上线率): figures, tree rows, totals, chart, scope, as-on date.

A town of our own (two villages of 10 and 4 producers) gives exact figures; the demo county
is only compared with itself, so demo members added later change nothing here.
"""

import frappe
import pytest
from frappe.desk.query_report import run

from agri_coop.demo.builders import create_cooperative
from agri_coop.demo.county import COUNTY_SMC
from agri_coop.members.report.member_registration_rate.member_registration_rate import execute
from agri_coop.tests.utils import (
	LINYUAN,
	SHULINZHAO,
	TOWN_USER,
	VILLAGE_USER,
	XINMINBAO,
	ZHAOJUN,
	ZHAOJUN_VILLAGE,
	as_user,
	create_member,
	export_report_rows,
)

REPORT = "Member Registration Rate"
TEST_TOWN = "上线率测试镇股份经济合作联合社"
NORTH = "上线率测试镇北村股份经济合作社"
SOUTH = "上线率测试镇南村股份经济合作社"
FIGURES = ("producer_count", "registered", "pre_registered", "suspended", "needed", "target_met")
COUNTS = ("producer_count", "registered", "pre_registered", "suspended")


def make_test_town():
	"""北村: 10 producers, 3 active, 2 pre-registered, 1 suspended; 南村: 4 producers, 4 active, 1 pre."""
	create_cooperative(TEST_TOWN, "Town Federation", COUNTY_SMC, region_name="上线率测试镇", batch="Second")
	create_cooperative(NORTH, "Village Cooperative", TEST_TOWN, region_name="北村", producer_count=10)
	create_cooperative(SOUTH, "Village Cooperative", TEST_TOWN, region_name="南村", producer_count=4)
	members = {NORTH: [], SOUTH: []}
	for village, states in (
		(NORTH, ["Active"] * 3 + ["Pre-registered"] * 2 + ["Suspended"]),
		(SOUTH, ["Active"] * 4 + ["Pre-registered"]),
	):
		for state in states:
			members[village].append(create_member(village, state=state))
	return members


def rows_by_cooperative(data):
	return {row["cooperative"]: row for row in data if not row.get("is_total_row")}


def total_row(data):
	totals = [row for row in data if row.get("is_total_row")]
	assert len(totals) == 1 and data[-1] is totals[0]
	return totals[0]


def figures(row):
	return {key: row[key] for key in FIGURES}


def test_exact_figures_for_one_town():
	make_test_town()
	columns, data, _message, chart, summary = execute({"town": TEST_TOWN})

	assert [c["fieldname"] for c in columns] == [
		"region_name",
		"cooperative",
		"producer_count",
		"registered",
		"pre_registered",
		"suspended",
		"registration_rate",
		"target_rate",
		"needed",
		"target_met",
	]
	assert [
		(r["cooperative"], r["region_name"], r["indent"], r["parent_cooperative"]) for r in data[:-1]
	] == [
		(TEST_TOWN, "上线率测试镇", 0, None),
		(NORTH, "北村", 1, TEST_TOWN),
		(SOUTH, "南村", 1, TEST_TOWN),
	]
	town, north, south, total = data
	# 北村: 3 of 10 = 30.0%; 80% of 10 is 8, so 5 still needed.
	assert figures(north) == {
		"producer_count": 10,
		"registered": 3,
		"pre_registered": 2,
		"suspended": 1,
		"needed": 5,
		"target_met": 0,
	}
	assert north["registration_rate"] == 30.0
	assert north["target_rate"] == 80.0
	# 南村: 4 of 4 = 100%; target ceil(3.2) = 4 reached.
	assert figures(south) == {
		"producer_count": 4,
		"registered": 4,
		"pre_registered": 1,
		"suspended": 0,
		"needed": 0,
		"target_met": 1,
	}
	assert south["registration_rate"] == 100.0
	# The town: 7 of 14 = 50.0%; target ceil(11.2) = 12, so 5 still needed.
	assert figures(town) == {
		"producer_count": 14,
		"registered": 7,
		"pre_registered": 3,
		"suspended": 1,
		"needed": 5,
		"target_met": 0,
	}
	assert town["registration_rate"] == 50.0
	assert total["region_name"] in ("合计", "Total")
	assert total["cooperative"] is None
	assert figures(total) == figures(town)
	assert total["registration_rate"] == 50.0

	# A single town: one bar per village, the 80% target as a marker line.
	assert chart["type"] == "bar"
	assert chart["data"]["labels"] == ["北村", "南村"]
	assert chart["data"]["datasets"][0]["values"] == [30.0, 100.0]
	assert [m["value"] for m in chart["data"]["yMarkers"]] == [80]

	summary_values = [item["value"] for item in summary]
	assert summary_values == [14, 7, 50.0, 80, 5]


def test_rate_rounds_to_one_decimal_and_target_uses_whole_members():
	create_cooperative(TEST_TOWN, "Town Federation", COUNTY_SMC, batch="Second")
	create_cooperative(NORTH, "Village Cooperative", TEST_TOWN, producer_count=35)
	create_cooperative(SOUTH, "Village Cooperative", TEST_TOWN, producer_count=0)
	for _ in range(2):
		create_member(NORTH, state="Active")
	create_member(SOUTH, state="Active")
	rows = rows_by_cooperative(execute({"town": TEST_TOWN})[1])

	assert rows[NORTH]["registration_rate"] == 5.7  # 2 / 35
	assert rows[NORTH]["needed"] == 26  # 80% of 35 is exactly 28 (not 29 through float error)
	# No producers recorded: no rate, nothing to reach, not counted as met.
	assert (rows[SOUTH]["registration_rate"], rows[SOUTH]["needed"], rows[SOUTH]["target_met"]) == (0, 0, 0)
	assert rows[TEST_TOWN]["registration_rate"] == 8.6  # 3 / 35


def test_values_are_plain_numbers_for_export():
	make_test_town()
	data = execute({"town": TEST_TOWN})[1]
	for row in data:
		for key in (*FIGURES, "registration_rate", "target_rate"):
			assert type(row[key]) in (int, float), (key, row[key])


def test_county_wide_tree_and_totals():
	make_test_town()
	data = execute({})[1]
	rows = rows_by_cooperative(data)
	total = total_row(data)

	towns = [row for row in data if row.get("is_town")]
	assert {SHULINZHAO, ZHAOJUN, TEST_TOWN} <= {t["cooperative"] for t in towns}
	for town in towns:
		villages = [row for row in data if row.get("parent_cooperative") == town["cooperative"]]
		assert all(v["indent"] == 1 for v in villages)
		# every village follows its town
		start = data.index(town)
		assert data[start + 1 : start + 1 + len(villages)] == villages
		for key in COUNTS:
			assert town[key] == sum(v[key] for v in villages)
	villages = [row for row in rows.values() if row["indent"] == 1]
	for key in COUNTS:
		assert total[key] == sum(v[key] for v in villages)
	assert total["producer_count"] == sum(
		frappe.get_all(
			"Cooperative",
			{"cooperative_type": "Village Cooperative", "disabled": 0},
			pluck="producer_count",
		)
	)

	chart = execute({})[3]
	assert chart["data"]["labels"] == [t["region_name"] for t in towns]
	assert "树林召镇" in chart["data"]["labels"]


def test_batch_filter():
	make_test_town()
	second = rows_by_cooperative(execute({"batch": "Second"})[1])
	first = rows_by_cooperative(execute({"batch": "First"})[1])
	assert TEST_TOWN in second and NORTH in second
	assert SHULINZHAO not in second
	assert SHULINZHAO in first and XINMINBAO in first
	assert TEST_TOWN not in first and NORTH not in first


def test_disabled_village_is_left_out():
	make_test_town()
	frappe.db.set_value("Cooperative", SOUTH, "disabled", 1)
	data = execute({"town": TEST_TOWN})[1]
	assert SOUTH not in rows_by_cooperative(data)
	assert (total_row(data)["producer_count"], total_row(data)["registered"]) == (10, 3)


def test_as_on_date_counts_members_registered_by_then():
	members = make_test_town()
	north_active = [m for m in members[NORTH] if m.state == "Active"]
	north_active[0].db_set("registered_on", "2023-09-10")
	for member in north_active[1:]:
		member.db_set("registered_on", "2023-09-20")
	south_active = [m for m in members[SOUTH] if m.state == "Active"]
	south_active[0].db_set("registered_on", None)  # active without a date: registered

	rows = rows_by_cooperative(execute({"town": TEST_TOWN, "as_on_date": "2023-09-15"})[1])
	# 北村: one registered by 15 September; the two registered on the 20th were still pre-registered.
	assert (rows[NORTH]["registered"], rows[NORTH]["pre_registered"], rows[NORTH]["suspended"]) == (1, 4, 1)
	# 南村: three went active today, one has no date.
	assert (rows[SOUTH]["registered"], rows[SOUTH]["pre_registered"]) == (1, 4)
	assert rows[TEST_TOWN]["registered"] == 2

	on_the_20th = rows_by_cooperative(execute({"town": TEST_TOWN, "as_on_date": "2023-09-20"})[1])
	assert on_the_20th[NORTH]["registered"] == 3
	today = rows_by_cooperative(execute({"town": TEST_TOWN})[1])
	assert today[TEST_TOWN]["registered"] == 7


def test_town_user_sees_own_town_only_and_totals_follow():
	make_test_town()
	create_member(ZHAOJUN_VILLAGE, state="Active")
	county = execute({})[1]
	with as_user(TOWN_USER):
		data = execute({})[1]
		other_town = execute({"town": ZHAOJUN})[1]

	rows = rows_by_cooperative(data)
	expected = set(frappe.get_all("Cooperative", {"town": SHULINZHAO, "disabled": 0}, pluck="name"))
	assert set(rows) == expected
	assert data[0]["cooperative"] == SHULINZHAO and data[0]["indent"] == 0
	total = total_row(data)
	villages = [row for row in rows.values() if row["indent"] == 1]
	for key in COUNTS:
		assert total[key] == sum(v[key] for v in villages) == rows[SHULINZHAO][key]
	# the same figures as the county-wide run for those rows, but other totals
	county_rows = rows_by_cooperative(county)
	for name, row in rows.items():
		assert figures(row) == figures(county_rows[name])
	county_total = total_row(county)
	assert county_total["producer_count"] > total["producer_count"]
	assert county_total["registered"] >= total["registered"] + 7 + 1  # test town and 昭君镇
	# another town by filter: nothing
	assert other_town == []


def test_village_user_sees_own_village_only():
	with as_user(VILLAGE_USER):
		before = execute({})[1]
	create_member(XINMINBAO, state="Active")
	create_member(XINMINBAO, state="Active")
	create_member(XINMINBAO)
	create_member(LINYUAN, state="Active")
	with as_user(VILLAGE_USER):
		_columns, data, _message, chart, summary = execute({})

	assert [row["cooperative"] for row in data] == [XINMINBAO, None]
	village, total = data
	assert village["indent"] == 0 and village["parent_cooperative"] is None
	assert village["producer_count"] == frappe.db.get_value("Cooperative", XINMINBAO, "producer_count")
	assert village["registered"] == before[0]["registered"] + 2
	assert village["pre_registered"] == before[0]["pre_registered"] + 1
	for key in COUNTS:
		assert total[key] == village[key]
	assert chart["data"]["labels"] == ["新民堡村"]
	assert summary[1]["value"] == village["registered"]


def test_desk_run_is_scoped_and_role_checked():
	with as_user(TOWN_USER):
		result = run(REPORT, filters={}, is_tree=True, parent_field="parent_cooperative")
	names = {row["cooperative"] for row in result["result"] if row.get("cooperative")}
	assert names == set(frappe.get_all("Cooperative", {"town": SHULINZHAO, "disabled": 0}, pluck="name"))
	assert result["chart"] and result["report_summary"]

	with as_user("warehouse@dalate.demo"), pytest.raises(frappe.PermissionError):
		run(REPORT, filters={})


def test_excel_export_is_scoped_and_numeric():
	create_member(XINMINBAO, state="Active")
	expected = set(frappe.get_all("Cooperative", {"town": SHULINZHAO, "disabled": 0}, pluck="name"))
	with as_user(TOWN_USER):
		header, *body = export_report_rows(REPORT, {}, include_indentation=0)
	assert len(header) == 10
	assert {row[1] for row in body[:-1]} == expected
	assert body[-1][1] is None  # the total row
	for row in body:
		assert all(type(value) in (int, float) for value in row[2:]), row
	xinminbao = next(row for row in body if row[1] == XINMINBAO)
	assert xinminbao[3] >= 1


def test_bad_filters_are_refused():
	with pytest.raises(frappe.ValidationError):
		execute({"town": XINMINBAO})  # a village, not a town
	with pytest.raises(frappe.ValidationError):
		execute({"batch": "Third"})
