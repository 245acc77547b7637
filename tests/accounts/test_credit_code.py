"""Does the GB 32100-2015 check accept real codes and refuse wrong ones?"""
import pytest

from marketplace.accounts.credit_code import check_character, is_valid_credit_code


@pytest.mark.parametrize("code", ["91440300708461136T", "91350100M000100Y43", "91440101MA59TQXU2K".replace("K", check_character("91440101MA59TQXU2"))])
def test_valid_codes_are_accepted(code):
    """Published codes (and computed check characters) validate."""
    assert is_valid_credit_code(code)


@pytest.mark.parametrize("code", ["914403007084611360", "91440300708461136", "91440300708461136TX", "9144030070846113IT", "", "abc"])
def test_wrong_codes_are_refused(code):
    """A wrong check character, length or forbidden letter (I, O, Z, S, V) is refused."""
    assert not is_valid_credit_code(code)


def test_lowercase_is_normalised():
    """Users typing lowercase letters are not punished."""
    assert is_valid_credit_code("91440300708461136t")
