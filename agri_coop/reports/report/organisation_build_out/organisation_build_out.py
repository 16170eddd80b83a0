"""组织体系建设进度 (Organisation Build-out): the town federations and village co-ops by rollout
batch and state, against the plan's dates (seed 000 §三).

- A town federation goes drafted → approved by the town government → registered with a code
  by the county agriculture bureau; each town and village co-op sets up its purchasing
  department (统购部), which is established and then certified (挂牌) by the county SMC.
- The plan's windows: the first batch (树林召镇, 吉格斯太镇, 王爱召镇, 昭君镇) 2023-08-28 – 09-08,
  the second 2023-09-11 – 09-18. A step not reached by the window's last day is late
  (villages follow their town's batch).

States are taken as on `as_on_date` from the dates the steps were taken on (a step reached
without a date counts as reached), so the report also shows where the build-out stood on
any past day. Rows: each town (indent 0) followed by its villages (indent 1), read with the
user's permissions (agri_coop.reports.scope), so a town user sees its town only, totals included.
"""

from datetime import date

import frappe
from frappe import _
from frappe.utils import cint, date_diff, getdate, today

from agri_coop.constants.cooperatives import TOWN
from agri_coop.reports.scope import region, split_levels, visible_cooperatives
from agri_coop.utils.lookups import validate_town_filter
from agri_coop.utils.messages import Msg, throw

FIRST, SECOND = "First", "Second"
# the plan's windows per rollout batch (seed 000 §三(一), (二))
PLAN = {FIRST: (date(2023, 8, 28), date(2023, 9, 8)), SECOND: (date(2023, 9, 11), date(2023, 9, 18))}
DRAFTED, APPROVED, REGISTERED = "Drafted", "Approved", "Registered"
SET_UP, ESTABLISHED, CERTIFIED = "Set Up", "Established", "Certified"
NO_DEPARTMENT = "No Department"
FEDERATION_STATES = (DRAFTED, APPROVED, REGISTERED)
DEPARTMENT_STATES = (NO_DEPARTMENT, SET_UP, ESTABLISHED, CERTIFIED)
LATE_LABELS = {
	"federation": lambda: _("Federation Not Registered"),
	"department": lambda: _("Department Not Certified"),
}


def execute(filters=None):
	filters = validate_filters(filters)
	data, figures = get_data(filters)
	return get_columns(), data, None, get_chart(figures), get_report_summary(figures)


def validate_filters(filters) -> frappe._dict:
	filters = frappe._dict(filters or {})
	filters.as_on_date = getdate(filters.as_on_date or today())
	validate_town_filter(filters.town)
	if filters.batch and filters.batch not in PLAN:
		throw("Field {0}: '{1}' is not a rollout batch", Msg("Rollout Batch"), filters.batch)
	return filters


def get_columns() -> list[dict]:
	return [
		{"label": _("Town / Village"), "fieldname": "region_name", "fieldtype": "Data", "width": 170},
		{
			"label": _("Cooperative"),
			"fieldname": "cooperative",
			"fieldtype": "Link",
			"options": "Cooperative",
			"width": 230,
		},
		{"label": _("Rollout Batch"), "fieldname": "batch", "fieldtype": "Data", "width": 90},
		{"label": _("Plan From"), "fieldname": "plan_from", "fieldtype": "Date", "width": 100},
		{"label": _("Plan Due"), "fieldname": "plan_due", "fieldtype": "Date", "width": 100},
		{"label": _("Federation State"), "fieldname": "federation_state", "fieldtype": "Data", "width": 110},
		{"label": _("Approved On"), "fieldname": "approved_on", "fieldtype": "Date", "width": 100},
		{"label": _("Registered On"), "fieldname": "registered_on", "fieldtype": "Date", "width": 100},
		{"label": _("Department State"), "fieldname": "department_state", "fieldtype": "Data", "width": 110},
		{"label": _("Established On"), "fieldname": "established_on", "fieldtype": "Date", "width": 100},
		{"label": _("Certified On"), "fieldname": "certified_on", "fieldtype": "Date", "width": 100},
		{"label": _("Late"), "fieldname": "is_late", "fieldtype": "Check", "width": 60},
		{"label": _("Days Late"), "fieldname": "days_late", "fieldtype": "Int", "width": 80},
		{"label": _("What Is Late"), "fieldname": "late_steps", "fieldtype": "Data", "width": 220},
	]


def reached(state_date, reached_now: bool, as_on) -> bool:
	"""A step counts on `as_on` when taken by then (taken without a date: counts)."""
	if not reached_now:
		return False
	return not state_date or getdate(state_date) <= as_on


def federation_state(town, as_on) -> str:
	state = town.approval_state or DRAFTED
	if reached(town.registered_on, state == REGISTERED, as_on):
		return REGISTERED
	if reached(town.approved_on, state in (APPROVED, REGISTERED), as_on):
		return APPROVED
	return DRAFTED


def department_state(department, as_on) -> str:
	if not department:  # set up on a day the department does not record: it counts as set up
		return NO_DEPARTMENT
	if reached(department.certified_on, department.state == CERTIFIED, as_on):
		return CERTIFIED
	if reached(department.established_on, department.state in (ESTABLISHED, CERTIFIED), as_on):
		return ESTABLISHED
	return SET_UP


def get_departments(names) -> dict[str, frappe._dict]:
	if not names:
		return {}
	rows = frappe.get_list(
		"Purchasing Department",
		filters={"cooperative": ["in", names]},
		fields=["name", "cooperative", "state", "established_on", "certified_on"],
		order_by="creation asc",
		limit_page_length=0,
	)
	return {row.cooperative: row for row in rows}


def lateness(steps_done: list[tuple[str, object, bool]], due, as_on) -> tuple[list[str], int]:
	"""The steps (keys) not done by the plan's due date, and how many days the latest is late."""
	late, days = [], 0
	for label, done_on, done in steps_done:
		if done and done_on and getdate(done_on) > due:
			late.append(label)
			days = max(days, date_diff(done_on, due))
		elif not done and as_on > due:
			late.append(label)
			days = max(days, date_diff(as_on, due))
	return late, days


def coop_row(coop, department, batch, as_on, indent, parent) -> dict:
	plan_from, due = PLAN.get(batch, (None, None))
	is_town = coop.cooperative_type == TOWN
	dept_state = department_state(department, as_on)
	row = {
		"region_name": region(coop),
		"cooperative": coop.name,
		"parent_cooperative": parent,
		"indent": indent,
		"batch": _(batch) if batch else None,
		"batch_key": batch,
		"plan_from": plan_from,
		"plan_due": due,
		"department_state": _(dept_state),
		"department_state_key": dept_state,
		"established_on": department.established_on
		if department and dept_state in (ESTABLISHED, CERTIFIED)
		else None,
		"certified_on": department.certified_on if dept_state == CERTIFIED else None,
		"is_town": cint(is_town),
	}
	steps = []
	if is_town:
		state = federation_state(coop, as_on)
		row.update(
			federation_state=_(state, context="Cooperative"),  # the form's word (已登记注册)
			federation_state_key=state,
			approved_on=coop.approved_on if state in (APPROVED, REGISTERED) else None,
			registered_on=coop.registered_on if state == REGISTERED else None,
		)
		steps.append(("federation", row["registered_on"], state == REGISTERED))
	steps.append(("department", row["certified_on"], dept_state == CERTIFIED))
	late, days = lateness(steps, due, as_on) if due else ([], 0)
	row.update(
		is_late=cint(bool(late)),
		days_late=days,
		late_federation=cint("federation" in late),
		late_department=cint("department" in late),
		late_steps=", ".join(LATE_LABELS[step]() for step in late) or None,
	)
	if is_town:
		row["bold"] = 1
	return row


def get_data(filters) -> tuple[list[dict], dict]:
	cooperatives = visible_cooperatives(filters.town, filters.batch)
	towns, villages = split_levels(cooperatives)
	departments = get_departments([c.name for c in cooperatives])
	villages_of = {}
	for village in villages:
		villages_of.setdefault(village.town, []).append(village)
	data = []
	for town in towns:
		data.append(coop_row(town, departments.get(town.name), town.batch, filters.as_on_date, 0, None))
		for village in villages_of.pop(town.name, []):
			data.append(
				coop_row(village, departments.get(village.name), town.batch, filters.as_on_date, 1, town.name)
			)
	# a village user's own village (their town is not theirs to read)
	for village in [v for vs in villages_of.values() for v in vs]:
		data.append(
			coop_row(village, departments.get(village.name), village.town_batch, filters.as_on_date, 0, None)
		)
	return data, count_figures(data)


def count_figures(data) -> dict:
	figures = {
		"federations": {state: 0 for state in FEDERATION_STATES},
		"departments": {state: 0 for state in DEPARTMENT_STATES},
		"by_batch": {},
		"late_federations": 0,
		"late_departments": 0,
		"cooperatives": len(data),
	}
	for row in data:
		if row["is_town"]:
			figures["federations"][row["federation_state_key"]] += 1
			figures["late_federations"] += row["late_federation"]
		figures["departments"][row["department_state_key"]] += 1
		batch = figures["by_batch"].setdefault(row["batch_key"] or "", {s: 0 for s in DEPARTMENT_STATES})
		batch[row["department_state_key"]] += 1
		figures["late_departments"] += row["late_department"]
	return figures


def certified_share(figures) -> float:
	total = figures["cooperatives"]
	return round(figures["departments"][CERTIFIED] * 100 / total, 1) if total else 0.0


def get_chart(figures) -> dict | None:
	"""Purchasing departments by state, per rollout batch (stacked)."""
	if not figures["cooperatives"]:
		return None
	batches = [b for b in (FIRST, SECOND, "") if b in figures["by_batch"]]
	return {
		"data": {
			"labels": [_(b, context="Cooperative") if b else _("No Batch") for b in batches],
			"datasets": [
				{
					"name": _(state, context="Purchasing Department"),
					"values": [figures["by_batch"][b][state] for b in batches],
				}
				for state in DEPARTMENT_STATES
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1, "spaceRatio": 0.4},
		"colors": ["#ff5858", "#ffa00a", "#2490ef", "#29cd42"],
	}


def get_report_summary(figures) -> list[dict] | None:
	if not figures["cooperatives"]:
		return None
	feds, depts = figures["federations"], figures["departments"]
	late = figures["late_federations"] + figures["late_departments"]
	return [
		{"value": sum(feds.values()), "label": _("Town Federations"), "datatype": "Int"},
		{
			"value": feds[REGISTERED],
			"label": _("Federations Registered"),
			"datatype": "Int",
			"indicator": "Green" if feds[REGISTERED] == sum(feds.values()) else "Orange",
		},
		{"value": feds[APPROVED], "label": _("Federations Approved, Not Registered"), "datatype": "Int"},
		{
			"value": depts[CERTIFIED],
			"label": _("Departments Certified"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{
			"value": depts[ESTABLISHED] + depts[SET_UP],
			"label": _("Departments Not Yet Certified"),
			"datatype": "Int",
		},
		{"value": depts[NO_DEPARTMENT], "label": _("Co-ops Without a Department"), "datatype": "Int"},
		{
			"value": certified_share(figures),
			"label": _("Certified Share (Target 100%)"),
			"datatype": "Percent",
			"indicator": "Green" if certified_share(figures) >= 100 else "Red",
		},
		{
			"value": late,
			"label": _("Late Against the Plan"),
			"datatype": "Int",
			"indicator": "Red" if late else "Green",
		},
	]
