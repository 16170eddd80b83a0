"""投入品采购总规模: a town's total purchases of farm inputs in a year, as the statistics office
records them, with its source and date. The group-purchase share report (seed 000 §一: the
group purchase reaches 10% of the county's input purchases by the end of 2023) divides the
campaign purchases by this figure plus what ERPNext booked outside campaigns."""

import frappe
from frappe.model.document import Document
from frappe.utils import cint, getdate

from agri_coop.utils.lookups import is_town
from agri_coop.utils.messages import Msg, throw

FIRST_YEAR, LAST_YEAR = 2000, 2100


class InputPurchaseVolumeError(frappe.ValidationError):
	pass


class InputPurchaseVolume(Document):
	def validate(self):
		self.year = cint(self.year)
		if not FIRST_YEAR <= self.year <= LAST_YEAR:
			throw("Field {0}: {1} is not a year", Msg("Year"), self.year, exc=InputPurchaseVolumeError)
		if not is_town(self.town):
			throw(
				"Field {0}: {1} is not a town federation",
				Msg("Town Federation"),
				self.town,
				exc=InputPurchaseVolumeError,
			)
		if self.amount is None or self.amount < 0:
			throw(
				"Field {0}: the amount cannot be negative",
				Msg("Input Purchases (Statistics Office)"),
				exc=InputPurchaseVolumeError,
			)
		if self.source_date and getdate(self.source_date).year < self.year:
			throw(
				"Field {0}: a figure of {1} cannot be dated before that year",
				Msg("Source Date"),
				self.year,
				exc=InputPurchaseVolumeError,
			)
		conditions = {"year": self.year, "town": self.town}
		if not self.is_new():  # a new record already carries the name it would take
			conditions["name"] = ("!=", self.name)
		duplicate = frappe.db.exists("Input Purchase Volume", conditions)
		if duplicate:
			throw(
				"The input purchases of {0} in {1} are already recorded in {2}",
				self.town,
				self.year,
				duplicate,
				exc=InputPurchaseVolumeError,
			)
