"""A purchase campaign's life, in one table: its states, the steps between them and who
takes each, and `set_state`, the one way its state changes.

Draft -> Open -> Closed are the County SMC Manager's actions (`take_step`). The rest is the
system's, following what happens: consolidation makes the orders (Ordered); after that the
state follows the campaign's ERPNext documents (`update_campaign_state`: Received once every
Purchase Order is fully received, Delivered once every Sales Order is fully delivered too,
and back when one is cancelled); a submitted settlement makes it Settled, and its
cancellation gives back the state the documents say.
"""

import frappe
from frappe.utils import flt

from agri_coop.constants.roles import COUNTY_SMC_MANAGER
from agri_coop.purchasing.campaign_documents import app_orders
from agri_coop.utils.transitions import SYSTEM, StateMachine

DRAFT, OPEN, CLOSED, ORDERED = "Draft", "Open", "Closed", "Ordered"
RECEIVED, DELIVERED, SETTLED = "Received", "Delivered", "Settled"
STATES = (DRAFT, OPEN, CLOSED, ORDERED, RECEIVED, DELIVERED, SETTLED)
# Closed or later: orders are no longer taken, closing again changes nothing.
CLOSED_STATES = (CLOSED, ORDERED, RECEIVED, DELIVERED, SETTLED)
# The states that follow the campaign's Purchase and Sales Orders, receipts and deliveries.
FOLLOWING_DOCUMENTS = (ORDERED, RECEIVED, DELIVERED)


class CampaignStateError(frappe.ValidationError):
	pass


_MANAGER = {COUNTY_SMC_MANAGER}
CAMPAIGN = StateMachine(
	"campaign_state",
	{
		(DRAFT, OPEN): _MANAGER,
		(OPEN, CLOSED): _MANAGER,
		(CLOSED, ORDERED): SYSTEM,  # consolidation made the orders
		**{(a, b): SYSTEM for a in FOLLOWING_DOCUMENTS for b in FOLLOWING_DOCUMENTS if a != b},
		(DELIVERED, SETTLED): SYSTEM,  # a settlement is submitted
		**{(SETTLED, state): SYSTEM for state in FOLLOWING_DOCUMENTS},  # ... and cancelled
	},
	CampaignStateError,
	step_message="Cannot move the campaign from {0} to {1}",
	roles_message="Only the County SMC Manager opens and closes campaigns",
	check_write=False,
)


def check_manager():
	"""The session user may take the manager's steps (open, close, consolidate)."""
	CAMPAIGN.check_roles(OPEN)


def take_step(campaign, state: str, **values):
	"""The manager's step to `state`: their roles, then the step, then the save."""
	CAMPAIGN.check(campaign_doc(campaign), state)
	set_state(campaign, state, **values)


def set_state(campaign, state: str, **values):
	"""Move `campaign` (a name or the document) to `state`, writing `values` with it.

	Who may cause a step is checked by its caller (the manager's actions, or the receipt,
	delivery or settlement a user submits); the step itself must be in the table, and the
	state is the system's: the save ignores the user's permissions."""
	doc = campaign_doc(campaign)
	if doc.campaign_state != state:
		CAMPAIGN.check_step(doc.campaign_state, state)
	CAMPAIGN.apply(doc, state, ignore_permissions=True, **values)
	return doc


def campaign_doc(campaign):
	return frappe.get_doc("Purchase Campaign", campaign) if isinstance(campaign, str) else campaign


def state_from_documents(campaign: str) -> str:
	# only the orders consolidation made count: a hand-made one tagged with the campaign does not
	received = [flt(o.per_received) for o in app_orders(campaign, "Purchase Order", ("per_received",))]
	delivered = [flt(o.per_delivered) for o in app_orders(campaign, "Sales Order", ("per_delivered",))]
	all_received = bool(received) and min(received) >= 100
	all_delivered = bool(delivered) and min(delivered) >= 100
	if all_received and all_delivered:
		return DELIVERED
	return RECEIVED if all_received else ORDERED


def update_campaign_state(campaign: str | None):
	"""A receipt or delivery of the campaign was submitted or cancelled: follow the documents."""
	if not campaign:
		return
	state = frappe.db.get_value("Purchase Campaign", campaign, "campaign_state")
	if state not in FOLLOWING_DOCUMENTS:
		return
	new_state = state_from_documents(campaign)
	if new_state != state:
		set_state(campaign, new_state)


def settled(campaign: str):
	"""A settlement of the campaign is submitted."""
	set_state(campaign, SETTLED)


def unsettled(campaign: str):
	"""The campaign's settlement is cancelled: back to what its documents say."""
	doc = campaign_doc(campaign)
	if doc.campaign_state == SETTLED:
		set_state(doc, state_from_documents(doc.name))
