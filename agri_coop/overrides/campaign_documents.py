"""doc_events shared by the ERPNext documents a campaign produces."""

from agri_coop.purchasing.campaign_state import update_campaign_state


def follow_campaign_state(doc, method=None):
	"""Purchase Receipt / Delivery Note submitted or cancelled: the campaign's state follows."""
	update_campaign_state(doc.get("agri_coop_campaign"))
