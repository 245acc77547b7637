"""Does the one scoring function turn answers into dimension scores and a level as documented?"""
import pytest

from marketplace.diagnosis.indicators import indicator_system
from marketplace.diagnosis.scoring import level_for, score
from marketplace.errors import DomainError


def answers(value: int) -> dict[str, int]:
    """Every question answered with the same answer."""
    return {q.code: value for q in indicator_system().questions}


def test_every_best_answer_scores_100_and_level_4(in_app):
    """The maximum: 25 points in each dimension, 100 in total, level 4."""
    result = score(answers(3))
    assert result.total_tenths == 1000 and result.level == 4
    assert set(result.dimensions.values()) == {250}


def test_every_first_answer_scores_0_and_no_level(in_app):
    """The minimum: nothing in any dimension, below level 1."""
    result = score(answers(0))
    assert (result.total_tenths, result.level) == (0, 0)


@pytest.mark.parametrize(("total", "level"), [(0, 0), (19.9, 0), (20, 1), (39.9, 1), (40, 2), (59.99, 2), (60, 3),
                                              (79.9, 3), (80, 4), (100, 4)])
def test_band_edges_belong_to_the_higher_level(in_app, total, level):
    """20, 40, 60 and 80 points open levels 1, 2, 3 and 4 (the lower edge belongs to the band)."""
    assert level_for(total) == level


def test_a_dimension_scores_its_share_of_25(in_app):
    """Only the foundation answered best: 25 points, level 1."""
    system = indicator_system()
    given = answers(0) | {q.code: 3 for q in system.dimension("foundation").questions}
    result = score(given)
    assert result.dimensions == {"foundation": 250, "operations": 0, "management": 0, "outcomes": 0}
    assert result.level == 1


def test_all_middle_answers_reach_level_3_not_more(in_app):
    """Answer 2 of 3 everywhere: 66.7 points, level 3."""
    result = score(answers(2))
    assert (result.total_tenths, result.level) == (667, 3)


def test_missing_answers_are_refused_naming_each_question(in_app):
    """A question left out is refused, and the refusal names it."""
    given = answers(1)
    del given["f_security"], given["e_market"]
    with pytest.raises(DomainError) as refused:
        score(given)
    assert {field for field, _m in refused.value.reasons} >= {"f_security", "e_market"}


def test_an_answer_a_question_does_not_have_is_refused(in_app):
    """Answer 4 (there are 0–3) is refused."""
    with pytest.raises(DomainError):
        score(answers(1) | {"o_design": 4})
