"""The public notice (公示) of an application: N working days from its start date (counted
when it is a working day) by the company's ERPNext Holiday List; clean once it has ended
with no objection dated within it. Read again whenever it matters (saving, paying, the
daily refresh), since "ended" depends on today."""

import frappe
from frappe.utils import add_days, getdate, nowdate

from agri_coop.purchasing.doctype.demand_survey.demand_survey import add_working_days

NOT_REQUIRED, NOT_STARTED, UNDER_NOTICE, OBJECTED, CLEAN = (
	"Not Required",
	"Not Started",
	"Under Notice",
	"Objected",
	"Clean",
)


def notice_end(start, days: int, company: str | None):
	"""The last day of a notice of `days` working days that starts on `start`."""
	return add_working_days(add_days(getdate(start), -1), days, company)


def notice_state(start, days: int, company: str | None, objection_dates, today=None) -> tuple:
	"""(last day or None, status)."""
	if not days:
		return None, NOT_REQUIRED
	if not start:
		return None, NOT_STARTED
	end = notice_end(start, days, company)
	if any(getdate(start) <= getdate(day) <= end for day in objection_dates if day):
		return end, OBJECTED
	if getdate(today or nowdate()) <= end:
		return end, UNDER_NOTICE
	return end, CLEAN


def application_notice(app, program) -> tuple:
	return notice_state(
		app.notice_start,
		program.notice_working_days or 0,
		program.company,
		[row.objection_date for row in app.objections],
	)


def refresh_notices():
	"""Daily: submitted applications whose notice was running get their status of today."""
	# in the function: payments imports this module
	from agri_coop.subsidies.payments import refresh_application

	for name in frappe.get_all(
		"Subsidy Application", {"docstatus": 1, "notice_status": UNDER_NOTICE}, pluck="name"
	):
		refresh_application(name)
