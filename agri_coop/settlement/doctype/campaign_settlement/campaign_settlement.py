"""统购结算: a campaign's revenue, cost and profit, and the profit returned to the co-ops.

Seed 000 §三(三): after each campaign ends and its accounts are settled, the county SMC's
profit returns to the participating co-ops / federations as co-op accumulation, member
rebates and staff rewards. One settlement per campaign (a second one is refused while the
first is not cancelled). Saving computes everything (`agri_coop.settlement.computation`)
and is refused, with the list of what is missing, until every Sales and Purchase Order of
the campaign is fully invoiced, no invoice or cost voucher of it is a draft and it is
delivered. Submitting marks the campaign Settled, which freezes its documents
(`agri_coop.overrides.settlement_freeze`), and queues the posting of its Journal Entries
(`agri_coop.settlement.posting`: Posting → Posted / Failed, all entries or none);
cancelling reverses both.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from agri_coop.purchasing.campaign_state import settled, unsettled
from agri_coop.settlement.accounts import (
	cancel_journal_entries,
	payment_status,
	payments_against,
	settlement_entries,
)
from agri_coop.settlement.allocation import to_yuan
from agri_coop.settlement.computation import (
	POLICY_FIELDS,
	SHARES,
	allocate_profit,
	collect,
	missing_message,
)
from agri_coop.settlement.posting import FAILED, POSTING, is_posting_queued, start_posting
from agri_coop.utils.messages import Msg, throw

PRINT_FORMAT = "统购结算单"


class DuplicateSettlementError(frappe.ValidationError):
	pass


class SettlementIncompleteError(frappe.ValidationError):
	pass


class CampaignSettledError(frappe.ValidationError):
	pass


class SettlementPaidError(frappe.ValidationError):
	pass


class SettlementPostingError(frappe.ValidationError):
	pass


# paid / still due on the co-op rows follow the Payment Ledger (accounts.refresh_payment_status)
LIVE_FIELDS = ("paid_amount", "due_amount")


def yuan(fen: int) -> float:
	return float(to_yuan(fen))


def same_value(stored, computed, precision=None) -> bool:
	"""`computed` is what the database holds as `stored` (numbers at the field's precision)."""
	if isinstance(computed, int | float) and not isinstance(computed, bool):
		return abs(flt(stored) - computed) <= 0.5 / 10 ** (precision or 6) + 1e-9  # within the rounding
	return (stored or None) == (computed or None)


class CampaignSettlement(Document):
	def validate(self):
		# Serialise settlements of one campaign (and the campaign's own changes) on its row.
		frappe.db.get_value("Purchase Campaign", self.campaign, "name", for_update=True)
		campaign = frappe.get_doc("Purchase Campaign", self.campaign)
		self.company = campaign.company
		self.validate_one_per_campaign()
		self.compute(campaign)

	def validate_one_per_campaign(self):
		other = frappe.db.get_value(
			"Campaign Settlement",
			{"campaign": self.campaign, "docstatus": ("<", 2), "name": ("!=", self.name)},
			"name",
		)
		if other:
			throw(
				"Campaign {0} already has settlement {1}; cancel it before settling the campaign again",
				self.campaign,
				other,
				exc=DuplicateSettlementError,
			)

	def compute(self, campaign):
		data = collect(campaign)
		if data.missing:
			throw(
				"Campaign {0} cannot be settled yet: {1}",
				self.campaign,
				missing_message(data.missing),
				exc=SettlementIncompleteError,
			)
		try:
			result = allocate_profit(data.profit, data.policy, data.villages, data.members)
		except ValueError:
			throw(
				"Campaign {0} made a profit of {1} but no co-op has net purchases to share it by",
				self.campaign,
				to_yuan(data.profit),
				exc=SettlementIncompleteError,
			)
		self.apply(data, result)

	def apply(self, data, result):
		for field in POLICY_FIELDS:
			self.set(field, data.policy[field])
		self.revenue = yuan(data.revenue)
		self.purchase_cost = yuan(data.purchase_cost)
		self.campaign_costs = yuan(data.campaign_costs)
		self.total_cost = yuan(data.purchase_cost + data.campaign_costs)
		self.profit = yuan(data.profit)
		self.returned_pool = yuan(result.returned_pool)
		self.retained_profit = yuan(result.retained)
		self.federation_pool = yuan(result.federation_pool)
		self.village_pool = yuan(result.village_pool)
		tables = {
			"cooperatives": [
				{
					"cooperative": row.cooperative,
					"level": row.level,
					"town": row.town,
					"net_purchases": yuan(row.net_purchases),
					"share": row.share,
					"total": yuan(row.total),
					"paid_amount": 0,
					"due_amount": 0,
					**{s: yuan(row[s]) for s in SHARES},
				}
				for row in result.cooperatives
			],
			"members": [
				{
					"member": row.member,
					"member_name": data.member_names.get(row.member),
					"cooperative": row.cooperative,
					"ordered_amount": yuan(row.ordered_amount),
					"basis_amount": yuan(row.basis_amount),
					"rebate": yuan(row.rebate),
				}
				for row in result.members
			],
			"vouchers": [{**row, "amount": yuan(row.amount)} for row in data.vouchers],
		}
		# Submitting recomputes everything; when the figures are the ones saved (the usual
		# case) the stored rows stay as they are instead of 3,700 rows being written again.
		self.flags.rows_as_stored = not self.is_new() and all(
			self.rows_are(field, rows) for field, rows in tables.items()
		)
		if not self.flags.rows_as_stored:
			for field, rows in tables.items():
				self.set(field, [])
				for row in rows:
					self.append(field, row)

	def rows_are(self, field: str, rows: list[dict]) -> bool:
		"""The table `field` holds exactly `rows` (in order; paid / due are the ledger's)."""
		existing = self.get(field)
		if len(existing) != len(rows):
			return False
		if not existing:
			return True
		precision = {}

		def same(old, key, value) -> bool:
			if key not in precision:
				precision[key] = old.precision(key)
			return same_value(old.get(key), value, precision[key])

		return all(
			old.name and all(same(old, k, v) for k, v in new.items() if k not in LIVE_FIELDS)
			for old, new in zip(existing, rows, strict=True)
		)

	def _validate_links(self):
		"""Frappe checks every Link of every child row: one query per member, 3,700 for a
		county. These rows are never the client's: validate replaces them with the
		computation from the campaign's submitted documents, or finds them equal to it, so
		their links hold by construction; the settlement's own links are checked as usual."""
		if self.flags.ignore_links or self._action == "cancel":
			return
		invalid, cancelled = self.get_invalid_links()
		if invalid:
			frappe.throw(
				_("Could not find {0}").format(", ".join(each[2] for each in invalid)),
				frappe.LinkValidationError,
			)
		if cancelled:
			frappe.throw(
				_("Cannot link cancelled document: {0}").format(", ".join(each[2] for each in cancelled)),
				frappe.CancelledLinkError,
			)

	def update_children(self):
		if self.flags.rows_as_stored:
			return  # validate found the stored rows equal to the computed ones
		super().update_children()

	def on_submit(self):
		# frozen from here on: a submitted settlement freezes the campaign's documents
		settled(self.campaign)
		start_posting(self)

	@frappe.whitelist()
	def retry_posting(self):
		"""Post again after a failure (or after a posting job that was lost, e.g. its worker
		was killed): the job posts all the entries or none and skips a settlement that has
		them."""
		self.check_permission("submit")
		if self.docstatus != 1 or not (
			self.posting_status == FAILED
			or (self.posting_status == POSTING and not is_posting_queued(self.name))
		):
			throw(
				"Settlement {0} is {1}: only a failed posting is posted again",
				self.name,
				Msg(self.posting_status or "Draft", context=self.doctype),
				exc=SettlementPostingError,
			)
		start_posting(self)
		return self.posting_status

	def before_cancel(self):
		if self.posting_status == POSTING:
			throw(
				"Settlement {0} is being posted; cancel it once it is Posted or Failed",
				self.name,
				exc=SettlementPostingError,
			)
		paid = payments_against(settlement_entries(self.name))
		if paid:
			throw(
				"Settlement {0} has payments against it ({1}); cancel them before the settlement",
				self.name,
				", ".join(paid),
				exc=SettlementPaidError,
			)

	def on_cancel(self):
		cancel_journal_entries(self.name)
		unsettled(self.campaign)

	def onload(self):
		"""Paid and still due per co-op, live from the Payment Ledger."""
		status = payment_status(self)
		for row in self.cooperatives:
			if row.cooperative in status:
				row.paid_amount = yuan(status[row.cooperative]["paid"])
				row.due_amount = yuan(status[row.cooperative]["due"])

	# -- the co-ops' statements (print format 统购结算单)

	def statements(self, cooperative: str | None = None) -> list[dict]:
		"""One statement per co-op row, or only `cooperative`'s (also taken from the print
		request's `cooperative` argument): its purchases by item, its villages (a town), its
		share of the profit and its members' rebates."""
		cooperative = (
			cooperative or self.flags.statement_cooperative or frappe.local.form_dict.get("cooperative")
		)
		rows = [row for row in self.cooperatives if not cooperative or row.cooperative == cooperative]
		if not rows:
			return []
		status = payment_status(self)
		names = cooperative_names({row.cooperative for row in rows} | {row.town for row in rows if row.town})
		invoices = [v.voucher_no for v in self.vouchers if v.voucher_type == "Sales Invoice"]
		items = purchased_items(self.campaign, [row.cooperative for row in rows], invoices)
		season = frappe.db.get_value("Purchase Campaign", self.campaign, "season")
		statements = []
		for row in rows:
			figures = status.get(row.cooperative, {"paid": 0, "due": 0})
			statements.append(
				frappe._dict(
					row=row,
					name=names.get(row.cooperative, row.cooperative),
					town_name=names.get(row.town, row.town) if row.level != "Town Federation" else "",
					season=season,
					purchases=items.get(row.cooperative, []),
					villages=[
						v
						for v in self.cooperatives
						if row.level == "Town Federation" and v.town == row.cooperative and v.name != row.name
					],
					members=[m for m in self.members if m.cooperative == row.cooperative],
					paid=yuan(figures["paid"]),
					due=yuan(figures["due"]),
				)
			)
		return statements


def cooperative_names(names) -> dict:
	names = [n for n in names if n]
	return dict(
		frappe.get_all("Cooperative", {"name": ("in", names)}, ["name", "cooperative_name"], as_list=True)
	)


def purchased_items(campaign: str, cooperatives: list[str], invoices: list[str]) -> dict:
	"""{co-op: [{item_code, item_name, uom, qty, amount}]} net of returns, from the campaign's
	submitted Sales Invoices the settlement counted (`invoices`)."""
	from frappe.query_builder import DocType
	from frappe.query_builder.functions import Sum

	Invoice, Item = DocType("Sales Invoice"), DocType("Sales Invoice Item")
	rows = (
		frappe.qb.from_(Item)
		.join(Invoice)
		.on(Item.parent == Invoice.name)
		.select(
			Invoice.agri_coop_cooperative.as_("cooperative"),
			Item.item_code,
			Item.item_name,
			Item.stock_uom.as_("uom"),
			Sum(Item.stock_qty).as_("qty"),
			Sum(Item.base_net_amount).as_("amount"),
		)
		.where(
			(Invoice.agri_coop_campaign == campaign)
			& (Invoice.docstatus == 1)
			& (Invoice.agri_coop_cooperative.isin(cooperatives))
			& (Invoice.name.isin(invoices or [""]))
		)
		.groupby(Invoice.agri_coop_cooperative, Item.item_code, Item.item_name, Item.stock_uom)
		.orderby(Item.item_code)
		.run(as_dict=True)
	)
	result = {}
	for row in rows:
		row.amount = flt(row.amount, 2)
		row.rate = flt(row.amount / row.qty, 2) if row.qty else 0
		result.setdefault(row.cooperative, []).append(row)
	return result


def statement_doc(settlement: str, cooperative: str):
	"""The settlement, for printing one co-op's statement: the user reads settlements and the
	co-op is in their town / village scope (a town user cannot open the whole settlement,
	which lists other towns' co-ops, but may print their own co-ops' statements)."""
	from agri_coop.permissions import is_in_scope

	frappe.has_permission("Campaign Settlement", "print", throw=True)
	doc = frappe.get_doc("Campaign Settlement", settlement)
	if not any(row.cooperative == cooperative for row in doc.cooperatives):
		throw("Settlement {0} has no share for {1}", settlement, cooperative, exc=frappe.DoesNotExistError)
	if not is_in_scope(cooperative):
		throw("You may print the statements of your own town or village only", exc=frappe.PermissionError)
	if doc.docstatus != 1:
		throw("Settlement {0} is not submitted yet", settlement)
	doc.flags.statement_cooperative = cooperative
	return doc


def render_statement(settlement: str, cooperative: str, as_pdf: bool = False):
	doc = statement_doc(settlement, cooperative)
	frappe.flags.ignore_print_permissions = True  # checked by statement_doc
	try:
		return frappe.get_print(
			doc.doctype, doc.name, print_format=PRINT_FORMAT, doc=doc, as_pdf=as_pdf, no_letterhead=1
		)
	finally:
		frappe.flags.ignore_print_permissions = False


@frappe.whitelist()
def print_statement(settlement: str, cooperative: str):
	"""The PDF of one co-op's 统购结算单."""
	frappe.local.response.filename = f"统购结算单-{settlement}-{cooperative}.pdf"
	frappe.local.response.filecontent = render_statement(settlement, cooperative, as_pdf=True)
	frappe.local.response.type = "pdf"
