"""At province scale the PostgreSQL store lets only the rarest query terms pick lexical candidates."""
from embeddings.pgbackend import LEXICAL_PICK_ROWS, rarest


def test_rare_terms_pick_until_the_row_budget_is_spent():
    df = {"划痕": 300, "注塑": 900, "检测": 18_000, "设备": 40_000}
    terms = sorted(df, key=df.get)
    assert rarest(terms, df, LEXICAL_PICK_ROWS) == ["划痕", "注塑"]


def test_the_rarest_term_picks_even_when_it_alone_is_over_the_budget():
    df = {"设备": 40_000, "维护": 25_000}
    assert rarest(sorted(df, key=df.get), df, LEXICAL_PICK_ROWS) == ["维护"]


def test_every_term_picks_when_all_are_rare():
    df = {"AOI": 40, "误报": 120, "复判": 60}
    terms = sorted(df, key=df.get)
    assert rarest(terms, df, LEXICAL_PICK_ROWS) == terms
