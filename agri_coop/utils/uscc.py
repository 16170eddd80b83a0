"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-symbol alphabet (digits and capitals without I, O, Z, S, V):
  1     registration authority     2  organisation type
  3-8   administrative division    9-17 organisation code
  18    check digit over positions 1-17 (weights 3^i mod 31).
"""

from agri_coop.utils.messages import Msg

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


def normalize(code: str | None) -> str:
	"""Codes are typed by people: drop spaces, accept lower case."""
	return "".join((code or "").split()).upper()


def check_digit(first17: str) -> str:
	total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
	return ALPHABET[(31 - total % 31) % 31]


def uscc_error(code: str) -> str | None:
	"""Return why `code` (already normalized) is not a valid USCC, or None.

	The reason is an English message, translated where it is shown.
	"""
	if len(code) != 18:
		return Msg("must be 18 characters long")
	bad = [ch for ch in code if ch not in _VALUE]
	if bad:
		return Msg("contains characters the standard does not use (I, O, Z, S, V or symbols)")
	if not code[2:8].isdigit():
		return Msg("characters 3 to 8 must be the administrative division code (digits)")
	if code[17] != check_digit(code[:17]):
		return Msg("check digit is wrong")
	return None


def is_valid_uscc(code: str | None) -> bool:
	return uscc_error(normalize(code)) is None


def make_uscc(first17: str) -> str:
	"""Complete 17 characters with their check digit (demo data and tests)."""
	return first17 + check_digit(first17)
