"""The leadership reports (agri_coop/reports): every total equals an independent count (SQL on
the documents, over the co-ops under the user's node), as the county, a town and a village
user; states on past dates; savings at the campaign's own date; cards equal their reports;
Excel export; the weekly Auto Email Report."""

import frappe
import pytest
from frappe.desk.query_report import run
from frappe.utils import date_diff, flt, getdate, today

from agri_coop.demo import masters
from agri_coop.demo.builders import create_cooperative, create_department
from agri_coop.demo.campaigns import FULL, TRIAL
from agri_coop.demo.county import COUNTY_SMC
from agri_coop.demo.reports import WEEKLY_REPORTS, create_input_purchase_volume
from agri_coop.members.report.member_registration_rate import member_registration_rate
from agri_coop.reports import dashboard
from agri_coop.reports.auto_email import AutoEmailScopeError
from agri_coop.reports.doctype.input_purchase_volume.input_purchase_volume import InputPurchaseVolumeError
from agri_coop.reports.report.organisation_build_out import organisation_build_out
from agri_coop.reports.report.registration_trend import registration_trend
from agri_coop.tests.utils import SHULINZHAO, TOWN_USER, VILLAGE_USER, XINMINBAO, as_user, export_report_rows
from agri_coop.utils.uscc import make_uscc

LEADER = "leader@dalate.demo"
USERS = ("Administrator", LEADER, TOWN_USER, VILLAGE_USER)
NODE = {"Administrator": COUNTY_SMC, LEADER: COUNTY_SMC, TOWN_USER: SHULINZHAO, VILLAGE_USER: XINMINBAO}
REPORTS = (
	"Organisation Build-out",
	"Campaign Summary",
	"Group-purchase Share",
	"Station Coverage",
	"Registration Trend",
)


def subtree(node: str) -> list[str]:
	"""Enabled co-ops under `node` (itself included), by the tree's own lft/rgt."""
	lft, rgt = frappe.db.get_value("Cooperative", node, ["lft", "rgt"])
	return frappe.db.sql_list(
		"""select name from `tabCooperative` where lft >= %s and rgt <= %s and disabled = 0
		and cooperative_type != 'County SMC'""",
		(lft, rgt),
	)


def summary(result, label) -> object:
	return next(s["value"] for s in result["report_summary"] if s["label"] == label)


def report(name, user, filters=None):
	with as_user(user):
		return run(name, filters=filters or {}, user=user)


def total_row(result):
	rows = [r for r in result["result"] if isinstance(r, dict) and r.get("is_total_row")]
	assert len(rows) == 1
	return rows[0]


# -- organisation build-out


@pytest.mark.parametrize("user", USERS)
def test_build_out_counts_equal_the_departments_of_the_users_co_ops(user):
	coops = subtree(NODE[user])
	result = report("Organisation Build-out", user)
	certified = frappe.db.count(
		"Purchasing Department",
		{"cooperative": ["in", coops], "state": "Certified", "certified_on": ["<=", today()]},
	)
	towns = [
		c for c in coops if frappe.db.get_value("Cooperative", c, "cooperative_type") == "Town Federation"
	]
	registered = frappe.db.count(
		"Cooperative", {"name": ["in", towns or [""]], "approval_state": "Registered"}
	)
	assert summary(result, "Departments Certified") == certified
	assert summary(result, "Town Federations") == len(towns)
	assert summary(result, "Federations Registered") == registered
	assert {r["cooperative"] for r in result["result"]} == set(coops)
	assert summary(result, "Certified Share (Target 100%)") == round(certified * 100 / len(coops), 1)


def test_build_out_states_on_past_dates_and_what_is_late():
	"""A second-batch town (plan due 2023-09-18): approved 09-12, registered 09-20 (late by 2
	days); its village's department established 09-15 and certified 09-17 (on time)."""
	town = create_cooperative(
		"进度测试镇联合社", "Town Federation", COUNTY_SMC, region_name="进度测试镇", batch="Second"
	)
	village = create_cooperative(
		"进度测试镇东村合作社", "Village Cooperative", town.name, region_name="东村", producer_count=50
	)
	town.approve("2023-09-12", "进度测试镇政发〔2023〕1号")
	town.register(uscc=make_uscc("N2150621MA0099990"), registered_on="2023-09-20")
	department = create_department(village.name, "王建国", "13800000001", [])
	department.establish("2023-09-15")
	department.certify("2023-09-17")

	def rows(on):
		data, figures = organisation_build_out.get_data(
			organisation_build_out.validate_filters({"town": town.name, "as_on_date": on})
		)
		return {r["cooperative"]: r for r in data}, figures

	on_11, _f = rows("2023-09-11")
	assert on_11[town.name]["federation_state_key"] == "Drafted"
	assert on_11[village.name]["department_state_key"] == "Set Up"
	assert not on_11[town.name]["is_late"] and not on_11[village.name]["is_late"]
	on_16, _f = rows("2023-09-16")
	assert on_16[town.name]["federation_state_key"] == "Approved"
	assert on_16[village.name]["department_state_key"] == "Established"
	on_19, figures = rows("2023-09-19")
	assert on_19[town.name]["late_federation"] and on_19[town.name]["days_late"] == 1
	assert on_19[village.name]["department_state_key"] == "Certified" and not on_19[village.name]["is_late"]
	assert figures["late_federations"] == 1 and figures["departments"]["Certified"] == 1
	now, _f = rows(today())
	assert now[town.name]["federation_state_key"] == "Registered"
	assert now[town.name]["late_federation"]  # registered on 09-20, two days after the due date
	# the town has no department of its own: never certified, late ever since the due date
	assert now[town.name]["department_state_key"] == "No Department" and now[town.name]["late_department"]
	assert now[town.name]["days_late"] == date_diff(today(), "2023-09-18")


# -- campaign summary


def ordered_value(campaigns, coops) -> float:
	return flt(
		frappe.db.sql(
			"""select sum(l.amount) from `tabCampaign Order Line` l join `tabCampaign Order` o on o.name = l.parent
			where o.docstatus = 1 and o.campaign in %(c)s and o.cooperative in %(v)s""",
			{"c": campaigns, "v": coops},
		)[0][0],
		2,
	)


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("group_by", ["Item", "Item Group", "Supplier", "Town", "Village"])
def test_campaign_summary_totals_equal_the_order_lines_of_the_users_villages(user, group_by):
	season = frappe.db.get_value("Purchase Campaign", FULL, "season")
	result = report("Campaign Summary", user, {"season": season, "group_by": group_by})
	campaigns = frappe.get_all(
		"Purchase Campaign", {"season": season, "campaign_state": ["!=", "Draft"]}, pluck="name"
	)
	expected = ordered_value(campaigns, subtree(NODE[user]))
	assert expected > 0
	assert total_row(result)["ordered_value"] == expected
	assert summary(result, "Ordered Value") == expected
	groups = [r for r in result["result"] if r.get("indent") == 1]
	assert flt(sum(r["ordered_value"] for r in groups), 2) == expected


def test_savings_use_the_market_price_of_the_campaigns_date():
	"""FULL opened 2023-09-25: the reference price then (125.00 a bag of urea) counts, not
	today's (8% higher since 2024-04-01)."""
	season = frappe.db.get_value("Purchase Campaign", FULL, "season")
	result = report("Campaign Summary", "Administrator", {"campaign": FULL, "group_by": "Item"})
	urea = next(r for r in result["result"] if r.get("group_key") == masters.UREA)
	qty, amount = frappe.db.sql(
		"""select sum(l.qty), sum(l.amount) from `tabCampaign Order Line` l join `tabCampaign Order` o
		on o.name = l.parent where o.docstatus = 1 and o.campaign = %s and l.item_code = %s""",
		(FULL, masters.UREA),
	)[0]
	assert season and urea["market_price"] == masters.DEMO_ITEMS[masters.UREA]["market_price"]
	assert urea["ordered_qty"] == flt(qty, 3)
	assert urea["savings"] == flt(flt(qty) * 125.0 - flt(amount), 2)
	# delivered and received follow the ERPNext documents of the campaign
	delivered = frappe.db.sql(
		"""select sum(i.delivered_qty) from `tabSales Order Item` i join `tabSales Order` s on s.name = i.parent
		where s.docstatus = 1 and s.agri_coop_campaign = %s and i.item_code = %s""",
		(FULL, masters.UREA),
	)[0][0]
	assert urea["delivered_qty"] == flt(delivered, 3)
	assert urea["received_qty"] and urea["received_qty"] >= urea["delivered_qty"]


def test_received_quantities_are_the_countys_and_not_shown_to_a_town():
	result = report("Campaign Summary", TOWN_USER, {"campaign": FULL, "group_by": "Item"})
	assert all(r.get("received_qty") is None for r in result["result"])


# -- group-purchase share


@pytest.mark.parametrize("user", USERS)
def test_share_parts_equal_orders_and_recorded_figures_of_the_users_towns(user):
	coops = subtree(NODE[user])
	result = report("Group-purchase Share", user, {"year": 2023})
	campaign_value = flt(
		frappe.db.sql(
			"""select sum(total_amount) from `tabCampaign Order` where docstatus = 1
			and year(order_date) = 2023 and cooperative in %s""",
			[coops],
		)[0][0],
		2,
	)
	recorded = flt(
		frappe.db.sql(
			"select sum(amount) from `tabInput Purchase Volume` where year = 2023 and town in %s", [coops]
		)[0][0],
		2,
	)
	total = total_row(result)
	assert total["campaign_value"] == campaign_value > 0
	assert total["recorded_value"] == recorded
	if user == VILLAGE_USER:
		assert recorded == 0 and total["share"] is None  # the denominator is the town's
	else:
		assert recorded > 0
		assert total["share"] == flt(campaign_value * 100 / (recorded + total["outside_value"]), 2)


def test_purchases_booked_outside_campaigns_join_the_denominator():
	"""A Sales Invoice of farm inputs to a village's Customer, no campaign: its town's
	denominator grows by its net total, the campaign purchases stay."""
	before = total_row(report("Group-purchase Share", "Administrator", {"year": 2023, "town": SHULINZHAO}))
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": frappe.db.get_value("Cooperative", XINMINBAO, "customer"),
			"company": frappe.db.get_value("Cooperative", COUNTY_SMC, "company"),
			"posting_date": "2023-11-20",
			"set_posting_time": 1,
			"due_date": "2023-12-20",
			"items": [{"item_code": masters.UREA, "qty": 10, "rate": 130}],
		}
	).insert()
	invoice.submit()
	after = total_row(report("Group-purchase Share", "Administrator", {"year": 2023, "town": SHULINZHAO}))
	assert after["outside_value"] == flt(before["outside_value"] + invoice.base_net_total, 2)
	assert after["campaign_value"] == before["campaign_value"]
	assert after["total_value"] == flt(after["recorded_value"] + after["outside_value"], 2)


def test_input_purchase_volume_is_one_per_town_and_year():
	with pytest.raises(InputPurchaseVolumeError):
		create_input_purchase_volume(XINMINBAO, 2031, 100)  # a village
	create_input_purchase_volume(SHULINZHAO, 2031, 1000, source_date="2032-01-15")
	with pytest.raises(InputPurchaseVolumeError):
		frappe.get_doc(
			{
				"doctype": "Input Purchase Volume",
				"town": SHULINZHAO,
				"year": 2031,
				"amount": 5,
				"source": "x",
				"source_date": "2032-01-01",
			}
		).insert()


# -- station coverage


@pytest.mark.parametrize("user", USERS)
def test_station_coverage_equals_the_certified_stations_of_the_users_co_ops(user):
	coops = subtree(NODE[user])
	result = report("Station Coverage", user)
	towns = [
		c for c in coops if frappe.db.get_value("Cooperative", c, "cooperative_type") == "Town Federation"
	]
	villages = [c for c in coops if c not in towns]

	def covered(names, station_type):
		return len(
			set(
				frappe.get_all(
					"Service Station",
					{
						"cooperative": ["in", names or [""]],
						"station_type": station_type,
						"disabled": 0,
						"certified_on": ["<=", today()],
					},
					pluck="cooperative",
				)
			)
		)

	for station_type, village_target in (("E-commerce Service Point", 50), ("SMC Service Station", 100)):
		label = {
			"E-commerce Service Point": "E-commerce Service Point",
			"SMC Service Station": "SMC Service Station",
		}[station_type]
		assert summary(result, f"{label}: Villages (Target {village_target}%)") == round(
			covered(villages, station_type) * 100 / len(villages), 1
		)
		if towns:
			assert summary(result, f"{label}: Towns (Target 100%)") == round(
				covered(towns, station_type) * 100 / len(towns), 1
			)
	assert {r["cooperative"] for r in result["result"]} == set(coops)


def test_a_station_counts_from_its_certification_day():
	before = report("Station Coverage", "Administrator", {"town": SHULINZHAO, "as_on_date": "2023-10-15"})
	after = report("Station Coverage", "Administrator", {"town": SHULINZHAO, "as_on_date": "2023-10-25"})
	rows = lambda r: {x["cooperative"]: x for x in r["result"]}  # noqa: E731
	# the demo's 新民堡村 logistics point was certified on 2023-10-20
	assert rows(before)[XINMINBAO]["logistics_point"] == 0
	assert rows(after)[XINMINBAO]["logistics_point"] == 1


# -- registration trend


@pytest.mark.parametrize("user", (LEADER, TOWN_USER))
def test_registration_trend_is_the_rate_reports_figure_on_each_week_end(user):
	with as_user(user):
		data = registration_trend.get_data(
			registration_trend.validate_filters({"from_date": "2023-08-28", "to_date": "2024-03-31"})
		)
		assert getdate(data[0]["week_ending"]) == getdate("2023-09-03")  # a Sunday
		for row in [*data[::5], data[-1]]:
			_rows, total = member_registration_rate.get_data(
				member_registration_rate.validate_filters({"as_on_date": row["week_ending"]})
			)
			assert row["registered"] == total["registered"]
			assert row["registration_rate"] == total["registration_rate"]
	assert sorted(r["registered"] for r in data) == [r["registered"] for r in data]  # never goes down


# -- number cards: the report's own function, in the user's scope


@pytest.mark.parametrize("user", (LEADER, TOWN_USER, VILLAGE_USER))
def test_number_cards_equal_their_reports(user):
	with as_user(user):
		cards = {
			name: getattr(dashboard, method)()["value"]
			for name, (method, _dt) in dashboard.NUMBER_CARDS.items()
		}
	assert cards["Registration Rate (Target 80%)"] == summary(
		report("Member Registration Rate", user),
		"County Registration Rate" if user == LEADER else "Registration Rate",
	)
	assert cards["Savings This Season"] == summary(report("Campaign Summary", user), "Savings for Members")
	assert cards["Certified Departments (Target 100%)"] == summary(
		report("Organisation Build-out", user), "Certified Share (Target 100%)"
	)
	share = total_row(report("Group-purchase Share", user, {"year": 2023}))
	assert cards["Group-purchase Share (Target 10%)"] == (share["share"] or 0.0)
	rebates = report("Rebates", user)
	assert cards["Rebates Returned"] == flt(
		sum(r["total"] for r in rebates["result"] if r.get("indent") == 0), 2
	)
	credit = report("Credit Purchase", user)
	outstanding = next(x["value"] for x in credit["report_summary"] if x["label"] == "Outstanding Principal")
	assert cards["Credit Outstanding"] == outstanding
	subsidy_summary = report("Subsidies", user)["report_summary"] or []
	paid = next((x["value"] for x in subsidy_summary if x["label"] == "Paid Out"), 0.0)
	assert cards["Subsidies Paid Out"] == paid


def test_workspace_shows_the_cards_and_charts_of_the_leadership_office():
	workspace = frappe.get_doc("Workspace", "Agri Coop")
	cards = {row.number_card_name for row in workspace.number_cards}
	assert cards == set(dashboard.NUMBER_CARDS)
	for name in cards:
		card = frappe.get_doc("Number Card", name)
		assert card.type == "Custom" and frappe.get_attr(card.method)
	for row in workspace.charts:
		chart = frappe.get_doc("Dashboard Chart", row.chart_name)
		assert chart.chart_type == "Report" and chart.use_report_chart
		assert report(chart.report_name, LEADER)["chart"]
	with as_user(LEADER):
		assert all(frappe.has_permission("Number Card", doc=name) for name in cards)


# -- export and e-mail


@pytest.mark.parametrize("name", REPORTS)
def test_every_report_exports_to_excel_with_the_users_rows(name):
	with as_user(TOWN_USER):
		result = run(name, filters={}, user=TOWN_USER)
		rows = export_report_rows(name, {})
	assert len(rows) == len(result["result"]) + 1  # the header row
	labels = [c["label"] for c in result["columns"]]
	assert list(rows[0][: len(labels)]) == labels


def test_weekly_auto_email_reports_run_for_the_leadership_office():
	for name in WEEKLY_REPORTS:
		doc = frappe.get_doc("Auto Email Report", {"report": name, "user": LEADER})
		assert doc.enabled and doc.frequency == "Weekly"
		content = doc.get_report_content()
		assert content and content[:2] == b"PK"  # an xlsx workbook


def test_an_e_mailed_report_is_not_for_a_scoped_user():
	with pytest.raises(AutoEmailScopeError):
		frappe.get_doc(
			{
				"doctype": "Auto Email Report",
				"report": "Campaign Summary",
				"user": TOWN_USER,
				"frequency": "Weekly",
				"day_of_week": "Monday",
				"format": "XLSX",
				"email_to": TOWN_USER,
			}
		).insert()


def test_seasons_other_than_the_latest_are_read_too():
	result = report("Campaign Summary", LEADER, {"campaign": TRIAL, "group_by": "Town"})
	towns = {r["group_label"] for r in result["result"] if r.get("indent") == 1}
	assert towns and towns <= {"树林召镇", "吉格斯太镇", "王爱召镇", "昭君镇"}


# -- the per-order pre-aggregation follows submit and cancel


def test_order_summary_follows_submit_and_cancel():
	from agri_coop.tests.campaign_factories import create_campaign, create_order

	campaign = create_campaign("汇总测试统购活动", season="汇总测试季")
	order = create_order(
		campaign.name, XINMINBAO, [(None, "测试尿素", 10), (None, "测试尿素", 5), (None, "测试地膜", 2)]
	)
	rows = frappe.get_all(
		"Campaign Order Summary", {"campaign_order": order.name}, ["item_code", "qty", "amount", "lines"]
	)
	assert {(r.item_code, r.qty, r.amount, r.lines) for r in rows} == {
		("测试尿素", 15, 15 * 120.0, 2),
		("测试地膜", 2, 2 * 36.5, 1),
	}
	result = report("Campaign Summary", "Administrator", {"campaign": campaign.name, "group_by": "Village"})
	assert total_row(result)["ordered_value"] == flt(15 * 120.0 + 2 * 36.5, 2)
	order.reload()
	order.cancel()
	assert not frappe.db.exists("Campaign Order Summary", {"campaign_order": order.name})
	assert report("Campaign Summary", "Administrator", {"campaign": campaign.name})["result"] == []


@pytest.mark.parametrize("user", (LEADER, TOWN_USER))
def test_every_grouping_gives_the_same_totals(user):
	"""Villages are summed over their items in SQL, the other groupings per item: same totals."""
	totals = {
		group_by: total_row(report("Campaign Summary", user, {"campaign": FULL, "group_by": group_by}))
		for group_by in ("Item", "Item Group", "Supplier", "Town", "Village")
	}
	for field in ("ordered_value", "delivered_value", "market_value", "savings", "members"):
		assert len({row[field] for row in totals.values()}) == 1, field
	assert totals["Item"]["savings"] > 0
