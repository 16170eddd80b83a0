"""Step-by-step states written once: a table of steps per DocType and the one check and save.

Each DocType with a state that only its actions change (a town federation's approval, a
purchasing department's establishment, a demand survey's review, a purchase campaign's
life) declares a `StateMachine`: its state field, its steps (from -> to: the roles that may
take the step, or `SYSTEM` when the app takes it as the consequence of something a caller
has already checked) and the exception its refusals raise.

`StateMachine.check` refuses a step the user's roles do not allow, a document the user may
not write, then a step that is not in the table, in that order (someone who may not take the
step learns nothing of the document's state). `StateMachine.apply` writes the state and the
step's values in one save: `saving_transition` marks the save as a transition (so
`validate` lets the state change through) and, when the save is refused, undoes what it
wrote and leaves the document as it was.
"""

from contextlib import contextmanager

import frappe

from agri_coop.utils.messages import Msg, throw

TRANSITION_FLAG = "state_transition"
SYSTEM = None  # a step the app takes itself (its caller checked who caused it)
ALWAYS_ALLOWED_ROLE = "System Manager"


def in_transition(doc) -> bool:
	return bool(doc.flags.get(TRANSITION_FLAG))


@contextmanager
def saving_transition(doc, restore_fields):
	previous = {key: doc.get(key) for key in ("modified", *restore_fields)}
	savepoint = f"transition_{frappe.scrub(doc.doctype)}"
	frappe.db.savepoint(savepoint)
	doc.flags[TRANSITION_FLAG] = True
	try:
		yield
	except Exception:
		frappe.db.rollback(save_point=savepoint)
		doc.update(previous)
		raise
	finally:
		doc.flags[TRANSITION_FLAG] = False


class StateMachine:
	def __init__(
		self,
		field: str,
		steps: dict[tuple[str, str], frozenset | set | None],
		exc: type[Exception],
		*,
		step_message: str = "Cannot move from {0} to {1}",
		roles_message: str | None = None,
		check_write: bool = True,
	):
		"""`steps`: {(from, to): roles that may take it, or SYSTEM}. `roles_message` replaces
		"Your roles do not allow the step to {0}; it is recorded by: {1}" (it gets no arguments).
		"""
		self.field = field
		self.steps = {step: (None if roles is None else frozenset(roles)) for step, roles in steps.items()}
		self.exc = exc
		self.step_message = step_message
		self.roles_message = roles_message
		self.check_write = check_write

	@property
	def states(self) -> list[str]:
		return list(dict.fromkeys(state for step in self.steps for state in step))

	def allows(self, source: str | None, target: str) -> bool:
		return (source, target) in self.steps

	def roles_for(self, target: str) -> frozenset:
		"""The roles that may take a step to `target` (from whatever state)."""
		return frozenset().union(*(roles or () for (_, to), roles in self.steps.items() if to == target))

	def check(self, doc, target: str):
		"""May the session user take `doc` to `target` now? Throws when not."""
		self.check_roles(target)
		if self.check_write:
			doc.check_permission("write")
		self.check_step(doc.get(self.field), target)

	def check_roles(self, target: str):
		allowed = self.roles_for(target)
		if set(frappe.get_roles()) & (allowed | {ALWAYS_ALLOWED_ROLE}):
			return
		if self.roles_message:
			throw(self.roles_message, exc=frappe.PermissionError)
		throw(
			"Your roles do not allow the step to {0}; it is recorded by: {1}",
			Msg(target),
			", ".join(sorted(allowed - {ALWAYS_ALLOWED_ROLE})),
			exc=frappe.PermissionError,
		)

	def check_step(self, source: str | None, target: str):
		if not self.allows(source, target):
			throw(self.step_message, Msg(source or "Draft"), Msg(target), exc=self.exc)

	def apply(
		self, doc, target: str, restore_fields=(), before_save=None, ignore_permissions=False, **values
	):
		"""Write `target` and `values` in one save; the document is left as it was when refused.
		`restore_fields`: further fields the save may write (`before_save(doc)` or the
		DocType's own hooks), undone too when it is refused."""
		with saving_transition(doc, (self.field, *values, *restore_fields)):
			doc.update({self.field: target, **values})
			if before_save:
				before_save(doc)
			if ignore_permissions:
				doc.flags.ignore_permissions = True
			try:
				doc.save()
			finally:
				if ignore_permissions:
					doc.flags.ignore_permissions = False
