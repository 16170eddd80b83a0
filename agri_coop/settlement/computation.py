"""What a campaign earned and who gets it back (seed 000 §三(三); README "How it is built": Settlement).

Two steps, kept apart so the arithmetic can be checked without a database:

`collect(campaign)` reads the campaign's ERPNext documents:
- revenue: its submitted Sales Invoices' `base_net_total` (credit notes are negative, so
  returns are netted);
- purchase cost: its submitted Purchase Invoices' `base_net_total` (debit notes netted);
- campaign costs: submitted Journal Entries tagged with the campaign (their debit minus
  credit on the company's Expense accounts: freight, handling, ...) and submitted Landed
  Cost Vouchers tagged with it (their total taxes and charges). A settlement's own Journal
  Entry is never a cost;
- each village co-op's net purchases: its Sales Invoices net of returns;
- each member's basis: the amounts of their lines in the village's submitted orders;
- and what is still missing before the accounts can be closed (`missing`).

`allocate_profit(...)` divides the profit, every level with largest-remainder rounding in
whole fen (`allocation.allocate_fen`), so the parts add up exactly at every level:

1. profit → returned pool / kept by the county SMC, by `rebate_rate`;
2. pool → town federations / village co-ops, by `federation_share`;
3. federations' part → towns, in proportion to their villages' net purchases;
4. villages' part → villages, in proportion to their net purchases;
5. a village's part → co-op accumulation / member rebate / staff reward, by the policy;
   a town federation has no members of its own, so its part is split between accumulation
   and staff reward in the ratio of those two shares (all accumulation if both are 0);
6. a village's member rebate → its members, in proportion to their order line amounts.

Returns: the village's own purchases already count net of its returns (step 4). A credit
note is booked for the village, not for a member, so which member returned the goods is not
known; every member's basis is therefore reduced in the same proportion: the "basis"
shown is the village's net purchases spread over its members by their order amounts
(adding up to the village's net purchases), and the rebate follows the same proportions.

A loss or a zero profit allocates nothing.
"""

from collections import defaultdict

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Sum
from frappe.utils import flt

from agri_coop.organisation.doctype.cooperative.cooperative import TOWN, VILLAGE
from agri_coop.purchasing.campaign_documents import app_orders, made_from_app_orders
from agri_coop.settlement.allocation import allocate_fen, exact, to_fen
from agri_coop.utils.messages import Msg

SHARES = ("accumulation", "member_rebate", "staff_reward")
# The shares as the journal entries' remarks and the rebates report name them.
SHARE_LABELS = {
	"accumulation": "Co-op Accumulation",
	"member_rebate": "Member Rebate",
	"staff_reward": "Staff Reward",
}
POLICY_FIELDS = (
	"rebate_rate",
	"federation_share",
	"accumulation_share",
	"member_rebate_share",
	"staff_reward_share",
)
REVENUE, PURCHASE_COST, CAMPAIGN_COST = "Revenue", "Purchase Cost", "Campaign Cost"
# Above this many missing documents the refusal lists the first ones and counts the rest.
MISSING_SHOWN = 15


def collect(campaign) -> frappe._dict:
	"""The figures of `campaign` (a Purchase Campaign doc) from its ERPNext documents."""
	data = frappe._dict(
		campaign=campaign.name,
		company=campaign.company,
		policy={field: flt(campaign.get(field)) for field in POLICY_FIELDS},
		missing=[],
		vouchers=[],
		revenue=0,
		purchase_cost=0,
		campaign_costs=0,
	)
	if campaign.campaign_state not in ("Delivered", "Settled"):
		data.missing.append(
			Msg(
				"campaign {0} is {1}, not yet delivered",
				campaign.name,
				Msg(campaign.campaign_state, context="Purchase Campaign"),
			)
		)
	collect_orders(campaign.name, data)
	villages = collect_sales(campaign.name, data)
	collect_purchases(campaign.name, data)
	collect_costs(campaign.name, campaign.company, data)
	data.villages = villages
	data.members, data.member_names = member_amounts(campaign.name)
	data.profit = data.revenue - data.purchase_cost - data.campaign_costs
	return data


def collect_orders(campaign: str, data):
	"""Only the orders consolidation made count (a hand-made one tagged with the campaign
	does not: agri_coop.purchasing.campaign_documents)."""
	for doctype in ("Sales Order", "Purchase Order"):
		orders = app_orders(campaign, doctype, ("per_billed",))
		if not orders and doctype == "Sales Order":
			data.missing.append(Msg("the campaign has no submitted Sales Orders"))
		for order in orders:
			if flt(order.per_billed, 2) < 100:
				data.missing.append(
					Msg("{0} {1} is invoiced {2}% only", Msg(doctype), order.name, flt(order.per_billed, 2))
				)


def of_app_orders(campaign: str, doctype: str, invoices: list) -> list:
	"""The invoices made from the campaign's own orders (a tagged hand-made one is not the
	campaign's)."""
	made = made_from_app_orders(campaign, doctype, [i.name for i in invoices])
	return [i for i in invoices if i.name in made]


def collect_sales(campaign: str, data) -> dict:
	"""{village: {"town": town, "net": fen}} from the campaign's Sales Invoices."""
	Invoice = DocType("Sales Invoice")
	invoices = (
		frappe.qb.from_(Invoice)
		.select(
			Invoice.name,
			Invoice.docstatus,
			Invoice.customer,
			Invoice.agri_coop_cooperative,
			Invoice.base_net_total,
			Invoice.is_return,
		)
		.where((Invoice.agri_coop_campaign == campaign) & (Invoice.docstatus < 2))
		.orderby(Invoice.name)
		.run(as_dict=True)
	)
	invoices = of_app_orders(campaign, "Sales Invoice", invoices)
	coop_of_customer = {}
	unmapped = {i.customer for i in invoices if not i.agri_coop_cooperative}
	if unmapped:
		coop_of_customer = dict(
			frappe.get_all(
				"Cooperative",
				{"customer": ("in", list(unmapped)), "cooperative_type": VILLAGE},
				["customer", "name"],
				as_list=True,
			)
		)
	net = defaultdict(int)
	for invoice in invoices:
		if invoice.docstatus == 0:
			data.missing.append(Msg("{0} {1} is a draft", Msg("Sales Invoice"), invoice.name))
			continue
		village = invoice.agri_coop_cooperative or coop_of_customer.get(invoice.customer)
		if not village:
			data.missing.append(
				Msg(
					"{0} {1} is for {2}, which is no village co-op",
					Msg("Sales Invoice"),
					invoice.name,
					invoice.customer,
				)
			)
			continue
		amount = to_fen(invoice.base_net_total)
		net[village] += amount
		data.revenue += amount
		data.vouchers.append(
			frappe._dict(
				voucher_type="Sales Invoice",
				voucher_no=invoice.name,
				kind=REVENUE,
				cooperative=village,
				amount=amount,
			)
		)
	towns = dict(
		frappe.get_all("Cooperative", {"name": ("in", list(net) or [""])}, ["name", "town"], as_list=True)
	)
	return {village: frappe._dict(town=towns.get(village), net=amount) for village, amount in net.items()}


def collect_purchases(campaign: str, data):
	Invoice = DocType("Purchase Invoice")
	invoices = (
		frappe.qb.from_(Invoice)
		.select(Invoice.name, Invoice.docstatus, Invoice.base_net_total)
		.where((Invoice.agri_coop_campaign == campaign) & (Invoice.docstatus < 2))
		.orderby(Invoice.name)
		.run(as_dict=True)
	)
	for invoice in of_app_orders(campaign, "Purchase Invoice", invoices):
		if invoice.docstatus == 0:
			data.missing.append(Msg("{0} {1} is a draft", Msg("Purchase Invoice"), invoice.name))
			continue
		amount = to_fen(invoice.base_net_total)
		data.purchase_cost += amount
		data.vouchers.append(
			frappe._dict(
				voucher_type="Purchase Invoice", voucher_no=invoice.name, kind=PURCHASE_COST, amount=amount
			)
		)


def collect_costs(campaign: str, company: str, data):
	"""Journal Entries (expense debits net of credits) and Landed Cost Vouchers (charges)
	tagged with the campaign; a settlement's own Journal Entry is not a cost."""
	entries = campaign_journal_entries(campaign, company)
	expense = expense_by_entry([e.name for e in entries if e.docstatus == 1], company)
	for entry in entries:
		add_campaign_cost(data, "Journal Entry", entry, to_fen(flt(expense.get(entry.name), 2)))
	for voucher in campaign_landed_cost_vouchers(campaign, company):
		add_campaign_cost(data, "Landed Cost Voucher", voucher, to_fen(voucher.total_taxes_and_charges))


def campaign_journal_entries(campaign: str, company: str) -> list:
	"""The campaign's draft and submitted Journal Entries, not a settlement's own."""
	Entry = DocType("Journal Entry")
	return (
		frappe.qb.from_(Entry)
		.select(Entry.name, Entry.docstatus)
		.where(
			(Entry.agri_coop_campaign == campaign)
			& (Entry.docstatus < 2)
			& (Entry.company == company)
			& ((Entry.agri_coop_settlement.isnull()) | (Entry.agri_coop_settlement == ""))
		)
		.orderby(Entry.name)
		.run(as_dict=True)
	)


def expense_by_entry(entries: list[str], company: str) -> dict:
	"""{entry: debit minus credit on the company's Expense accounts} (no query for none)."""
	if not entries:
		return {}
	Row, Account = DocType("Journal Entry Account"), DocType("Account")
	return dict(
		frappe.qb.from_(Row)
		.join(Account)
		.on(Account.name == Row.account)
		.select(Row.parent, Sum(Row.debit - Row.credit))
		.where(
			(Row.parent.isin(entries))
			& (Row.parenttype == "Journal Entry")
			& (Account.root_type == "Expense")
			& (Account.company == company)
		)
		.groupby(Row.parent)
		.run()
	)


def campaign_landed_cost_vouchers(campaign: str, company: str) -> list:
	Voucher = DocType("Landed Cost Voucher")
	return (
		frappe.qb.from_(Voucher)
		.select(Voucher.name, Voucher.docstatus, Voucher.total_taxes_and_charges)
		.where(
			(Voucher.agri_coop_campaign == campaign) & (Voucher.docstatus < 2) & (Voucher.company == company)
		)
		.orderby(Voucher.name)
		.run(as_dict=True)
	)


def add_campaign_cost(data, voucher_type: str, doc, amount: int):
	"""Count a submitted document's `amount`; a draft is listed as missing instead."""
	if doc.docstatus == 0:
		data.missing.append(Msg("{0} {1} is a draft", Msg(voucher_type), doc.name))
		return
	data.campaign_costs += amount
	data.vouchers.append(
		frappe._dict(voucher_type=voucher_type, voucher_no=doc.name, kind=CAMPAIGN_COST, amount=amount)
	)


def member_amounts(campaign: str) -> tuple[dict, dict]:
	"""({village: {member: ordered amount}}, {member: name}) over the campaign's submitted
	orders."""
	from agri_coop.purchasing.doctype.campaign_order.campaign_order import submitted_lines_query

	query, Order, Line = submitted_lines_query(campaign)
	rows = (
		query.select(Order.cooperative, Line.member, Line.member_name, Sum(Line.amount))
		.groupby(Order.cooperative, Line.member, Line.member_name)
		.run()
	)
	amounts = defaultdict(dict)
	names = {}
	for village, member, member_name, amount in rows:
		amounts[village][member] = amounts[village].get(member, 0) + exact(flt(amount, 2))
		names[member] = member_name
	return dict(amounts), names


# -- the allocation (no database)


def allocate_profit(profit_fen: int, policy: dict, villages: dict, members: dict) -> frappe._dict:
	"""Divide `profit_fen` as the module docstring says.

	villages: {village: {"town": town, "net": fen}}; members: {village: {member: amount}}.
	Returns fen figures: returned_pool, retained, federation_pool, village_pool, and rows
	`cooperatives` (towns and villages) and `members`.
	"""
	rate = exact(policy.get("rebate_rate") or 0)
	federation_share = exact(policy.get("federation_share") or 0)
	weights = {share: exact(policy.get(f"{share}_share") or 0) for share in SHARES}
	nets = {village: max(int(info["net"]), 0) for village, info in villages.items()}
	town_of = {village: info["town"] for village, info in villages.items()}
	town_nets = net_by_town(nets, town_of)
	total_net = sum(nets.values())

	result = split_profit(profit_fen, rate, federation_share)  # steps 1 and 2
	to_towns = allocate_fen(result.federation_pool, town_nets) if result.federation_pool else {}
	to_villages = allocate_fen(result.village_pool, nets) if result.village_pool else {}
	town_weights = town_share_weights(weights)
	for town in sorted(town_nets, key=lambda t: t or ""):
		if federation_share:
			amount = to_towns.get(town, 0)
			result.cooperatives.append(town_row(town, town_nets[town], total_net, amount, town_weights))
		for village in sorted(v for v in nets if town_of[v] == town):
			row, rebates = village_rows(
				village,
				town,
				villages[village]["net"],
				nets[village],
				total_net,
				to_villages.get(village, 0),
				weights,
				members.get(village) or {},
			)
			result.cooperatives.append(row)
			result.members += rebates
	return result


def town_row(town, net: int, total_net: int, amount: int, weights: dict) -> frappe._dict:
	"""Steps 3 and 5 for a town federation (its own row; it has no members)."""
	parts = allocate_fen(amount, weights) if amount else {}
	return coop_row(town, TOWN, town, net, share_of(net, total_net), amount, parts)


def village_rows(village, town, recorded_net, net, total_net, amount, weights, members) -> tuple:
	"""Steps 4 to 6 for a village: (its row, its members' rows). The row shows the recorded
	net purchases; the share and the member basis use `net`, a negative one counted as 0."""
	parts = allocate_fen(amount, weights) if amount else {}
	row = coop_row(village, VILLAGE, town, recorded_net, share_of(net, total_net), amount, parts)
	rebates = member_rows(village, net, parts.get("member_rebate", 0), members) if amount else []
	return row, rebates


def net_by_town(nets: dict, town_of: dict) -> dict:
	town_nets = defaultdict(int)
	for village, net in nets.items():
		town_nets[town_of[village]] += net
	return town_nets


def split_profit(profit_fen: int, rate, federation_share) -> frappe._dict:
	"""The pools: returned / retained by `rate`, the returned pool federations / villages by
	`federation_share`; a loss or zero profit returns nothing. Rows are added by the caller."""
	result = frappe._dict(
		returned_pool=0,
		retained=max(profit_fen, 0),
		federation_pool=0,
		village_pool=0,
		cooperatives=[],
		members=[],
	)
	if profit_fen > 0:
		pool = allocate_fen(profit_fen, {"returned": rate, "retained": 100 - rate})
		result.returned_pool, result.retained = pool["returned"], pool["retained"]
		split = allocate_fen(
			result.returned_pool, {"federations": federation_share, "villages": 100 - federation_share}
		)
		result.federation_pool, result.village_pool = split["federations"], split["villages"]
	return result


def town_share_weights(weights: dict) -> dict:
	"""A town federation has no members: accumulation and staff reward in their ratio, all
	accumulation when both are 0."""
	town_weights = {"accumulation": weights["accumulation"], "staff_reward": weights["staff_reward"]}
	return town_weights if any(town_weights.values()) else {"accumulation": 1}


def share_of(net, whole):
	"""`net` as a percentage of `whole` (0 when there is no whole)."""
	return flt(net * 100 / whole, 6) if whole else 0


def coop_row(cooperative, level, town, net, share, total, parts) -> frappe._dict:
	row = frappe._dict(
		cooperative=cooperative, level=level, town=town, net_purchases=net, share=share, total=total
	)
	for share_name in SHARES:
		row[share_name] = parts.get(share_name, 0)
	assert sum(row[s] for s in SHARES) == total
	return row


def member_rows(village: str, village_net: int, rebate: int, amounts: dict) -> list:
	amounts = {member: amount for member, amount in amounts.items() if amount > 0}
	if not amounts:
		return []  # no member lines: the member rebate stays with the village co-op
	basis = allocate_fen(village_net, amounts)
	rebates = allocate_fen(rebate, amounts)
	return [
		frappe._dict(
			member=member,
			cooperative=village,
			ordered_amount=to_fen(amounts[member]),
			basis_amount=basis[member],
			rebate=rebates[member],
		)
		for member in sorted(amounts)
	]


def missing_message(missing: list):
	"""The refusal's list: the first MISSING_SHOWN items, then how many more."""
	shown = list(missing[:MISSING_SHOWN])
	if len(missing) > MISSING_SHOWN:
		shown.append(Msg("and {0} more", len(missing) - MISSING_SHOWN))
	return MsgList(shown)


class MsgList(Msg):
	"""Several messages shown as one, each in the reader's language."""

	def __new__(cls, items, sep="; "):
		msg = str.__new__(cls, sep.join(str(item) for item in items))
		msg.template, msg.args, msg.items, msg.sep = str(msg), (), list(items), sep
		return msg

	def render(self, lang: str | None) -> str:
		return self.sep.join(item.render(lang) if isinstance(item, Msg) else str(item) for item in self.items)
