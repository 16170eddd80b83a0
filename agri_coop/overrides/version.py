"""Version: the app's hook (wired in hooks.py doc_events): version history keeps no personal
data (agri_coop.security.privacy)."""

from agri_coop.security.privacy import scrub_version


def before_insert(doc, method=None):
	scrub_version(doc, method)
