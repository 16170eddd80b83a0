"""社员上线趋势 (Registration Trend): the registration rate week by week, against the 80% target
(seed 000 §一: 80% of the producers registered by the end of September 2023).

A member counts as registered on a day as the Member Registration Rate report counts it on
that `as_on_date` (agri_coop.members.report.member_registration_rate): Active, and gone
Active on or before the day (Active without a date: always). Each row is one week (Monday
to Sunday); the rate is the one on the week's last day (or on `to_date` for the last week).
Producers are today's figures of the villages (the tree keeps no history of them).

Read with the user's permissions: a town user's trend is its town's.
"""

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, today

from agri_coop.members.report.member_registration_rate.member_registration_rate import (
	ACTIVE,
	TARGET_RATE,
	target_members,
)
from agri_coop.reports.scope import visible_cooperatives
from agri_coop.utils.lookups import validate_town_filter
from agri_coop.utils.messages import Msg, throw

PLAN_START = "2023-08-28"  # the first batch's build-out starts (seed 000 §三(一))
TARGET_DATE = "2023-09-30"
MAX_WEEKS = 520


def execute(filters=None):
	filters = validate_filters(filters)
	data = get_data(filters)
	return get_columns(), data, None, get_chart(data), get_report_summary(data)


def validate_filters(filters) -> frappe._dict:
	filters = frappe._dict(filters or {})
	filters.from_date = getdate(filters.from_date or PLAN_START)
	filters.to_date = getdate(filters.to_date or today())
	if filters.to_date < filters.from_date:
		throw("Field {0} is before {1}", Msg("To Date"), Msg("From Date"))
	if (filters.to_date - filters.from_date).days > MAX_WEEKS * 7:
		throw("Field {0}: at most {1} weeks at a time", Msg("From Date"), MAX_WEEKS)
	validate_town_filter(filters.town)
	return filters


def get_columns() -> list[dict]:
	return [
		{"label": _("Week Ending"), "fieldname": "week_ending", "fieldtype": "Date", "width": 110},
		{"label": _("New Registrations"), "fieldname": "new_members", "fieldtype": "Int", "width": 120},
		{"label": _("Registered Members"), "fieldname": "registered", "fieldtype": "Int", "width": 130},
		{
			"label": _("Agricultural Producers"),
			"fieldname": "producer_count",
			"fieldtype": "Int",
			"width": 130,
		},
		{
			"label": _("Registration Rate"),
			"fieldname": "registration_rate",
			"fieldtype": "Percent",
			"precision": 1,
			"width": 110,
		},
		{"label": _("Target"), "fieldname": "target_rate", "fieldtype": "Percent", "width": 80},
		{"label": _("Still Needed for Target"), "fieldname": "needed", "fieldtype": "Int", "width": 130},
	]


def registrations_by_day(villages) -> dict:
	"""{registered_on (None: undated): Active members}, read with the user's permissions."""
	if not villages:
		return {}
	rows = frappe.get_list(
		"Coop Member",
		filters={"cooperative": ["in", villages], "state": ACTIVE},
		fields=["registered_on", "count(name) as members"],
		group_by="registered_on",
		order_by="registered_on asc",
		limit_page_length=0,
	)
	return {(getdate(r.registered_on) if r.registered_on else None): cint(r.members) for r in rows}


def week_ends(from_date, to_date) -> list:
	end = from_date + timedelta(days=6 - from_date.weekday())  # that week's Sunday
	ends = []
	while end < to_date:
		ends.append(end)
		end += timedelta(days=7)
	ends.append(to_date)
	return ends


def get_data(filters) -> list[dict]:
	villages = [c for c in visible_cooperatives(filters.town) if c.cooperative_type == "Village Cooperative"]
	producers = sum(cint(v.producer_count) for v in villages)
	by_day = registrations_by_day([v.name for v in villages])
	undated = by_day.pop(None, 0)
	days = sorted(by_day)
	data, previous = [], None
	for end in week_ends(filters.from_date, filters.to_date):
		registered = undated + sum(by_day[d] for d in days if d <= end)
		needed = max(target_members(producers) - registered, 0)
		data.append(
			{
				"week_ending": end,
				"new_members": registered - previous if previous is not None else None,
				"registered": registered,
				"producer_count": producers,
				"registration_rate": flt(registered * 100 / producers, 1) if producers else 0.0,
				"target_rate": TARGET_RATE,
				"needed": needed,
			}
		)
		previous = registered
	return data


def get_chart(data) -> dict | None:
	if not data:
		return None
	return {
		"data": {
			"labels": [str(r["week_ending"]) for r in data],
			"datasets": [{"name": _("Registration Rate"), "values": [r["registration_rate"] for r in data]}],
			"yMarkers": [
				{
					"label": _("Target {0}%").format(TARGET_RATE),
					"value": TARGET_RATE,
					"options": {"labelPos": "left"},
				}
			],
		},
		"type": "line",
		"fieldtype": "Percent",
		"colors": ["#2490ef"],
		"lineOptions": {"regionFill": 1},
	}


def get_report_summary(data) -> list[dict] | None:
	if not data:
		return None
	last = data[-1]
	at_target_date = [r for r in data if r["week_ending"] <= getdate(TARGET_DATE)]
	summary = [
		{
			"value": last["registration_rate"],
			"label": _("Registration Rate on {0}").format(frappe.format(last["week_ending"], "Date")),
			"datatype": "Percent",
			"indicator": "Green" if last["registration_rate"] >= TARGET_RATE else "Red",
		},
		{"value": last["registered"], "label": _("Registered Members"), "datatype": "Int"},
		{"value": TARGET_RATE, "label": _("Target"), "datatype": "Percent"},
	]
	if at_target_date:
		summary.append(
			{
				"value": at_target_date[-1]["registration_rate"],
				"label": _("Rate at the End of September 2023"),
				"datatype": "Percent",
			}
		)
	return summary
