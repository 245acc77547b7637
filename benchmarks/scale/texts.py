"""Realistic listing, need and organisation texts composed from the seed data and the vocabulary.

The seed's 60 offerings, 60 models, 25 providers and 80 needs are cut into sentences and pooled by
scenario; a generated record takes its codes first (industry, scenario, city, deployment) and then draws
its sentences from the pool of its scenario (or, for a scenario the seed has no record of, its stage),
with the scenario's own description and its other names woven in. So a generated text talks about what
its codes say, in the mixed Chinese/English register of the seed, and keyword search behaves as on real
listings.
"""
from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, field

from marketplace import vocab
from seed.loader import read_data

SENTENCE_END = re.compile(r"(?<=[。；！？])")
BRANDS = ("穗衡", "粤智", "鹏链", "湾芯", "珠联", "莞工", "佛智", "中科", "华擎", "凌视", "睿控", "天枢",
          "易排", "衡准", "云匠", "极测", "智能谷", "南粤", "岭南", "海纳", "星瀚", "联拓", "深度", "微见",
          "明镜", "千帆", "启元", "知行", "灵犀", "拓维")
ORG_SUFFIXES = ("科技有限公司", "智能技术有限公司", "信息技术有限公司", "工业互联网有限公司", "软件有限公司",
                "数据科技有限公司")
SME_SUFFIXES = ("实业有限公司", "制造有限公司", "电子有限公司", "五金制品有限公司", "塑胶有限公司", "电器有限公司",
                "精密科技有限公司", "家居有限公司", "新材料有限公司", "食品有限公司")
OFFERING_SUFFIXES = ("解决方案", "智能体", "标准版", "私有化部署版", "SaaS 服务", "边缘一体机", "订阅服务",
                     "快速落地包", "试点套餐", "专业版")
NEED_OPENERS = ("我们想做{alias}", "寻找{alias}方案", "{industry}企业{alias}需求", "{city}工厂求{alias}",
                "{alias}改造", "想用 AI 解决{alias}问题")
ENGLISH_LINES = ("Supports {en} with {deploy} deployment.", "{en}: pilot in 4–8 weeks, API and MES integration.",
                 "Proven in {industry_en} plants; {deploy} option available.")
FAMILY = ("张", "王", "李", "陈", "黄", "林", "梁", "刘", "何", "郑", "罗", "吴", "谢", "邓", "冯")
GIVEN = ("伟", "敏", "志强", "晓东", "海燕", "建华", "嘉怡", "俊杰", "丽娟", "振宇", "子豪", "雪梅")


@dataclass
class Pools:
    """Seed sentences and phrases pooled by scenario (and stage, for scenarios the seed does not cover)."""

    offering: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    need: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    pain: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    data: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    model: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    tags: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    capabilities: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    certifications: list[str] = field(default_factory=list)
    hardware: list[str] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)
    metrics: list[dict] = field(default_factory=list)


def sentences(text: str | None) -> list[str]:
    """Cut a text into its sentences (ending punctuation kept), dropping fragments."""
    return [s.strip() for s in SENTENCE_END.split(text or "") if len(s.strip()) > 6]


def stage_key(code: str) -> str:
    """The pool key of a scenario's stage."""
    term = vocab.lookup(vocab.SCENARIOS, code)
    return f"stage:{term.parent}" if term is not None else "stage:"


def load_pools() -> Pools:
    """Read the seed once and pool its sentences by scenario and by stage."""
    data = read_data()
    pools = Pools()

    def add(pool: dict[str, list[str]], codes: list[str], parts: list[str]) -> None:
        for code in codes:
            pool[code].extend(parts)
            pool[stage_key(code)].extend(parts)

    for row in data["offerings"]:
        add(pools.offering, row["scenarios"], sentences(row["description"]) + sentences(row["summary"]))
        add(pools.tags, row["scenarios"], list(row.get("tags", [])))
    for row in data["models"]:
        add(pools.model, row["scenarios"], sentences(row["description"]) + sentences(row["summary"]))
        pools.hardware.append(row.get("hardware") or "")
        pools.licences.append(row.get("licence") or "")
        pools.metrics.extend(row.get("evaluations", []))
    for row in data["needs"]:
        add(pools.need, [row["scenario"]], sentences(row["description"]))
        add(pools.pain, [row["scenario"]], sentences(row.get("pain_points")))
        add(pools.data, [row["scenario"]], sentences(row.get("data_available")))
    for row in data["providers"]:
        pools.capabilities.extend(sentences(row["capabilities"]))
        pools.references.extend(sentences(row.get("reference_cases")))
        pools.certifications.extend(row.get("certifications", []))
    pools.hardware = [h for h in pools.hardware if h] or ["x86 服务器"]
    pools.licences = [x for x in pools.licences if x] or ["商业授权"]
    return pools


SCENARIO_BY_CODE = {t.code: t for t in vocab.SCENARIOS}
INDUSTRY_BY_CODE = {t.code: t for t in vocab.INDUSTRIES}
CITY_BY_CODE = {t.code: t for t in vocab.CITIES}
DEPLOY_BY_CODE = {t.code: t for t in vocab.DEPLOYMENTS}


class Composer:
    """Composes the texts of generated records; deterministic for a given random generator."""

    def __init__(self, rng: random.Random, pools: Pools | None = None):
        """Keep the generator and the seed pools."""
        self.rng = rng
        self.pools = pools or load_pools()

    def _draw(self, pool: dict[str, list[str]], scenario: str, n: int) -> list[str]:
        """n distinct sentences of a scenario's pool, else its stage's, else the scenario description's."""
        found = pool.get(scenario) or pool.get(stage_key(scenario)) or sentences(
            SCENARIO_BY_CODE[scenario].description)
        return self.rng.sample(found, min(n, len(found)))

    def alias(self, scenario: str) -> str:
        """The scenario's name or one of the other names people use for it."""
        term = SCENARIO_BY_CODE[scenario]
        return self.rng.choice((term.zh,) + term.aliases)

    def _english(self, scenario: str, industry: str, deployment: str) -> str:
        """One English line in the style of the seed's mixed listings."""
        return self.rng.choice(ENGLISH_LINES).format(
            en=SCENARIO_BY_CODE[scenario].en, deploy=DEPLOY_BY_CODE[deployment].en.lower(),
            industry_en=INDUSTRY_BY_CODE[industry].en)

    def org_name(self, city: str, vendor: bool, n: int) -> str:
        """A company name: city, brand and a suffix (numbered so names are distinguishable)."""
        brand = self.rng.choice(BRANDS) + ("" if n < len(BRANDS) else str(n % 997))
        return f"{CITY_BY_CODE[city].zh}{brand}{self.rng.choice(ORG_SUFFIXES if vendor else SME_SUFFIXES)}"

    def person(self) -> str:
        """A contact person's name."""
        return self.rng.choice(FAMILY) + self.rng.choice(GIVEN)

    def offering(self, brand: str, industries: list[str], scenarios: list[str], deployment: str) -> dict[str, str]:
        """Title, summary, description and tags of a supermarket offering."""
        main, industry = scenarios[0], industries[0]
        title = f"{brand}·{self.alias(main)}{self.rng.choice(OFFERING_SUFFIXES)}（{INDUSTRY_BY_CODE[industry].zh}）"
        term = SCENARIO_BY_CODE[main]
        summary = f"面向{INDUSTRY_BY_CODE[industry].zh}企业的{term.zh}方案：" + sentences(term.description)[0]
        body = self._draw(self.pools.offering, main, self.rng.randint(2, 4))
        if len(scenarios) > 1:
            body += self._draw(self.pools.offering, scenarios[1], 1)
        body.append(self._english(main, industry, deployment))
        tags = self._draw(self.pools.tags, main, 3) + [self.alias(main), DEPLOY_BY_CODE[deployment].zh]
        return {"title": title[:120], "summary": summary[:300], "description": "".join(body),
                "tags": ", ".join(dict.fromkeys(tags))[:300]}

    def model(self, brand: str, scenarios: list[str], kind: str) -> dict[str, str]:
        """Name, summary, description, tasks, hardware and licence of an industrial model card."""
        main = scenarios[0]
        kind_zh = vocab.lookup(vocab.MODEL_KINDS, kind).zh  # type: ignore[union-attr]
        body = self._draw(self.pools.model, main, self.rng.randint(2, 3))
        return {"name": f"{brand}{self.alias(main)}{kind_zh}"[:120], "summary": (body[0] if body else kind_zh)[:300],
                "description": "".join(body) or SCENARIO_BY_CODE[main].description,
                "tasks": "、".join(self.alias(s) for s in scenarios)[:300],
                "hardware": self.rng.choice(self.pools.hardware)[:300],
                "licence": self.rng.choice(self.pools.licences)[:120]}

    def evaluation(self) -> dict:
        """One evaluation row drawn from the seed's model cards."""
        row = self.rng.choice(self.pools.metrics)
        return {"metric": row["metric"][:60], "value": str(row["value"])[:40], "dataset": row["dataset"][:200],
                "evaluator": row["evaluator"][:120], "attestation": "self_reported"}

    def profile(self, industries: list[str], scenarios: list[str]) -> dict[str, str]:
        """Summary, capabilities, reference cases and certifications of a provider profile."""
        names = "、".join(SCENARIO_BY_CODE[s].zh for s in scenarios[:3])
        trades = "、".join(INDUSTRY_BY_CODE[i].zh for i in industries[:3])
        return {"summary": f"面向{trades}企业的服务商，专注{names}。"[:300],
                "capabilities": "".join(self.rng.sample(self.pools.capabilities, 3)),
                "reference_cases": "".join(self.rng.sample(self.pools.references, 2)),
                "certifications": ", ".join(self.rng.sample(self.pools.certifications, 3))[:500]}

    def need(self, industry: str, scenario: str, city: str) -> dict[str, str]:
        """Title, description, pain points and available data of an SME's need."""
        title = self.rng.choice(NEED_OPENERS).format(alias=self.alias(scenario), industry=INDUSTRY_BY_CODE[industry].zh,
                                                     city=CITY_BY_CODE[city].zh)
        body = self._draw(self.pools.need, scenario, self.rng.randint(2, 4))
        return {"title": title[:120], "description": "".join(body) or SCENARIO_BY_CODE[scenario].description,
                "pain_points": "".join(self._draw(self.pools.pain, scenario, 2)),
                "data_available": "".join(self._draw(self.pools.data, scenario, 1))}

    def proposal(self, scenario: str) -> dict[str, str]:
        """Plan and message of a vendor's proposal."""
        plan = "".join(self._draw(self.pools.offering, scenario, 2))
        return {"plan": plan, "message": f"我们在{SCENARIO_BY_CODE[scenario].zh}方面有成熟案例，可以先做两周免费评估。"}
