"""Step-by-step states (approval, establishment, review) written once.

A document's state field changes only through its actions; `saving_transition` marks the
save as one (so `validate` lets the state change through) and, when the save is refused,
undoes what it wrote and leaves the document as it was.
"""

from contextlib import contextmanager

import frappe

TRANSITION_FLAG = "state_transition"


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
