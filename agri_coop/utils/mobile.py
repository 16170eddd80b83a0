"""Mainland mobile numbers (11 digits, 13x-19x) as people type them, and the full-width
digits of Chinese input methods."""

import re
import unicodedata

from agri_coop.utils.messages import Msg

MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def half_width(value) -> str:
	"""Chinese input methods type full-width digits and letters (１５０６２１…Ｘ): fold them."""
	return unicodedata.normalize("NFKC", str(value or ""))


def check_mobile(raw):
	"""Return (clean number, None) or (None, reason)."""
	mobile = re.sub(r"[\s-]", "", half_width(raw))
	if mobile.startswith("+86"):
		mobile = mobile[3:]
	if mobile.endswith(".0"):  # spreadsheets turn numbers into floats
		mobile = mobile[:-2]
	if not MOBILE_PATTERN.match(mobile):
		return None, Msg("mobile must be 11 digits starting with 13-19")
	return mobile, None


def mask_mobile(mobile: str | None) -> str | None:
	"""138****5678: enough to recognise a number, not to call it."""
	mobile = half_width(mobile or "")
	if len(mobile) < 7:
		return "*" * len(mobile) or None
	return mobile[:3] + "*" * (len(mobile) - 7) + mobile[-4:]
