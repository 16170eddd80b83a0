import frappe
from frappe.utils import getdate, nowdate, sbool
from frappe.utils.nestedset import NestedSet

from agri_coop.permissions import allowed_cooperatives, is_in_scope
from agri_coop.utils.messages import Msg, throw
from agri_coop.utils.transitions import StateMachine, in_transition
from agri_coop.utils.uscc import normalize, uscc_error

COUNTY, TOWN, VILLAGE = "County SMC", "Town Federation", "Village Cooperative"
# The parent type each level requires (the tree has exactly three levels).
PARENT_TYPE = {COUNTY: None, TOWN: COUNTY, VILLAGE: TOWN}
COOPERATIVE_CUSTOMER_GROUP = "Cooperatives"


class CooperativeTreeError(frappe.ValidationError):
	pass


class InvalidUSCCError(frappe.ValidationError):
	pass


class ApprovalTransitionError(frappe.ValidationError):
	pass


# The approval steps of a town federation and who records each (seed 000 §三(一)1).
APPROVAL = StateMachine(
	"approval_state",
	{
		("Drafted", "Approved"): {"County SMC Manager", "Federation User"},
		("Approved", "Registered"): {"County SMC Manager"},
	},
	ApprovalTransitionError,
)


class Cooperative(NestedSet):
	nsm_parent_field = "parent_cooperative"

	def validate(self):
		self.validate_approval_state_unchanged()
		self.validate_tree_position()
		self.validate_uscc()
		self.is_group = 0 if self.cooperative_type == VILLAGE else 1
		self.town = (
			self.name
			if self.cooperative_type == TOWN
			else (self.parent_cooperative if self.cooperative_type == VILLAGE else None)
		)
		if self.cooperative_type != VILLAGE:
			self.producer_count = 0
		if self.cooperative_type != TOWN:
			self.batch = None

	def validate_tree_position(self):
		expected_parent_type = PARENT_TYPE.get(self.cooperative_type)
		if not self.parent_cooperative:
			if expected_parent_type:
				throw(
					"{0} must sit under a {1}",
					Msg(self.cooperative_type),
					Msg(expected_parent_type),
					exc=CooperativeTreeError,
				)
			other_root = frappe.db.get_value(
				"Cooperative", {"cooperative_type": COUNTY, "name": ("!=", self.name)}, "name"
			)
			if other_root:
				throw(
					"There is already a county SMC ({0}); one site serves one county",
					other_root,
					exc=CooperativeTreeError,
				)
			return

		if not expected_parent_type:
			throw("The county SMC is the root of the tree and has no parent", exc=CooperativeTreeError)
		parent_type = frappe.db.get_value("Cooperative", self.parent_cooperative, "cooperative_type")
		if parent_type != expected_parent_type:
			throw(
				"{0} must sit under a {1}, but {2} is a {3}",
				Msg(self.cooperative_type),
				Msg(expected_parent_type),
				self.parent_cooperative,
				Msg(parent_type or "?"),
				exc=CooperativeTreeError,
			)
		parent_changed = self.is_new() or self.get_db_value("parent_cooperative") != self.parent_cooperative
		if parent_changed and not is_in_scope(self.parent_cooperative):
			throw(
				"You may not add or move a cooperative under {0}: it is outside your town or village",
				self.parent_cooperative,
				exc=frappe.PermissionError,
			)

		previous_type = self.get_db_value("cooperative_type") if not self.is_new() else None
		if (
			previous_type
			and previous_type != self.cooperative_type
			and frappe.db.exists("Cooperative", {"parent_cooperative": self.name})
		):
			throw(
				"{0} has cooperatives under it; its type cannot change", self.name, exc=CooperativeTreeError
			)

	def validate_uscc(self):
		if not self.uscc:
			if self.approval_state == "Registered":
				throw(
					"Field {0} is required once the federation is registered",
					Msg("Unified Social Credit Code"),
					exc=InvalidUSCCError,
				)
			self.uscc = None
			return
		code = normalize(self.uscc)
		reason = uscc_error(code)
		if reason:
			throw(
				"Field {0}: '{1}' is not a valid unified social credit code: {2}",
				Msg("Unified Social Credit Code"),
				self.uscc,
				Msg(reason),
				exc=InvalidUSCCError,
			)
		self.uscc = code

	def validate_approval_state_unchanged(self):
		if self.is_new() or in_transition(self):
			if self.is_new() and not in_transition(self):
				self.approval_state = "Drafted" if self.cooperative_type == TOWN else None
			return
		if self.get_db_value("approval_state") != self.approval_state:
			throw(
				"The approval state changes only through its actions (approve, register)",
				exc=ApprovalTransitionError,
			)

	# -- approval of a town federation: drafted -> approved by the town government -> registered

	@frappe.whitelist()
	def approve(self, approved_on=None, approval_reference=None):
		"""Record the town government's approval of the federation's founding documents."""
		self._check_transition("Approved")
		if not approval_reference:
			throw(
				"Field {0} is required to record the approval",
				Msg("Town Government Approval Reference"),
				exc=ApprovalTransitionError,
			)
		self._apply_transition(
			"Approved", approved_on=getdate(approved_on or nowdate()), approval_reference=approval_reference
		)

	@frappe.whitelist()
	def register(self, uscc=None, registered_on=None):
		"""Record the registration and code issued by the county agriculture bureau (农牧局)."""
		self._check_transition("Registered")
		self._apply_transition(
			"Registered", uscc=uscc or self.uscc, registered_on=getdate(registered_on or nowdate())
		)

	def _check_transition(self, target_state):
		if self.cooperative_type != TOWN:
			throw(
				"Only a town federation goes through approval and registration", exc=ApprovalTransitionError
			)
		APPROVAL.check(self, target_state)

	def _apply_transition(self, target_state, **values):
		APPROVAL.apply(self, target_state, **values)

	# -- the co-op's ERPNext Customer, kept in step

	def on_update(self):
		super().on_update()
		self.sync_customer()

	def after_rename(self, old, new, merge=False):
		self.reload()
		self.sync_customer()

	def on_trash(self):
		customer = self.customer
		super().on_trash(allow_root_deletion=True)
		if customer and frappe.db.exists("Customer", customer):
			frappe.db.set_value("Cooperative", self.name, "customer", None)
			frappe.delete_doc("Customer", customer, ignore_permissions=True)

	def sync_customer(self):
		"""Create the co-op's Customer, or bring it in step; saves only when something differs."""
		if self.cooperative_type == COUNTY:
			return
		customer = frappe.get_doc("Customer", self.customer) if self.customer else frappe.new_doc("Customer")
		# rewritten with ignore_permissions below: only the Customer made for this co-op
		if not customer.is_new() and customer.get("agri_coop_cooperative") != self.name:
			throw(
				"Customer {0} is not the customer of co-op {1}: it is not rewritten",
				customer.name,
				self.name,
				exc=frappe.PermissionError,
			)
		values = {
			"customer_name": self.cooperative_name,
			"customer_type": "Company",
			"customer_group": customer.customer_group or ensure_customer_group(),
			"territory": customer.territory or default_territory(),
			"disabled": self.disabled,
			"agri_coop_cooperative": self.name,
			"tax_id": self.uscc,
		}
		if not customer.is_new() and all(customer.get(key) == value for key, value in values.items()):
			return
		customer.update(values)
		customer.flags.ignore_permissions = True
		customer.save()
		if self.customer != customer.name:
			self.db_set("customer", customer.name, update_modified=False)


def ensure_customer_group() -> str | None:
	"""The customer group of co-op customers (made once ERPNext's setup has made the root)."""
	if frappe.db.exists("Customer Group", COOPERATIVE_CUSTOMER_GROUP):
		return COOPERATIVE_CUSTOMER_GROUP
	root = frappe.db.get_value("Customer Group", {"is_group": 1, "parent_customer_group": ("is", "not set")})
	if not root:
		return None
	group = frappe.get_doc(
		{
			"doctype": "Customer Group",
			"customer_group_name": COOPERATIVE_CUSTOMER_GROUP,
			"parent_customer_group": root,
			"is_group": 0,
		}
	)
	group.insert(ignore_permissions=True)
	return group.name


def default_territory() -> str:
	return (
		frappe.db.get_single_value("Selling Settings", "territory")
		or frappe.db.get_value("Territory", {"is_group": 1, "parent_territory": ("is", "not set")}, "name")
		or "All Territories"
	)


def on_doctype_update():
	frappe.db.add_index("Cooperative", ["lft", "rgt"])


@frappe.whitelist()
def get_children(doctype, parent=None, is_root=False, **kwargs):
	"""Tree view nodes the user may read: a town user's tree starts at their town."""
	if sbool(is_root) or not parent:
		allowed = allowed_cooperatives()
		if allowed is None:
			filters = {"parent_cooperative": ("is", "not set")}
		else:
			filters = {"name": ("in", allowed), "parent_cooperative": ("not in", allowed)}
	else:
		filters = {"parent_cooperative": parent}
	return frappe.get_list(
		"Cooperative",
		fields=["name as value", "cooperative_name as title", "is_group as expandable", "cooperative_type"],
		filters=filters,
		order_by="lft",
	)
