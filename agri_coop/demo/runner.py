"""The demo's step runner: `bench --site SITE agri-coop-demo` (agri_coop.commands) loads the
demo county step by step, each step in its own transaction: a step either completes or leaves
nothing, and each step finishes what an interrupted run left half done. Running it again
changes nothing that is complete. `verify_demo` then checks the result.

The steps, in order, are the one list `agri_coop_demo_steps` in hooks.py (a hook, so that a
later module, or another app, adds its step there); `agri_coop_demo_checks` lists their checks.
"""

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Abs, Sum

from agri_coop.constants.cooperatives import TOWN, VILLAGE
from agri_coop.demo.campaigns import FULL, TRIAL
from agri_coop.demo.county import VILLAGES, demo_summary
from agri_coop.demo.members import DEMO_IMPORT_FILE


def demo_steps() -> list[str]:
	return frappe.get_hooks("agri_coop_demo_steps")


def load_demo_county(commit_each_step: bool = False) -> list[str]:
	"""Load every demo step; with `commit_each_step` (the command) each step is committed on
	its own and a failing step is rolled back before the error is raised."""
	for step in demo_steps():
		try:
			frappe.get_attr(step)()
		except Exception:
			if commit_each_step:
				frappe.db.rollback()
			raise
		if commit_each_step:
			frappe.db.commit()
	return demo_summary()


def verify_demo() -> list[str]:
	"""What is missing from a complete demo county; empty when it is all there."""
	problems = []

	def expect(what: str, actual, expected):
		if actual != expected:
			problems.append(f"{what}: {actual} (expected {expected})")

	def at_least(what: str, actual, minimum):
		if actual < minimum:
			problems.append(f"{what}: {actual} (expected at least {minimum})")

	expect("town federations", frappe.db.count("Cooperative", {"cooperative_type": TOWN}), len(VILLAGES))
	villages = sum(len(v) for v in VILLAGES.values())
	expect("village co-ops", frappe.db.count("Cooperative", {"cooperative_type": VILLAGE}), villages)
	expect("purchasing departments", frappe.db.count("Purchasing Department"), len(VILLAGES) + villages)
	imports = frappe.get_all(
		"Member Import",
		{"import_file": ("like", f"%{DEMO_IMPORT_FILE}")},
		["name", "status", "imported_rows"],
	)
	expect("demo member imports (Completed)", [i.status for i in imports], ["Completed"])
	if imports:
		members = frappe.db.count("Coop Member", {"import_batch": imports[0].name})
		expect("members of the demo import", members, imports[0].imported_rows)
		at_least("members", members, 300)
	at_least("active members", frappe.db.count("Coop Member", {"state": "Active"}), 100)
	at_least("active whitelist entries", frappe.db.count("Supplier Whitelist", {"state": "Active"}), 1)
	at_least("demand surveys", frappe.db.count("Demand Survey"), 1)

	for campaign, final_state in ((TRIAL, "Delivered"), (FULL, "Settled")):
		expect(
			f"{campaign}: state",
			frappe.db.get_value("Purchase Campaign", campaign, "campaign_state"),
			final_state,
		)
		tagged = {"agri_coop_campaign": campaign, "docstatus": 1}
		orders = frappe.db.count("Campaign Order", {"campaign": campaign, "docstatus": 1})
		at_least(f"{campaign}: submitted campaign orders", orders, 1)
		sales_orders = frappe.db.count("Sales Order", tagged)
		purchase_orders = frappe.db.count("Purchase Order", tagged)
		expect(f"{campaign}: sales orders (one per ordering village)", sales_orders, orders)
		at_least(f"{campaign}: purchase orders", purchase_orders, 1)
		expect(
			f"{campaign}: purchase orders not received",
			frappe.db.count("Purchase Order", {**tagged, "per_received": ("<", 100)}),
			0,
		)
		expect(
			f"{campaign}: sales orders not delivered",
			frappe.db.count("Sales Order", {**tagged, "per_delivered": ("<", 100)}),
			0,
		)
		expect(f"{campaign}: sales invoices", frappe.db.count("Sales Invoice", tagged), sales_orders)
		at_least(
			f"{campaign}: purchase invoices", frappe.db.count("Purchase Invoice", tagged), purchase_orders
		)
		expect(
			f"{campaign}: unpaid purchase invoices",
			frappe.db.count("Purchase Invoice", {**tagged, "outstanding_amount": (">", 0)}),
			0,
		)
		expect(
			f"{campaign}: unpaid sales invoices (one village still owes)",
			frappe.db.count("Sales Invoice", {**tagged, "outstanding_amount": (">", 0)}),
			1 if sales_orders > 1 else 0,
		)
	settlement = frappe.db.get_value(
		"Campaign Settlement", {"campaign": FULL, "docstatus": 1}, "journal_entry"
	)
	expect(
		f"{FULL}: settlement posted",
		bool(settlement and frappe.db.get_value("Journal Entry", settlement, "docstatus") == 1),
		True,
	)

	GL = DocType("GL Entry")
	unbalanced = (
		frappe.qb.from_(GL)
		.select(GL.voucher_type, GL.voucher_no)
		.where(GL.is_cancelled == 0)
		.groupby(GL.voucher_type, GL.voucher_no)
		.having(Abs(Sum(GL.debit) - Sum(GL.credit)) > 0.005)
		.run()
	)
	expect("unbalanced vouchers in the general ledger", [f"{t} {n}" for t, n in unbalanced], [])
	# a later module's checks of its own demo step (hook: each returns its problems)
	for check in frappe.get_hooks("agri_coop_demo_checks"):
		problems.extend(frappe.get_attr(check)())
	return problems
