"""A village co-op's demand survey (需求调查表) for one season.

Seed 000 §三(一)2: each village co-op collects its members' demand for farm inputs for the
year; within 7 working days the town federation summarises it and forwards it to the county
SMC. Here:
- one survey per village co-op per season (cancelled ones do not count);
- the village submits it (docstatus 1, review state Submitted) and the due date is set to
  the submission date + 7 working days;
- the town federation (or the county SMC) reviews it, then forwards it: `review()` and
  `forward()`, only for Federation User / County SMC Manager / System Manager who may write
  the survey (a town user only in their own town, through the User Permission on the
  survey's village);
- a survey is overdue while it is not forwarded and today is after its due date
  (`is_overdue`, kept up to date on every review step and by `update_overdue_flags`, a
  daily job; list views compute it from the due date themselves).

Working days: when the county SMC's company has a default Holiday List and the day lies
within that list's period, the list alone decides (it holds the weekly offs and public
holidays, and leaves out the make-up working Saturdays, 调休); otherwise Saturdays and
Sundays are not working days.
"""

from datetime import date, timedelta

import frappe
from frappe.model.document import Document
from frappe.utils import flt, getdate, nowdate

from agri_coop.constants.roles import COUNTY_SMC_MANAGER, FEDERATION_USER
from agri_coop.organisation.doctype.cooperative.cooperative import COUNTY, VILLAGE
from agri_coop.utils.messages import Msg, throw
from agri_coop.utils.transitions import StateMachine, in_transition

SUBMITTED, REVIEWED, FORWARDED = "Submitted", "Reviewed", "Forwarded"
REVIEW_ROLES = {FEDERATION_USER, COUNTY_SMC_MANAGER}
CANCEL_AFTER_REVIEW_ROLES = {COUNTY_SMC_MANAGER, "System Manager"}
REVIEW_FIELDS = ("review_state", "reviewed_by", "reviewed_on", "forwarded_on", "review_remarks", "due_date")
DUE_WORKING_DAYS = 7  # seed 000 §三(一)2


class DemandSurveyError(frappe.ValidationError):
	pass


class DuplicateDemandSurveyError(DemandSurveyError):
	pass


class DemandReviewError(DemandSurveyError):
	pass


# The town federation (or the county SMC) reviews, then forwards (seed 000 §三(一)2).
REVIEW = StateMachine(
	"review_state",
	{(SUBMITTED, REVIEWED): REVIEW_ROLES, (REVIEWED, FORWARDED): REVIEW_ROLES},
	DemandReviewError,
)


class DemandSurvey(Document):
	def validate(self):
		self.season = " ".join((self.season or "").split())
		self.validate_cooperative()
		self.validate_unique_season()
		self.validate_items()
		self.title = f"{self.village_name or self.cooperative} · {self.season}"
		if self.docstatus == 0:
			# A draft carries no review data; it is set on submission and by the review steps.
			self.update({key: None for key in (*REVIEW_FIELDS, "submitted_on")})
			self.is_overdue = 0

	def validate_cooperative(self):
		if not self.cooperative:
			return  # the mandatory check names the field
		coop = frappe.db.get_value(
			"Cooperative", self.cooperative, ["cooperative_type", "town", "region_name"], as_dict=True
		)
		if not coop:
			return  # the link check names the field
		if coop.cooperative_type != VILLAGE:
			throw(
				"Field {0}: {1} is a {2}; a demand survey belongs to a village co-op",
				Msg("Village Cooperative"),
				self.cooperative,
				Msg(coop.cooperative_type),
				exc=DemandSurveyError,
			)
		self.town = coop.town
		self.village_name = coop.region_name

	def validate_unique_season(self):
		if not (self.cooperative and self.season):
			return
		filters = {"cooperative": self.cooperative, "season": self.season, "docstatus": ("<", 2)}
		if not self.is_new():
			filters["name"] = ("!=", self.name)
		other = frappe.db.get_value("Demand Survey", filters, "name")
		if other:
			throw(
				"{0} already has a demand survey for season {1} ({2}); there is one per village per season: "
				"change that one (or cancel and amend it) instead",
				self.cooperative,
				self.season,
				other,
				exc=DuplicateDemandSurveyError,
			)

	def validate_items(self):
		for row in self.items:
			if not row.item_code:
				continue  # the mandatory check names the field
			if flt(row.qty) <= 0:
				throw(
					"Row {0}: field {1} must be greater than 0 (it is {2})",
					row.idx,
					Msg("Qty"),
					flt(row.qty),
					exc=DemandSurveyError,
				)
			item = frappe.get_cached_value("Item", row.item_code, ["item_name", "stock_uom"], as_dict=True)
			if not item:
				continue  # the link check names the field
			row.item_name = row.item_name or item.item_name
			row.stock_uom = item.stock_uom
			row.uom = row.uom or item.stock_uom
			row.conversion_factor = conversion_factor(row)
			row.stock_qty = flt(row.qty * row.conversion_factor, row.precision("stock_qty"))
			self.validate_member(row)

	def validate_member(self, row):
		if not row.member:
			row.member_name = None
			return
		member = frappe.db.get_value("Coop Member", row.member, ["cooperative", "member_name"], as_dict=True)
		if not member:
			return  # the link check names the field
		if member.cooperative != self.cooperative:
			throw(
				"Row {0}: member {1} ({2}) belongs to {3}, not to {4}",
				row.idx,
				row.member,
				member.member_name,
				member.cooperative or "-",
				self.cooperative,
				exc=DemandSurveyError,
			)
		row.member_name = member.member_name

	# -- submission and the federation's review

	def before_submit(self):
		self.submitted_on = getdate(nowdate())
		self.review_state = SUBMITTED
		self.due_date = add_working_days(self.submitted_on, DUE_WORKING_DAYS)
		self.is_overdue = 0

	def before_update_after_submit(self):
		if in_transition(self):
			return
		for fieldname in (*REVIEW_FIELDS, "is_overdue"):
			if str(self.get_db_value(fieldname) or "") != str(self.get(fieldname) or ""):
				throw(
					"Field {0} changes only through the survey's review steps (review, forward)",
					Msg(self.meta.get_label(fieldname)),
					exc=DemandReviewError,
				)

	def before_cancel(self):
		if self.review_state in (REVIEWED, FORWARDED) and not (
			set(frappe.get_roles()) & CANCEL_AFTER_REVIEW_ROLES
		):
			throw(
				"Demand survey {0} is already {1} by the town federation; only the county SMC can cancel it now",
				self.name,
				Msg(self.review_state, context=self.doctype),
				exc=frappe.PermissionError,
			)

	@frappe.whitelist()
	def review(self, remarks=None):
		"""The town federation (or the county SMC) has checked the village's demand."""
		self._check_transition(REVIEWED)
		values = {"reviewed_by": frappe.session.user, "reviewed_on": getdate(nowdate())}
		if remarks:
			values["review_remarks"] = remarks
		self._apply_transition(REVIEWED, **values)

	@frappe.whitelist()
	def forward(self, remarks=None):
		"""The town federation forwards the reviewed demand to the county SMC."""
		self._check_transition(FORWARDED)
		values = {"forwarded_on": getdate(nowdate())}
		if remarks:
			values["review_remarks"] = "\n".join(filter(None, (self.review_remarks, remarks)))
		self._apply_transition(FORWARDED, **values)

	def _check_transition(self, target_state):
		if self.docstatus != 1:
			throw(
				"Demand survey {0} is not submitted; only a submitted survey is reviewed and forwarded",
				self.name,
				exc=DemandReviewError,
			)
		REVIEW.check(self, target_state)

	def _apply_transition(self, target_state, **values):
		REVIEW.apply(
			self,
			target_state,
			restore_fields=("is_overdue", *REVIEW_FIELDS),
			before_save=set_is_overdue,
			**values,
		)


def set_is_overdue(doc):
	doc.is_overdue = compute_is_overdue(doc)


def compute_is_overdue(doc, on_date=None) -> int:
	"""1 while a submitted survey is not forwarded and `on_date` (today) is after its due date."""
	if doc.get("docstatus") != 1 or doc.get("review_state") == FORWARDED or not doc.get("due_date"):
		return 0
	return int(getdate(on_date or nowdate()) > getdate(doc.get("due_date")))


def update_overdue_flags(on_date=None) -> int:
	"""Daily job: set `is_overdue` on submitted surveys as of today; returns how many changed."""
	on_date = getdate(on_date or nowdate())
	Survey = frappe.qb.DocType("Demand Survey")
	changed = 0
	for name, state, due_date, flag in (
		frappe.qb.from_(Survey)
		.select(Survey.name, Survey.review_state, Survey.due_date, Survey.is_overdue)
		.where(Survey.docstatus == 1)
		.where((Survey.is_overdue == 1) | ((Survey.review_state != FORWARDED) & (Survey.due_date < on_date)))
		.run()
	):
		overdue = compute_is_overdue(
			{"docstatus": 1, "review_state": state, "due_date": due_date}, on_date=on_date
		)
		if overdue != flag:
			frappe.db.set_value("Demand Survey", name, "is_overdue", overdue, update_modified=False)
			changed += 1
	return changed


def conversion_factor(row) -> float:
	"""How many of the item's stock unit one `row.uom` is: the item's own units first, then the
	global UOM conversion table; refused when neither knows."""
	if not row.uom or row.uom == row.stock_uom:
		return 1.0
	factor = frappe.db.get_value(
		"UOM Conversion Detail",
		{"parent": row.item_code, "parenttype": "Item", "uom": row.uom},
		"conversion_factor",
	)
	if not flt(factor):
		from erpnext.stock.doctype.item.item import get_uom_conv_factor

		factor = get_uom_conv_factor(row.uom, row.stock_uom)
	if not flt(factor):
		throw(
			"Row {0}: {1} cannot be converted to the stock unit {2} of {3}; "
			"add the unit to the item's units of measure or use {2}",
			row.idx,
			row.uom,
			row.stock_uom,
			row.item_code,
			exc=DemandSurveyError,
		)
	return flt(factor)


# -- working days


def county_company() -> str | None:
	return frappe.db.get_value("Cooperative", {"cooperative_type": COUNTY}, "company")


def add_working_days(start, days: int, company: str | None = None) -> date:
	"""The date `days` working days after `start` (`start` itself does not count)."""
	start = getdate(start)
	is_working_day = working_day_rule(company or county_company())
	current, counted = start, 0
	while counted < days:
		current += timedelta(days=1)
		if is_working_day(current):
			counted += 1
	return current


def working_day_rule(company: str | None):
	"""A function date -> bool: the company's Holiday List where it applies, else Mon-Fri."""
	holiday_list = frappe.db.get_value("Company", company, "default_holiday_list") if company else None
	period, holidays = None, set()
	if holiday_list:
		period = frappe.db.get_value("Holiday List", holiday_list, ["from_date", "to_date"], as_dict=True)
		holidays = {
			getdate(d)
			for d in frappe.get_all(
				"Holiday",
				filters={"parent": holiday_list, "parenttype": "Holiday List"},
				pluck="holiday_date",
			)
		}

	def is_working_day(day: date) -> bool:
		if period and getdate(period.from_date) <= day <= getdate(period.to_date):
			return day not in holidays
		return day.weekday() < 5

	return is_working_day
