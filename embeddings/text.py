"""Tokenisation for the lexical index: jieba for Chinese, model/part numbers kept whole for English.

`tokenize()` is used for both documents and queries so the two sides always agree. Chinese runs
go through jieba's search mode (whole words plus their dictionary sub-words, e.g. 预测性维护 →
预测, 预测性, 预测性维护); ASCII runs are lowercased and kept whole when they look like a model or
part number (`0i-MF` → `0i-mf` plus its parts `0i`, `mf`), and a word followed by a plain number
is also joined (`RTX 4060` → `rtx`, `4060`, `rtx4060`; `ISO 9001` → `iso9001`). Punctuation and a
small Chinese and English stopword list are dropped.
jieba runs as a private, quiet instance with a domain dictionary, so it never touches the global
jieba state another part of the process may use.

`collapse_repeats()` keeps stuffing from paying: a sentence or clause said again, and a phrase repeated
back to back, count once, before a text is encoded or indexed.
"""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterator
from typing import Protocol

DOMAIN_TERMS = (
    "视觉质检", "视觉检测", "机器视觉", "缺陷检测", "外观检测", "预测性维护", "故障诊断", "剩余寿命",
    "漏检率", "误检率", "误报率", "漏检", "误检", "误报", "良率", "直通率", "注塑", "注塑机", "注塑件",
    "压铸", "压铸件", "冲压", "排程", "排产", "插单", "换线", "模型券", "智能体", "数字孪生",
    "知识库", "大模型", "小模型", "行业大模型", "产线", "焊点", "虚焊", "缩痕", "飞边", "毛刺",
    "划痕", "色差", "空压机", "冷站", "窑炉", "能耗", "碳排放", "用电负荷", "仓储", "库位",
    "拣货", "出入库", "安全帽", "工单", "边缘端", "私有化", "模数共振", "数控系统", "主轴",
    "振动监测", "轴承", "电芯", "极片", "涂布", "印染", "模流分析", "虚拟调试", "需求预测",
    "AOI", "SMT", "PCBA", "PCB", "AGV", "AMR", "MES", "ERP", "WMS", "APS", "PLC", "OEE", "SOP",
)

STOPWORDS = frozenset("""
的 了 和 与 及 或 等 在 是 有 为 对 把 被 从 到 以 将 及其 并 且 而 也 就 都 又 个 之 其 这 那 该
我们 我司 贵司 公司 企业 一个 一种 进行 可以 能够 需要 希望 实现 提供 相关 以及 通过 用于 基于
目前 现在 主要 问题 情况 方面 如何 什么 哪些 怎么 是否 没有 不 很 较 更 最 已 已经 正在 我 你 他
a an the and or of for to in on at by with from as is are was were be been this that these those
it its we our you your they their can could will would should may might not no do does did than
into over under via per using use based
""".split())

FUNCTION_WORDS = STOPWORDS | frozenset("""
想 想要 要 需 帮 帮忙 帮助 一下 有没有 能不能 可不可以 可否 还是 因为 所以 但是 但 如果 就是 这个 那个 这些
那些 一些 很多 许多 比较 非常 特别 之后 之前 时候 里面 上面 下面 老是 经常 总是 一直 感觉 觉得 办法 东西
怎么办 怎样 哪个 多少 吗 呢 吧 啊 呀 着 过 给 让 用 做 搞 弄 太 还 能 会 可能 应该 这样 那样 其他 其它 每
各 各种 所有 什么样 自己 大家 咱们 他们 她们 它们 时 后 前 中 内 外 上 下 里 多 少 大 小 好 新 老 一 二 三 两 几
现有 已有 一直在 不想 不能 不会 不够 还有 以后 然后 而且 并且 或者 以上 以下 左右 之间 方式 方法 有关 关于
need needs want wants looking help please how what which who why when where any some all more most
also just very much many get got our us me my i has have had
""".split())
"""Words that carry no match on their own: the index's stop words plus everyday Chinese and English
function words of a need ("想要", "有没有", "怎么办", "looking", "help"). Used for explanations only."""

_ASCII_TOKEN = re.compile(r"[a-z0-9](?:[a-z0-9+#._/\-]*[a-z0-9+#])?")
_ASCII_PART = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MIN_REPEATED_CLAUSE = 8
_CLAUSE = re.compile(r"[^。！？；;!?\n，,、]+[。！？；;!?\n，,、]*")
_RUN = re.compile(r"(\S.{1,39}?)(?:[\s，,、;；。.!！?？]*\1){2,}", re.DOTALL)
_SEGMENT = re.compile(r"([a-z0-9](?:[a-z0-9+#._/\-]*[a-z0-9+#])?)|([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")


class _JiebaTokenizer(Protocol):
    """The part of a `jieba.Tokenizer` used here."""

    def cut(self, sentence: str, cut_all: bool = False, HMM: bool = True) -> Iterator[str]:
        """Segment into words (default mode)."""

    def cut_for_search(self, sentence: str, HMM: bool = True) -> Iterator[str]:
        """Segment into words plus their dictionary sub-words (search mode)."""


_jieba_lock = threading.Lock()
_jieba: _JiebaTokenizer | None = None


def _tokenizer() -> _JiebaTokenizer:
    """The private jieba tokenizer, initialised once, quietly, with the domain dictionary."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.ERROR)
                logging.getLogger("jieba").setLevel(logging.ERROR)
                tk = jieba.Tokenizer()
                tk.initialize()
                for term in DOMAIN_TERMS:
                    tk.add_word(term, freq=max(tk.suggest_freq(term, tune=False), 1000))
                _jieba = tk
    return _jieba


def normalize_text(text: str) -> str:
    """NFKC-normalise (full-width → ASCII) and lowercase."""
    return unicodedata.normalize("NFKC", text or "").lower()


def collapse_repeats(text: str) -> str:
    """Drop clauses already said (8+ characters, compared normalised) and phrases repeated back to back.

    "预测性维护 预测性维护 预测性维护" → "预测性维护"; a paragraph pasted twice counts once. Order and
    the first occurrence are kept, so an ordinary text comes back unchanged.
    """
    if not text:
        return ""
    collapsed = _RUN.sub(r"\1", text)
    seen: set[str] = set()
    kept: list[str] = []
    for clause in _CLAUSE.findall(collapsed):
        key = re.sub(r"[\W_]+", "", normalize_text(clause))
        if len(key) >= MIN_REPEATED_CLAUSE and key in seen:
            continue
        seen.add(key)
        kept.append(clause)
    rest = _CLAUSE.sub("", collapsed)
    return "".join(kept) + rest


def _ascii_tokens(token: str) -> list[str]:
    """A whole ASCII token plus its alphanumeric parts when it has separators."""
    out = [token]
    parts = _ASCII_PART.findall(token)
    if len(parts) > 1:
        out.extend(parts)
    return out


def _keep(token: str) -> bool:
    """Drop stopwords, punctuation and one-character ASCII tokens."""
    if not token or token in STOPWORDS:
        return False
    if _CJK.search(token):
        return True
    return len(token) > 1 and bool(_ASCII_TOKEN.fullmatch(token))


def tokenize(text: str) -> list[str]:
    """Return index/query tokens for mixed Chinese/English text, in order, with repeats."""
    norm = normalize_text(text)
    tk: _JiebaTokenizer | None = None
    out: list[str] = []
    prev_ascii: str | None = None
    prev_end = -1
    for match in _SEGMENT.finditer(norm):
        ascii_tok, cjk_run = match.group(1), match.group(2)
        if ascii_tok:
            out.extend(_ascii_tokens(ascii_tok))
            gap = norm[prev_end:match.start()] if prev_ascii is not None else None
            if (prev_ascii is not None and gap is not None and gap.strip() == ""
                    and prev_ascii.isalpha() and ascii_tok.isdigit()):
                out.append(prev_ascii + ascii_tok)
            prev_ascii, prev_end = ascii_tok, match.end()
        else:
            tk = tk or _tokenizer()
            out.extend(tk.cut_for_search(cjk_run, HMM=True))
            prev_ascii = None
    return [t for t in out if _keep(t)]


def segment(text: str) -> list[str]:
    """Return coarse words (jieba default mode, no sub-words) for display, stopwords removed."""
    norm = normalize_text(text)
    out: list[str] = []
    for match in _SEGMENT.finditer(norm):
        if match.group(1):
            out.append(match.group(1))
        else:
            out.extend(_tokenizer().cut(match.group(2), HMM=True))
    return [t for t in out if _keep(t)]


def prune_subwords(terms: list[str]) -> list[str]:
    """Drop terms contained in a longer term of the list (keeps 视觉质检, drops 视觉 and 质检)."""
    unique = list(dict.fromkeys(terms))
    return [t for t in unique if not any(t != o and t in o for o in unique)]
