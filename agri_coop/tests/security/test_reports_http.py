"""The leadership reports and cards over real HTTP: a town user's (树林召镇) card and report
figures equal its own subtree's independent count; a village user (新民堡村) cannot get the
county's (or another town's) figures by a filter, a forged user or a card; the leadership
office reads all, exports to Excel and writes nothing.

Expected figures are counted in-process (SQL over the co-ops under the user's node) from the
committed demo county."""

import frappe
import pytest
from frappe.utils import flt, today

from agri_coop.demo.county import COUNTY_SMC
from agri_coop.reports.dashboard import NUMBER_CARDS
from agri_coop.tests.security.responses import message
from agri_coop.tests.utils import SHULINZHAO, TOWN_USER, VILLAGE_USER, XINMINBAO, ZHAOJUN

LEADER = "leader@dalate.demo"
REPORTS = (
	"Organisation Build-out",
	"Campaign Summary",
	"Group-purchase Share",
	"Station Coverage",
	"Registration Trend",
)


def subtree(node) -> list[str]:
	lft, rgt = frappe.db.get_value("Cooperative", node, ["lft", "rgt"])
	return frappe.db.sql_list(
		"select name from `tabCooperative` where lft >= %s and rgt <= %s and cooperative_type != 'County SMC'",
		(lft, rgt),
	)


def registration_rate(coops) -> float:
	producers = flt(
		frappe.db.sql(
			"select sum(producer_count) from `tabCooperative` where name in %s and cooperative_type = 'Village Cooperative' and disabled = 0",
			[coops],
		)[0][0]
	)
	return flt(active_members(coops) * 100 / producers, 1)


def ordered_value(coops, season) -> float:
	return flt(
		frappe.db.sql(
			"""select sum(l.amount) from `tabCampaign Order Line` l join `tabCampaign Order` o on o.name = l.parent
			join `tabPurchase Campaign` c on c.name = o.campaign
			where o.docstatus = 1 and c.season = %s and o.cooperative in %s""",
			(season, coops),
		)[0][0],
		2,
	)


def card(client, name):
	method = NUMBER_CARDS[name][0]
	return message(client.call(f"agri_coop.reports.dashboard.{method}", filters={}))["value"]


def run_report(client, name, filters=None, **extra):
	return message(
		client.call(
			"frappe.desk.query_report.run",
			report_name=name,
			filters=filters or {},
			ignore_prepared_report=1,
			**extra,
		)
	)


def latest_season() -> str:
	return frappe.get_all(
		"Purchase Campaign",
		{"campaign_state": ["!=", "Draft"]},
		pluck="season",
		order_by="opens_on desc",
		limit=1,
	)[0]


def active_members(coops) -> int:
	return frappe.db.sql(
		"""select count(*) from `tabCoop Member` where cooperative in %s and state = 'Active'
		and (registered_on is null or registered_on <= %s)""",
		(coops, today()),
	)[0][0]


def total(result):
	return next(r for r in result["result"] if isinstance(r, dict) and r.get("is_total_row"))


def test_town_users_cards_and_reports_are_its_own_subtrees_counts(login):
	town = login(TOWN_USER)
	coops = subtree(SHULINZHAO)
	assert card(town, "Registration Rate (Target 80%)") == registration_rate(coops)
	rate_report = total(run_report(town, "Member Registration Rate"))
	assert rate_report["registered"] == active_members(coops) < active_members(subtree(COUNTY_SMC))

	summary_result = run_report(town, "Campaign Summary", {"group_by": "Village"})
	assert total(summary_result)["ordered_value"] == ordered_value(coops, latest_season()) > 0
	assert {r["group_key"] for r in summary_result["result"] if r.get("indent") == 1} <= set(coops)
	assert card(town, "Savings This Season") == total(summary_result)["savings"]

	share = total(run_report(town, "Group-purchase Share", {"year": 2023}))
	recorded = flt(frappe.db.get_value("Input Purchase Volume", {"town": SHULINZHAO, "year": 2023}, "amount"))
	assert share["recorded_value"] == recorded > 0
	assert card(town, "Group-purchase Share (Target 10%)") == share["share"]

	certified = frappe.db.count("Purchasing Department", {"cooperative": ["in", coops], "state": "Certified"})
	assert card(town, "Certified Departments (Target 100%)") == flt(certified * 100 / len(coops), 1)


def test_leader_reads_the_county(login):
	leader = login(LEADER)
	coops = subtree(COUNTY_SMC)
	assert card(leader, "Registration Rate (Target 80%)") == registration_rate(coops)
	result = run_report(leader, "Campaign Summary", {"group_by": "Town"})
	assert total(result)["ordered_value"] == ordered_value(coops, latest_season())


@pytest.mark.parametrize("report", REPORTS)
def test_village_user_cannot_get_the_countys_figures(login, report):
	village = login(VILLAGE_USER)
	honest = run_report(village, report)
	forged = run_report(village, report, user="Administrator")
	assert forged["result"] == honest["result"]
	rows = [r for r in honest["result"] if isinstance(r, dict)]
	assert {r.get("cooperative") for r in rows} - {None} <= {XINMINBAO}
	if report in ("Campaign Summary", "Group-purchase Share", "Station Coverage", "Organisation Build-out"):
		# another town named in the filters: nothing of it comes back
		other = run_report(village, report, {"town": ZHAOJUN})
		other_rows = [r for r in other["result"] if isinstance(r, dict)]
		assert not [r for r in other_rows if r.get("cooperative") or r.get("group_key")], report


def test_village_users_cards_are_its_village(login):
	village = login(VILLAGE_USER)
	assert card(village, "Registration Rate (Target 80%)") == registration_rate([XINMINBAO])
	result = run_report(village, "Campaign Summary", {"group_by": "Village"})
	assert total(result)["ordered_value"] == ordered_value([XINMINBAO], latest_season())
	assert card(village, "Savings This Season") == total(result)["savings"]
	# the denominator of the share is the town's: the village gets no share, not the county's
	assert card(village, "Group-purchase Share (Target 10%)") == 0.0
	share = total(run_report(village, "Group-purchase Share", {"year": 2023}))
	assert share["recorded_value"] == 0 and share["share"] is None
	listed = message(village.call("frappe.client.get_list", doctype="Input Purchase Volume", fields=["name"]))
	assert listed == []


def test_town_user_lists_only_its_towns_input_purchase_volume(login):
	town = login(TOWN_USER)
	listed = message(
		town.call(
			"frappe.client.get_list",
			doctype="Input Purchase Volume",
			fields=["town", "amount"],
			limit_page_length=0,
		)
	)
	assert {r["town"] for r in listed} == {SHULINZHAO}


def test_saved_dashboard_charts_are_not_a_way_around_the_scope(login):
	"""The workspace's charts are report charts (query_report.run, scoped); Frappe's unscoped
	chart endpoint stays closed to scoped users."""
	village = login(VILLAGE_USER)
	response = village.call(
		"frappe.desk.doctype.dashboard_chart.dashboard_chart.get", chart_name="Registration Rate by Town"
	)
	assert response.status_code in (403, 417) or response.json().get("exc_type") == "PermissionError"
	chart = run_report(village, "Member Registration Rate")["chart"]
	assert chart["data"]["labels"] == [frappe.db.get_value("Cooperative", XINMINBAO, "region_name")]


@pytest.mark.parametrize("report", REPORTS)
def test_leader_exports_every_report_to_excel(login, report):
	leader = login(LEADER)
	response = leader.call(
		"frappe.desk.query_report.export_query",
		report_name=report,
		file_format_type="Excel",
		filters={},
		visible_idx=[],
		include_indentation=0,
	)
	assert response.status_code == 200, response.text[:300]
	assert response.content[:2] == b"PK"


def test_leader_writes_no_input_purchase_volume(login):
	leader = login(LEADER)
	response = leader.call(
		"frappe.client.insert",
		doc={
			"doctype": "Input Purchase Volume",
			"town": SHULINZHAO,
			"year": 2035,
			"amount": 1,
			"source": "x",
			"source_date": "2036-01-01",
		},
	)
	assert response.status_code in (403, 417)
	assert not frappe.db.exists("Input Purchase Volume", {"year": 2035})


@pytest.mark.parametrize("user", (LEADER, TOWN_USER, VILLAGE_USER))
def test_the_workspace_gives_every_user_the_cards_and_charts(login, user):
	"""The desk's workspace call lists the leadership cards and charts for the leader and the
	scoped users alike (each card then shows the user's own figures)."""
	client = login(user)
	page = message(
		client.call(
			"frappe.desk.desktop.get_desktop_page",
			page={"name": "Agri Coop", "title": "Agri Coop", "public": 1},
		)
	)
	cards = {c["number_card_name"] for c in page["number_cards"]["items"]}
	charts = {c["chart_name"] for c in page["charts"]["items"]}
	assert cards == set(NUMBER_CARDS)
	assert charts == {
		"Registration Rate by Week",
		"Registration Rate by Town",
		"Group-purchase Share by Town",
		"Campaign Value and Savings",
		"Purchasing Departments by Batch",
		"Station Coverage by Type",
	}


@pytest.mark.parametrize("user", ("warehouse@dalate.demo", "credit@dalate.demo"))
def test_a_card_is_only_for_the_roles_of_its_report(login, user):
	"""Warehouse staff and the credit officer are not among the leadership reports' roles: the
	card's method refuses them its figure, and their workspace lists only the cards whose
	report they may run (the credit officer keeps Credit Outstanding)."""
	client = login(user)
	response = client.call(
		f"agri_coop.reports.dashboard.{NUMBER_CARDS['Savings This Season'][0]}", filters={}
	)
	assert response.status_code == 403, response.text[:300]
	page = message(
		client.call(
			"frappe.desk.desktop.get_desktop_page",
			page={"name": "Agri Coop", "title": "Agri Coop", "public": 1},
		)
	)
	cards = {c["number_card_name"] for c in page["number_cards"]["items"]}
	assert "Savings This Season" not in cards
	assert "Registration Rate (Target 80%)" not in cards
	assert ("Credit Outstanding" in cards) == (user == "credit@dalate.demo")
