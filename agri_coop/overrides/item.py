"""Item: the app's hooks (hooks.py doc_events): farm-input category, registration number and
batch tracking of pesticides (agri_coop.traceability.inputs)."""

from agri_coop.traceability.inputs import apply_item_rules


def validate(doc, method=None):
	apply_item_rules(doc, method)
