"""File: the app's hooks (wired in hooks.py doc_events): no File row may point at a private
file its creator may not read (agri_coop.security.boundary_files)."""

from agri_coop.security.boundary_files import refuse_foreign_private_url


def before_insert(doc, method=None):
	refuse_foreign_private_url(doc, method)


def validate(doc, method=None):
	refuse_foreign_private_url(doc, method)
