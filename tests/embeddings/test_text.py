"""Tokenisation of Chinese, English and mixed text for the lexical index."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from embeddings.text import prune_subwords, segment, tokenize


def test_model_numbers_stay_whole_in_mixed_text():
    """Is `FANUC 0i-MF 数控系统报警` indexed with the brand, the whole model number and the Chinese words?"""
    tokens = tokenize("FANUC 0i-MF 数控系统报警")
    for expected in ("fanuc", "0i-mf", "数控系统", "报警"):
        assert expected in tokens
    assert "0i" in tokens and "mf" in tokens


def test_domain_terms_and_english_acronyms_in_chinese_text():
    """Does `SMT产线AOI误报率高` yield smt, aoi, 产线 and the whole term 误报率 plus its sub-word?"""
    tokens = tokenize("SMT产线AOI误报率高")
    for expected in ("smt", "aoi", "产线", "误报率", "误报"):
        assert expected in tokens


def test_word_and_number_pairs_are_joined():
    """Are `RTX 4060` and `ISO 9001` also indexed as one token each?"""
    tokens = tokenize("基于 RTX 4060 和 Jetson Orin NX，通过 ISO 9001 认证")
    for expected in ("rtx", "4060", "rtx4060", "iso9001", "jetson", "orin", "nx"):
        assert expected in tokens


def test_user_dictionary_keeps_domain_terms_whole():
    """Do 视觉质检, 预测性维护, 模型券 and 数字孪生 survive as single tokens?"""
    for term in ("视觉质检", "预测性维护", "模型券", "数字孪生", "漏检率", "智能体"):
        assert term in segment(f"我们需要{term}方案")


def test_punctuation_and_stopwords_are_dropped():
    """Are punctuation, Chinese and English stopwords removed and English lowercased?"""
    tokens = tokenize("我们的 Vision system，和 the 质检！")
    assert "，" not in tokens and "！" not in tokens
    assert "的" not in tokens and "the" not in tokens and "我们" not in tokens
    assert "vision" in tokens and "system" in tokens


def test_full_width_characters_are_normalised():
    """Is full-width ＡＯＩ the same token as AOI?"""
    assert "aoi" in tokenize("ＡＯＩ复判")


def test_prune_subwords_keeps_the_longest_forms():
    """Are sub-words dropped when a longer matched term contains them?"""
    assert prune_subwords(["视觉", "质检", "视觉质检", "aoi", "aoi"]) == ["视觉质检", "aoi"]


def test_jieba_initialises_quietly():
    """Does the first tokenisation in a fresh process print nothing on stderr?"""
    code = "from embeddings.text import tokenize; print(len(tokenize('视觉质检与预测性维护')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0
    assert result.stderr == ""
