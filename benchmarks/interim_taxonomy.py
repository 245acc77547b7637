"""Evaluate on the 2025 MIIT scenario codes before the corpus export carries them.

    python -m benchmarks.interim_taxonomy CORPUS.jsonl SCENARIOS.json OUT_DIR

Writes OUT_DIR/corpus.jsonl (each document's scenario mapped old → new code with the agreed default
mapping; a code already in the new taxonomy passes through) and OUT_DIR/scenarios.json. The scenarios
file is the export's own when it already describes the 40 new codes; otherwise a stand-in built only
from each scenario's names, stage and the plan names that must stay findable (no hand-written
descriptions, so the figures measured with it are not tuned to descriptions that are not ours).
Once the taxonomy change lands, the export already speaks the new codes and this step is a copy.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

STAGES = {
    "factory_build": ("工厂建设", "Factory construction"),
    "rnd": ("产品研发", "Product R&D"),
    "process_engineering": ("工艺设计", "Process design"),
    "production_management": ("生产管理", "Production management"),
    "production_operations": ("生产作业", "Production operations"),
    "operations_management": ("运营管理", "Operations management"),
    "product_service": ("产品服务", "Product services"),
    "supply_chain": ("供应链管理", "Supply-chain management"),
}

# code: (场景, stage, plan names that must find it)
SCENARIOS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "factory_planning": ("工厂数字化规划设计", "factory_build", ()),
    "digital_infrastructure": ("数字基础设施建设", "factory_build", ()),
    "digital_twin_factory": ("数字孪生工厂构建", "factory_build", ()),
    "product_design": ("产品数字化设计", "rnd", ()),
    "virtual_verification": ("产品虚拟验证", "rnd", ("虚拟试验与调试",)),
    "process_design": ("工艺数字化设计", "process_engineering", ("模具工艺生成",)),
    "manufacturing_engineering": ("制造工程优化", "process_engineering", ("虚拟试验与调试",)),
    "production_planning": ("生产计划优化", "production_management", ("生产计划排程",)),
    "shop_scheduling": ("车间智能排产", "production_management", ("生产计划排程",)),
    "progress_tracking": ("生产进度跟踪", "production_management", ()),
    "dynamic_dispatching": ("生产动态调度", "production_management", ()),
    "smart_warehousing": ("仓储智能管理", "production_management", ()),
    "material_delivery": ("物料精准配送", "production_management", ()),
    "hazardous_automation": ("危险作业自动化", "production_management", ()),
    "safety_control": ("安全一体化管控", "production_management", ()),
    "energy_management": ("能源智能管控", "production_management", ()),
    "carbon_management": ("碳资产全生命周期管理", "production_management", ()),
    "pollution_monitoring": ("污染在线管理", "production_management", ()),
    "networked_manufacturing": ("网络协同制造", "production_operations", ()),
    "flexible_changeover": ("柔性产线快速换产", "production_operations", ()),
    "process_optimization": ("工艺动态优化", "production_operations", ("工艺优化",)),
    "advanced_process_control": ("先进过程控制", "production_operations", ()),
    "human_robot_collaboration": ("人机协同作业", "production_operations", ()),
    "online_inspection": ("在线智能检测", "production_operations", ("产品视觉质检", "质量检测")),
    "quality_traceability": ("质量精准追溯", "production_operations", ()),
    "quality_analysis": ("质量分析与改进", "production_operations", ()),
    "equipment_monitoring": ("设备运行监控", "production_operations", ()),
    "predictive_maintenance": ("设备故障诊断与预测", "production_operations", ("设备预测性维护",)),
    "maintenance_repair": ("设备维修维护", "production_operations", ("设备运维",)),
    "business_decision": ("智能经营决策", "operations_management", ()),
    "lean_management": ("数智精益管理", "operations_management", ()),
    "mass_customization": ("规模化定制", "operations_management", ()),
    "precision_marketing": ("产品精准营销", "operations_management", ()),
    "remote_operations": ("远程运维服务", "product_service", ()),
    "value_added_service": ("产品增值服务", "product_service", ()),
    "proactive_service": ("客户主动服务", "product_service", ()),
    "supply_chain_management": ("供应链数字化管理", "supply_chain", ()),
    "procurement_planning": ("采购计划优化协同", "supply_chain", ()),
    "supply_chain_risk": ("供应链风险预警与调度", "supply_chain", ()),
    "logistics_delivery": ("供应链物流智能配送", "supply_chain", ()),
}

OLD_TO_NEW = {
    "virtual_commissioning": "virtual_verification", "mould_process_gen": "process_design",
    "generative_design": "product_design", "production_scheduling": "shop_scheduling",
    "process_optimization": "process_optimization", "visual_inspection": "online_inspection",
    "smart_sorting": "human_robot_collaboration", "predictive_maintenance": "predictive_maintenance",
    "fault_diagnosis": "maintenance_repair", "energy_optimization": "energy_management",
    "demand_forecast": "procurement_planning", "warehouse_logistics": "smart_warehousing",
    "safety_monitoring": "safety_control", "knowledge_qa_agent": "lean_management",
    "operations_analytics": "business_decision",
}


def stand_in_descriptions() -> dict[str, str]:
    """{code: "场景 (plan names)。环节 stage"} for the 40 codes, from names only."""
    out = {}
    for code, (name, stage, aliases) in SCENARIOS.items():
        zh, en = STAGES[stage]
        also = f"（{'、'.join(aliases)}）" if aliases else ""
        out[code] = f"{name}{also}。{zh} {en}"
    return out


def new_code(code: str | None) -> str | None:
    """The new code of an old one (a new code, or None, unchanged)."""
    if code is None or code in SCENARIOS:
        return code
    return OLD_TO_NEW.get(code, code)


def convert(corpus: Path, scenarios: Path, out_dir: Path) -> tuple[int, str]:
    """Write the mapped corpus and the scenarios file; returns (documents, where the descriptions came from)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    with (out_dir / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps({**row, "scenario": new_code(row.get("scenario"))}, ensure_ascii=False) + "\n")
    given = json.loads(scenarios.read_text(encoding="utf-8")) if scenarios.exists() else {}
    if set(given) >= set(SCENARIOS):
        descriptions, source = given, f"{scenarios.name} (the taxonomy's own)"
    else:
        descriptions, source = stand_in_descriptions(), "names-only stand-in"
    (out_dir / "scenarios.json").write_text(json.dumps(descriptions, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(rows), source


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        print(__doc__.split("\n\n")[1].strip(), file=sys.stderr)
        return 2
    count, source = convert(Path(args[0]), Path(args[1]), Path(args[2]))
    print(f"mapped {count} documents to the 2025 scenario codes; descriptions: {source}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
