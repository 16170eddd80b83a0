"""Member Distribution (发放/签收): after the Delivery Note to a village, which member received
which quantity of which batch. Quantities per batch never exceed what the village received
on that note (checked again under the note's row lock on submit), recalled batches are
refused, pesticides go by real name, and the record is kept two years (cancelled, never
deleted: it is the 农药经营台账's source)."""

import frappe
from frappe.model.document import Document
from frappe.utils import add_years, flt, getdate, now_datetime, nowdate

from agri_coop.security.boundary import is_in_scope
from agri_coop.traceability import distribution
from agri_coop.traceability.batches import refuse_recalled
from agri_coop.traceability.inputs import input_rules
from agri_coop.traceability.real_name import check_real_name
from agri_coop.traceability.recall import update_recall_progress
from agri_coop.utils.lookups import village_town
from agri_coop.utils.messages import Msg, throw

RETENTION_YEARS = 2


class DistributionError(frappe.ValidationError):
	pass


class MemberDistribution(Document):
	def validate(self):
		self.take_delivery_note()
		self.validate_rows()
		refuse_recalled([row.batch_no for row in self.items], Msg("Member Distribution"))
		check_real_name(self.items, "Members' Receipts")
		self.validate_quantities()
		self.validate_signatures()
		self.total_qty = sum(flt(row.qty) for row in self.items)
		self.signed_count = sum(1 for row in self.items if row.signature)

	def take_delivery_note(self):
		"""The village, campaign, warehouse and station are the Delivery Note's."""
		note = frappe.db.get_value(
			"Delivery Note",
			self.delivery_note,
			["docstatus", "is_return", "agri_coop_cooperative", "agri_coop_campaign", "set_warehouse"],
			as_dict=True,
		)
		if not note or note.docstatus != 1 or note.is_return:
			throw(
				"Field {0}: {1} is not a submitted delivery",
				Msg("Delivery Note"),
				self.delivery_note,
				exc=DistributionError,
			)
		village, town = village_town(note.agri_coop_cooperative)
		if not village:
			throw(
				"Delivery Note {0} is not a delivery to a village co-op",
				self.delivery_note,
				exc=DistributionError,
			)
		if not is_in_scope(note.agri_coop_cooperative) or not frappe.has_permission(
			"Delivery Note", "read", self.delivery_note
		):
			throw(
				"Delivery Note {0} is not a delivery to your co-op",
				self.delivery_note,
				exc=frappe.PermissionError,
			)
		self.cooperative, self.town, self.campaign = note.agri_coop_cooperative, town, note.agri_coop_campaign
		self.warehouse = note.set_warehouse or frappe.db.get_value(
			"Delivery Note Item", {"parent": self.delivery_note}, "warehouse"
		)
		self.service_station = frappe.db.get_value("Service Station", {"warehouse": self.warehouse}, "name")

	def validate_rows(self):
		rules = input_rules(row.item_code for row in self.items)
		members = {
			m.name: m
			for m in frappe.get_all(
				"Coop Member",
				{"name": ("in", [row.member for row in self.items] or [""])},
				["name", "member_name", "cooperative"],
			)
		}
		batches = {
			b.name: b
			for b in frappe.get_all(
				"Batch",
				{"name": ("in", [r.batch_no for r in self.items if r.batch_no] or [""])},
				["name", "item", "expiry_date"],
			)
		}
		rates = dict(
			frappe.get_all(
				"Delivery Note Item", {"parent": self.delivery_note}, ["item_code", "rate"], as_list=True
			)
		)
		for row in self.items:
			member = members.get(row.member)
			if not member or member.cooperative != self.cooperative:
				throw(
					"Members' Receipts row {0}: member {1} is not a member of {2}",
					row.idx,
					row.member,
					self.cooperative,
					exc=DistributionError,
				)
			rule = rules.get(row.item_code)
			if not rule or row.item_code not in rates:
				throw(
					"Members' Receipts row {0}: {1} is not on Delivery Note {2}",
					row.idx,
					row.item_code,
					self.delivery_note,
					exc=DistributionError,
				)
			if rule.has_batch_no and not row.batch_no:
				throw(
					"Members' Receipts row {0}: {1} is batch-tracked; name the batch the member received",
					row.idx,
					rule.item_name,
					exc=DistributionError,
				)
			batch = batches.get(row.batch_no) if row.batch_no else None
			if row.batch_no and (not batch or batch.item != row.item_code):
				throw(
					"Members' Receipts row {0}: batch {1} is not a batch of {2}",
					row.idx,
					row.batch_no,
					row.item_code,
					exc=DistributionError,
				)
			if batch and batch.expiry_date and getdate(batch.expiry_date) < getdate(self.posting_date):
				throw(
					"Members' Receipts row {0}: batch {1} expired on {2}; it is not given to members",
					row.idx,
					row.batch_no,
					batch.expiry_date,
					exc=DistributionError,
				)
			if flt(row.qty) <= 0:
				throw(
					"Members' Receipts row {0}: the quantity must be above zero",
					row.idx,
					exc=DistributionError,
				)
			row.member_name, row.item_name, row.uom = member.member_name, rule.item_name, rule.stock_uom
			row.rate = flt(rates[row.item_code], 2)
			row.amount = flt(flt(row.qty) * row.rate, 2)

	def validate_quantities(self, for_update: bool = False):
		received = distribution.received(self.delivery_note)
		given = distribution.distributed(self.delivery_note, exclude=self.name, for_update=for_update)
		mine = {}
		for row in self.items:
			key = (row.item_code, row.batch_no or distribution.NO_BATCH)
			mine[key] = mine.get(key, 0) + flt(row.qty)
		for (item, batch), qty in mine.items():
			total = flt(flt(given.get((item, batch))) + qty, 6)
			if total > flt(received.get((item, batch)), 6):
				throw(
					"{0} batch {1}: {2} would be given to members, but village {3} received {4} on Delivery Note {5} ({6} already given)",
					item,
					batch or "-",
					total,
					self.cooperative,
					flt(received.get((item, batch))),
					self.delivery_note,
					flt(given.get((item, batch))),
					exc=DistributionError,
				)

	def before_submit(self):
		# one distribution of a note at a time: the check sees every submitted quantity
		frappe.db.get_value("Delivery Note", self.delivery_note, "name", for_update=True)
		self.validate_quantities(for_update=True)

	def validate_signatures(self):
		"""A receipt's time is the server's: when its signature first appears (or changes)."""
		stored = {}
		if not self.is_new():
			stored = {
				r.name: r
				for r in frappe.get_all(
					"Member Distribution Item",
					{"parent": self.name, "parenttype": self.doctype},
					["name", "signature", "received_on"],
				)
			}
		now = now_datetime()
		for row in self.items:
			before = stored.get(row.name)
			if not row.signature:
				row.received_on = None
			elif before and before.signature == row.signature and before.received_on:
				row.received_on = before.received_on
			else:
				row.received_on = now

	def before_update_after_submit(self):
		self.validate_signatures()
		for row in self.items:
			if flt(row.recall_returned_qty) < 0 or flt(row.recall_returned_qty) > flt(row.qty):
				throw(
					"Members' Receipts row {0}: the returned quantity must be between 0 and {1}",
					row.idx,
					flt(row.qty),
					exc=DistributionError,
				)

	def on_update_after_submit(self):
		self.db_set("signed_count", sum(1 for row in self.items if row.signature), update_modified=False)
		for batch in sorted({row.batch_no for row in self.items if row.batch_no}):
			update_recall_progress(batch)

	def on_trash(self):
		if getdate(self.posting_date) > getdate(add_years(nowdate(), -RETENTION_YEARS)):
			throw(
				"Member Distribution {0} is part of the pesticide sales ledger and is kept for {1} years; cancel it instead",
				self.name,
				RETENTION_YEARS,
				exc=DistributionError,
			)

	@frappe.whitelist()
	def get_member_lines(self):
		"""Fill the rows from the campaign's member lines, batches first-expiring first."""
		if not self.has_permission("write"):
			raise frappe.PermissionError
		self.take_delivery_note()
		batches = distribution.available_batches(self.delivery_note, exclude=self.name)
		given = distribution.given_to_members(self.delivery_note, exclude=self.name)
		self.set("items", [])
		for row in distribution.fifo_rows(distribution.member_lines(self.delivery_note), batches, given):
			self.append("items", row)
		return self.as_dict()
