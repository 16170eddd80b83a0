"""Resident identity number (居民身份证号码), GB 11643-1999.

17 digits (6 region, 8 birth date YYYYMMDD, 3 sequence: odd = male) and a check character
from ISO 7064 MOD 11-2 ('0'-'9' or 'X').
"""

from datetime import date

from agri_coop.utils.messages import Msg

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# Province-level codes (first two digits) in use.
PROVINCES = {
	"11",
	"12",
	"13",
	"14",
	"15",
	"21",
	"22",
	"23",
	"31",
	"32",
	"33",
	"34",
	"35",
	"36",
	"37",
	"41",
	"42",
	"43",
	"44",
	"45",
	"46",
	"50",
	"51",
	"52",
	"53",
	"54",
	"61",
	"62",
	"63",
	"64",
	"65",
	"71",
	"81",
	"82",
}
# A member is a producer or the head of a household: 16 to 110 years old is plausible.
MIN_AGE, MAX_AGE = 16, 110


def check_char(first17: str) -> str:
	return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def make_resident_id(region: str, birth: date, sequence: int) -> str:
	first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
	return first17 + check_char(first17)


def looks_like_resident_id(code: str) -> bool:
	return len(code) == 18 and code[:17].isdigit() and (code[17].isdigit() or code[17] == "X")


def parse_resident_id(code: str, today: date | None = None):
	"""Return (birth_date, gender, None) for a valid number or (None, None, reason)."""
	if len(code) != 18:
		return None, None, Msg("resident ID number must be 18 characters long")
	if not looks_like_resident_id(code):
		return None, None, Msg("resident ID number must be 17 digits followed by a digit or X")
	if code[:2] not in PROVINCES:
		return None, None, Msg("resident ID number has an unknown region code")
	if code[17] != check_char(code[:17]):
		return None, None, Msg("resident ID number check digit is wrong")
	try:
		birth = date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
	except ValueError:
		return None, None, Msg("resident ID number contains an impossible birth date")
	today = today or date.today()
	age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
	if not MIN_AGE <= age <= MAX_AGE:
		return None, None, Msg("birth date in the resident ID number is not plausible (age 16 to 110)")
	return birth, ("Male" if int(code[16]) % 2 else "Female"), None


def mask(code: str | None) -> str | None:
	"""150221********1234: enough to recognise a person, not to use their number."""
	if not code:
		return code
	return code[:6] + "*" * (len(code) - 10) + code[-4:] if len(code) > 10 else "*" * len(code)
