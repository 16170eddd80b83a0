"""Demand Survey (需求调查表) and the Demand Summary report (需求汇总).

Seed 000 §三(一)2: villages collect their demand, the town federation summarises it within
7 working days and forwards it to the county SMC. Our own season names keep these tests
apart from the demo's 2024 春耕备肥.
"""

import frappe
import pytest
from frappe.desk.query_report import run
from frappe.utils import add_days, getdate, nowdate

from agri_coop.demo.builders import create_item, create_item_group
from agri_coop.demo.county import COUNTY_SMC, village_name
from agri_coop.purchasing.doctype.demand_survey.demand_survey import (
	DemandReviewError,
	DemandSurveyError,
	DuplicateDemandSurveyError,
	add_working_days,
	compute_is_overdue,
	update_overdue_flags,
)
from agri_coop.purchasing.report.demand_summary.demand_summary import execute
from agri_coop.tests.utils import (
	LINYUAN,
	SHULINZHAO,
	SMC_USER,
	TOWN_USER,
	VILLAGE_USER,
	XINMINBAO,
	ZHAOJUN,
	ZHAOJUN_VILLAGE,
	as_user,
	create_member,
	export_report_rows,
)

SEASON = "需求测试季"
REPORT = "Demand Summary"
UREA = "需求测试尿素"  # stock unit 袋, 1 吨 = 20 袋
FILM = "需求测试地膜"  # stock unit 吨
ZHAOJUN_USER = "zhaojun-test@dalate.demo"
DONGHAIXIN = village_name("树林召镇", "东海心村")


@pytest.fixture(autouse=True)
def items():
	group = create_item_group("需求测试农资")
	create_item(UREA, item_group=group, stock_uom="袋", uoms={"吨": 20}, item_name="尿素 46%")
	create_item(FILM, item_group=group, stock_uom="吨", item_name="地膜")


def make_survey(cooperative=XINMINBAO, lines=((UREA, 10),), season=SEASON, submit=False, **values):
	items = []
	for line in lines:
		item_code, qty, *rest = line
		row = {"item_code": item_code, "qty": qty}
		if rest:
			row["uom"] = rest[0]
		if len(rest) > 1:
			row["member"] = rest[1]
		items.append(row)
	doc = frappe.get_doc(
		{"doctype": "Demand Survey", "cooperative": cooperative, "season": season, "items": items, **values}
	).insert()
	if submit:
		doc.submit()
	return doc


def zhaojun_user():
	from agri_coop.organisation.users import create_scoped_user

	if not frappe.db.exists("User", ZHAOJUN_USER):
		create_scoped_user(ZHAOJUN_USER, "昭君镇测试用户", ZHAOJUN)
	return ZHAOJUN_USER


# -- the survey


def test_survey_takes_town_units_and_stock_quantities():
	member = create_member(XINMINBAO)
	doc = make_survey(lines=[(UREA, 120), (UREA, 2, "吨", member.name), (FILM, 1.5)])
	assert doc.town == SHULINZHAO and doc.village_name == "新民堡村"
	assert doc.title == f"新民堡村 · {SEASON}"
	bags, tonnes, film = doc.items
	assert (bags.uom, bags.stock_uom, bags.conversion_factor, bags.stock_qty) == ("袋", "袋", 1, 120)
	assert (tonnes.uom, tonnes.conversion_factor, tonnes.stock_qty) == ("吨", 20, 40)
	assert tonnes.member_name == member.member_name and bags.item_name == "尿素 46%"
	assert (film.uom, film.stock_qty) == ("吨", 1.5)
	assert doc.docstatus == 0 and not doc.review_state and not doc.due_date


def test_unit_without_conversion_is_refused():
	with pytest.raises(DemandSurveyError, match="Row 1"):
		make_survey(lines=[(FILM, 3, "袋")])


def test_quantity_must_be_positive():
	for qty in (0, -5):
		with pytest.raises((DemandSurveyError, frappe.ValidationError)):
			make_survey(lines=[(UREA, qty)])


def test_survey_belongs_to_a_village():
	with pytest.raises(DemandSurveyError, match="village co-op"):
		make_survey(cooperative=SHULINZHAO)
	with pytest.raises(DemandSurveyError):
		make_survey(cooperative=COUNTY_SMC)


def test_one_survey_per_village_per_season():
	first = make_survey()
	with pytest.raises(DuplicateDemandSurveyError) as error:
		make_survey(lines=[(FILM, 1)])
	message = str(error.value)
	assert first.name in message and XINMINBAO in message and SEASON in message
	assert "one per village per season" in message and "每个嘎查村每季" in message
	with pytest.raises(DuplicateDemandSurveyError):
		make_survey(season=f"  {SEASON} ")  # the same season, typed with spaces
	make_survey(season=f"{SEASON}二期")  # another season
	make_survey(cooperative=LINYUAN)  # another village

	# A cancelled survey no longer counts: its amendment (or a new survey) takes its place.
	first.submit()
	first.cancel()
	make_survey(lines=[(FILM, 2)])


def test_member_of_another_village_is_refused():
	stranger = create_member(LINYUAN, member_name="林原村社员")
	with pytest.raises(DemandSurveyError) as error:
		make_survey(lines=[(UREA, 10), (UREA, 5, None, stranger.name)])
	message = str(error.value)
	assert "Row 2" in message and stranger.name in message and LINYUAN in message and XINMINBAO in message


def test_village_user_makes_and_submits_own_survey_only():
	with as_user(VILLAGE_USER):
		doc = make_survey(submit=True)
		assert doc.docstatus == 1 and doc.review_state == "Submitted"
		with pytest.raises(frappe.PermissionError):
			make_survey(cooperative=LINYUAN)


# -- working days and the due date


@pytest.mark.parametrize(
	"start, due",
	[
		("2024-03-01", "2024-03-12"),  # Friday
		("2024-03-02", "2024-03-12"),  # Saturday
		("2024-03-04", "2024-03-13"),  # Monday
		("2024-03-06", "2024-03-15"),  # Wednesday
	],
)
def test_due_date_skips_weekends(start, due):
	assert add_working_days(start, 7) == getdate(due)


def test_holiday_list_of_the_company_decides_where_it_applies():
	"""National Day 2024: 10-01..10-07 off, Sunday 09-29 and Saturday 10-12 are working days (调休)."""
	company = frappe.db.get_value("Cooperative", {"cooperative_type": "County SMC"}, "company")
	holidays = [
		day
		for day in (getdate(add_days("2024-09-01", n)) for n in range(61))
		if (day.weekday() >= 5 and str(day) not in ("2024-09-29", "2024-10-12"))
		or "2024-10-01" <= str(day) <= "2024-10-07"
	]
	holiday_list = frappe.get_doc(
		{
			"doctype": "Holiday List",
			"holiday_list_name": "需求测试 2024 秋",
			"from_date": "2024-09-01",
			"to_date": "2024-10-31",
			"holidays": [{"holiday_date": day, "description": "休"} for day in holidays],
		}
	).insert()
	frappe.db.set_value("Company", company, "default_holiday_list", holiday_list.name)

	# Fri 09-27: Sun 29, Mon 30, (Oct 1-7 off), Tue 8, Wed 9, Thu 10, Fri 11, Sat 12.
	assert add_working_days("2024-09-27", 7) == getdate("2024-10-12")
	# Outside the list's period: Saturdays and Sundays.
	assert add_working_days("2024-03-01", 7) == getdate("2024-03-12")
	assert add_working_days("2024-10-28", 7) == getdate("2024-11-06")


def test_submission_sets_review_state_and_due_date():
	doc = make_survey(submit=True)
	today = getdate(nowdate())
	assert doc.review_state == "Submitted"
	assert getdate(doc.submitted_on) == today
	assert getdate(doc.due_date) == add_working_days(today, 7)
	assert doc.is_overdue == 0 and not doc.reviewed_by


# -- review and forward


def test_own_town_reviews_and_forwards():
	doc = make_survey(submit=True)
	with as_user(TOWN_USER):
		doc = frappe.get_doc("Demand Survey", doc.name)
		doc.review(remarks="数量已核对")
		assert doc.review_state == "Reviewed" and doc.reviewed_by == TOWN_USER
		assert getdate(doc.reviewed_on) == getdate(nowdate()) and doc.review_remarks == "数量已核对"
		doc.forward()
	doc.reload()
	assert doc.review_state == "Forwarded" and getdate(doc.forwarded_on) == getdate(nowdate())
	assert doc.reviewed_by == TOWN_USER and doc.is_overdue == 0


def test_county_smc_reviews_any_town():
	doc = make_survey(cooperative=ZHAOJUN_VILLAGE, submit=True)
	with as_user(SMC_USER):
		doc = frappe.get_doc("Demand Survey", doc.name)
		doc.review()
		doc.forward()
	assert frappe.db.get_value("Demand Survey", doc.name, "review_state") == "Forwarded"


def test_village_user_cannot_review():
	with as_user(VILLAGE_USER):
		doc = make_survey(submit=True)
		with pytest.raises(frappe.PermissionError):
			doc.review()
	assert frappe.db.get_value("Demand Survey", doc.name, "review_state") == "Submitted"


def test_town_user_of_another_town_cannot_review():
	doc = make_survey(submit=True)
	user = zhaojun_user()
	with as_user(user):
		assert not frappe.has_permission("Demand Survey", "read", doc)
		with pytest.raises(frappe.PermissionError):
			doc.review()
	doc.review()
	with as_user(user), pytest.raises(frappe.PermissionError):
		doc.forward()
	assert frappe.db.get_value("Demand Survey", doc.name, "review_state") == "Reviewed"


def test_steps_cannot_be_skipped_repeated_or_typed_in():
	draft = make_survey()
	with pytest.raises(DemandReviewError, match="not submitted"):
		draft.review()
	doc = make_survey(cooperative=LINYUAN, submit=True)
	with pytest.raises(DemandReviewError):
		doc.forward()  # not reviewed yet
	doc.review()
	with pytest.raises(DemandReviewError):
		doc.review()
	doc.forward()
	with pytest.raises(DemandReviewError):
		doc.forward()

	doc = frappe.get_doc("Demand Survey", doc.name)
	doc.review_state = "Submitted"
	with pytest.raises(DemandReviewError, match="Review State"):
		doc.save()
	assert frappe.db.get_value("Demand Survey", doc.name, "review_state") == "Forwarded"


def test_reviewed_survey_is_cancelled_only_by_the_county():
	with as_user(VILLAGE_USER):
		doc = make_survey(submit=True)
	doc.review()
	with as_user(VILLAGE_USER):
		doc = frappe.get_doc("Demand Survey", doc.name)
		with pytest.raises(frappe.PermissionError):
			doc.cancel()
	with as_user(SMC_USER):
		frappe.get_doc("Demand Survey", doc.name).cancel()
	assert frappe.db.get_value("Demand Survey", doc.name, "docstatus") == 2


# -- overdue


def test_overdue_until_forwarded():
	doc = make_survey(submit=True)
	past_due = add_days(nowdate(), -1)
	frappe.db.set_value("Demand Survey", doc.name, "due_date", past_due)
	doc.reload()
	assert compute_is_overdue(doc) == 1
	assert compute_is_overdue(doc, on_date=past_due) == 0  # on the due date itself it is not late yet
	assert update_overdue_flags() >= 1
	assert frappe.db.get_value("Demand Survey", doc.name, "is_overdue") == 1

	doc.reload()
	doc.review()
	assert doc.is_overdue == 1  # reviewed but still not forwarded
	doc.forward()
	assert doc.is_overdue == 0
	update_overdue_flags()
	assert frappe.db.get_value("Demand Survey", doc.name, "is_overdue") == 0


def test_draft_and_cancelled_are_never_overdue():
	draft = make_survey()
	frappe.db.set_value("Demand Survey", draft.name, "due_date", "2020-01-01")
	draft.reload()
	assert compute_is_overdue(draft) == 0


def test_lists_are_scoped():
	mine = make_survey(submit=True)
	sibling = make_survey(cooperative=LINYUAN)
	other_town = make_survey(cooperative=ZHAOJUN_VILLAGE)
	names = {mine.name, sibling.name, other_town.name}
	with as_user(VILLAGE_USER):
		assert set(frappe.get_list("Demand Survey", {"season": SEASON}, pluck="name")) & names == {mine.name}
	with as_user(TOWN_USER):
		assert set(frappe.get_list("Demand Survey", {"season": SEASON}, pluck="name")) & names == {
			mine.name,
			sibling.name,
		}


# -- Demand Summary


@pytest.fixture
def known_set():
	"""树林召镇: 新民堡村 urea 100 袋 + 2 吨 (two members) and film 1.5 吨; 林原村 urea 50 袋.
	昭君镇: 和胜村 urea 30 袋 and film 2 吨. Not counted: a draft (东海心村) and a cancelled one."""
	a, b = create_member(XINMINBAO, member_name="甲"), create_member(XINMINBAO, member_name="乙")
	make_survey(XINMINBAO, [(UREA, 100, "袋", a.name), (UREA, 2, "吨", b.name), (FILM, 1.5)], submit=True)
	make_survey(LINYUAN, [(UREA, 50)], submit=True)
	make_survey(ZHAOJUN_VILLAGE, [(UREA, 30), (FILM, 2)], submit=True)
	make_survey(DONGHAIXIN, [(UREA, 999)])
	cancelled = make_survey(village_name("昭君镇", "柴磴村"), [(UREA, 777)], submit=True)
	cancelled.cancel()


def by_key(data):
	rows = {}
	for row in data:
		if row.get("is_total_row"):
			rows[("total", row["uom"])] = row
		elif row.get("is_item"):
			rows[(row["item_code"],)] = row
		elif row.get("is_town"):
			rows[(row["item_code"], row["cooperative"])] = row
		else:
			rows[(row["item_code"], row["cooperative"], "village")] = row
	return rows


def test_summary_exact_figures(known_set):
	columns, data, _message, chart, summary = execute({"season": SEASON})
	assert [c["fieldname"] for c in columns] == [
		"item_code",
		"item_name",
		"region_name",
		"cooperative",
		"qty",
		"uom",
		"members",
		"survey",
		"review_state",
		"is_overdue",
	]
	rows = by_key(data)
	figures = {key: (row["qty"], row["uom"], row["indent"]) for key, row in rows.items()}
	assert figures == {
		(UREA,): (220, "袋", 0),
		(UREA, SHULINZHAO): (190, "袋", 1),
		(UREA, XINMINBAO, "village"): (100 + 40, "袋", 2),
		(UREA, LINYUAN, "village"): (50, "袋", 2),
		(UREA, ZHAOJUN): (30, "袋", 1),
		(UREA, ZHAOJUN_VILLAGE, "village"): (30, "袋", 2),
		(FILM,): (3.5, "吨", 0),
		(FILM, SHULINZHAO): (1.5, "吨", 1),
		(FILM, XINMINBAO, "village"): (1.5, "吨", 2),
		(FILM, ZHAOJUN): (2, "吨", 1),
		(FILM, ZHAOJUN_VILLAGE, "village"): (2, "吨", 2),
		("total", "吨"): (3.5, "吨", 0),
		("total", "袋"): (220, "袋", 0),
	}
	# Tree order: each item, then each town's subtotal followed by its villages; totals last.
	assert [(r.get("item_code"), r["indent"]) for r in data][:6] == [
		(FILM, 0),
		(FILM, 1),
		(FILM, 2),
		(FILM, 1),
		(FILM, 2),
		(UREA, 0),
	]
	assert all(r.get("is_total_row") for r in data[-2:])
	assert rows[(UREA, XINMINBAO, "village")]["members"] == 2
	assert rows[(UREA, SHULINZHAO)]["members"] == 2
	assert rows[(UREA, LINYUAN, "village")]["survey"]
	assert rows[(UREA, LINYUAN, "village")]["region_name"] == "林原村"

	assert chart["type"] == "bar"
	assert chart["data"]["labels"] == ["地膜 (吨)", "尿素 46% (袋)"]
	assert chart["data"]["datasets"][0]["values"] == [3.5, 220]
	summary_values = {s["label"]: s["value"] for s in summary}
	assert summary_values[frappe._("Villages Reporting")] == 3
	assert summary_values[frappe._("Overdue Reviews")] == 0


def test_summary_for_one_item_charts_by_town(known_set):
	_columns, data, _message, chart, _summary = execute({"season": SEASON, "item": UREA})
	assert {r["item_code"] for r in data if not r.get("is_total_row")} == {UREA}
	assert [r["qty"] for r in data if r.get("is_total_row")] == [220]
	assert chart["data"]["labels"] == ["树林召镇", "昭君镇"]
	assert chart["data"]["datasets"][0]["values"] == [190, 30]

	_columns, data, _message, chart, _summary = execute({"season": SEASON, "item": UREA, "town": ZHAOJUN})
	assert [r["qty"] for r in data if r.get("is_total_row")] == [30]
	assert chart["data"]["labels"] == ["和胜村"]


def test_summary_is_scoped_to_the_town_user(known_set):
	with as_user(TOWN_USER):
		_columns, data, _message, chart, summary = execute({"season": SEASON})
	rows = by_key(data)
	assert {key[1] for key in rows if len(key) > 1 and key[0] != "total"} == {SHULINZHAO, XINMINBAO, LINYUAN}
	assert rows[(UREA,)]["qty"] == 190 and rows[(FILM,)]["qty"] == 1.5
	assert rows[("total", "袋")]["qty"] == 190 and rows[("total", "吨")]["qty"] == 1.5
	assert chart["data"]["datasets"][0]["values"] == [1.5, 190]
	summary_values = {s["label"]: s["value"] for s in summary}
	assert summary_values[frappe._("Villages Reporting")] == 2
	assert summary_values[frappe._("Villages in Scope")] == frappe.db.count(
		"Cooperative", {"town": SHULINZHAO, "cooperative_type": "Village Cooperative", "disabled": 0}
	)

	with as_user(VILLAGE_USER):
		_columns, data, *_rest = execute({"season": SEASON})
	rows = by_key(data)
	assert {key[1] for key in rows if len(key) == 3} == {XINMINBAO}
	assert rows[("total", "袋")]["qty"] == 140


def test_summary_counts_overdue_surveys(known_set):
	name = frappe.db.get_value("Demand Survey", {"cooperative": LINYUAN, "season": SEASON}, "name")
	frappe.db.set_value("Demand Survey", name, "due_date", "2020-01-10")
	_columns, data, _message, _chart, summary = execute({"season": SEASON})
	assert {s["label"]: s["value"] for s in summary}[frappe._("Overdue Reviews")] == 1
	assert by_key(data)[(UREA, LINYUAN, "village")]["is_overdue"] == 1


def test_desk_run_and_excel_export_are_scoped(known_set):
	with as_user(TOWN_USER):
		result = run(REPORT, filters={"season": SEASON})
		assert result["chart"] and result["report_summary"]
		header, *body = export_report_rows(REPORT, {"season": SEASON}, include_indentation=1)
	assert len(header) == 10
	assert {row[3] for row in body if row[3]} == {SHULINZHAO, XINMINBAO, LINYUAN}
	totals = {row[5]: row[4] for row in body if row[2] and row[2].strip() == frappe._("Grand Total")}
	assert totals == {"袋": 190, "吨": 1.5}

	with as_user("warehouse@dalate.demo"), pytest.raises(frappe.PermissionError):
		run(REPORT, filters={"season": SEASON})


def test_every_report_role_runs_it_through_the_desk(known_set):
	for user, reporting in (
		(SMC_USER, 3),
		("leader@dalate.demo", 3),
		("accountant@dalate.demo", 3),
		(TOWN_USER, 2),
		(VILLAGE_USER, 1),
	):
		with as_user(user):
			result = run(REPORT, filters={"season": SEASON})
		rows = result["result"]
		assert len({r["survey"] for r in rows if r.get("survey")}) == reporting, user
		# Every level survives the desk's own permission filter, the town subtotal included.
		assert {r["indent"] for r in rows} == {0, 1, 2}, user
		assert [r["qty"] for r in rows if r.get("is_total_row")], user
	with as_user(VILLAGE_USER):
		rows = run(REPORT, filters={"season": SEASON, "item": UREA})["result"]
	assert [(r["indent"], r["qty"]) for r in rows] == [(0, 140), (1, 140), (2, 140), (0, 140)]


def test_summary_filters():
	with pytest.raises(frappe.ValidationError):
		execute({"season": SEASON, "town": XINMINBAO})  # a village, not a town
	with pytest.raises(frappe.ValidationError):
		execute({"season": SEASON, "item": "没有这个物料"})
	_columns, data, _message, chart, _summary = execute({"season": "没有这个季节"})
	assert data == [] and chart is None


def test_season_filter_offers_the_seasons_the_user_may_read():
	from agri_coop.purchasing.report.demand_summary.demand_summary import get_seasons

	make_survey(ZHAOJUN_VILLAGE, season="需求测试季-昭君镇", submit=True)
	make_survey(XINMINBAO, submit=True)
	make_survey(LINYUAN, season="需求测试季-草稿")  # drafts do not count
	assert {SEASON, "需求测试季-昭君镇"} <= set(get_seasons())
	with as_user(TOWN_USER):
		seasons = get_seasons()
	assert SEASON in seasons and "需求测试季-昭君镇" not in seasons and "需求测试季-草稿" not in seasons
	with as_user(TOWN_USER):
		assert execute({})[1] == execute({"season": seasons[0]})[1]  # no season: the latest one
