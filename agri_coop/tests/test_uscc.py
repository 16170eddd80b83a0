"""Unified social credit code (GB 32100-2015) with its check digit."""

import frappe
import pytest

from agri_coop.demo.builders import create_cooperative
from agri_coop.organisation.doctype.cooperative.cooperative import InvalidUSCCError
from agri_coop.tests.utils import SHULINZHAO
from agri_coop.utils.uscc import check_digit, is_valid_uscc, make_uscc

VALID = "91350100M000100Y43"  # a published example code


def test_published_code_is_valid():
	assert is_valid_uscc(VALID)
	assert check_digit(VALID[:17]) == "3"


@pytest.mark.parametrize(
	"code, reason",
	[
		("91350100M000100Y44", "check digit is wrong"),
		("91350100M000100Y4", "must be 18 characters long"),
		("91350100M000100Y433", "must be 18 characters long"),
	],
)
def test_invalid_codes_give_their_reason(code, reason):
	village = frappe.new_doc("Cooperative")
	village.update(
		{
			"cooperative_name": "校验测试村",
			"cooperative_type": "Village Cooperative",
			"parent_cooperative": SHULINZHAO,
			"uscc": code,
		}
	)
	with pytest.raises(InvalidUSCCError) as error:
		village.insert()
	message = str(error.value)
	assert "Unified Social Credit Code" in message and "统一社会信用代码" in message  # names the field
	assert reason in message


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_the_standard_excludes_are_refused(letter):
	code = "9135010" + letter + "M000100Y4"
	assert len(code) == 17
	assert not is_valid_uscc(code + "0")
	with pytest.raises(InvalidUSCCError, match="characters the standard does not use"):
		create_cooperative("字母测试村", "Village Cooperative", SHULINZHAO, uscc=code + "0")


def test_lowercase_and_spaces_are_accepted_and_stored_upper_case():
	village = create_cooperative("小写测试村", "Village Cooperative", SHULINZHAO, uscc=" 91350100m000100y43 ")
	assert village.uscc == VALID


def test_uscc_is_unique():
	code = make_uscc("N2150621MA999999D")
	create_cooperative("唯一测试一村", "Village Cooperative", SHULINZHAO, uscc=code)
	with pytest.raises(frappe.UniqueValidationError):
		create_cooperative("唯一测试二村", "Village Cooperative", SHULINZHAO, uscc=code)


def test_empty_code_is_allowed_for_unregistered_villages():
	one = create_cooperative("无码一村", "Village Cooperative", SHULINZHAO)
	two = create_cooperative("无码二村", "Village Cooperative", SHULINZHAO)
	assert one.uscc is None and two.uscc is None
